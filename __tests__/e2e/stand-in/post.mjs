// The stand-in's post step: proves saved state reaches it as STATE_* variables.
import * as core from '@actions/core';

const deployment = core.getState('deployment');
console.log(`post saw deployment=${deployment}`);
await core.summary.addRaw(`post saw deployment=${deployment}`, true).write();
