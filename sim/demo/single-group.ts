/** Rolling and recreate scenarios on one 4-instance group behind two listeners. */
import { blueGreenFixture } from '../fixtures.js';
import { deployOnSim } from '../run-on-sim.js';
import type { Scenario } from './scenario.js';

function world() {
  return blueGreenFixture({ instances: 4, listeners: 2 });
}

export const rolling: Scenario = {
  name: 'rolling',
  title: 'rolling: Instance Refresh of app-blue to v1.1.0 (launch template version 2), 75 % kept healthy',
  expected: 'deployed',
  build: () => {
    const f = world();
    const inputs = {
      strategy: 'rolling',
      'auto-scaling-group': f.blueGroup,
      'launch-template-version': '2',
      'version-label': 'v1.1.0',
      'min-healthy-percent': '75',
      'poll-interval': '15s',
    };
    return { sim: f.sim, run: (log) => deployOnSim(f.sim, inputs, { log }) };
  },
};

export const recreate: Scenario = {
  name: 'recreate',
  title: 'recreate: v2.0.0 (a schema change) replaces every instance while the listeners answer 503',
  expected: 'deployed',
  build: () => {
    const f = world();
    const inputs = {
      strategy: 'recreate',
      'auto-scaling-group': f.blueGroup,
      'listener-arns': f.listenerArns.join('\n'),
      'launch-template-version': '2',
      'version-label': 'v2.0.0',
      'maintenance-response': '503:Down for maintenance, back in a few minutes',
      'poll-interval': '15s',
    };
    return { sim: f.sim, run: (log) => deployOnSim(f.sim, inputs, { log }) };
  },
};
