/** Blue/green scenarios on a 4-instance fleet behind two listeners. */
import { blueGreenFixture, type BlueGreenFixture } from '../fixtures.js';
import { deployOnSim } from '../run-on-sim.js';
import { type Scenario, silent } from './scenario.js';

/** Blue serves launch template version 1; two alarms exist, both OK. */
export function blueGreenWorld(): BlueGreenFixture {
  const f = blueGreenFixture({ instances: 4, listeners: 2, stickiness: true });
  f.sim.createAlarm('app-5xx');
  f.sim.createAlarm('app-p99-latency');
  return f;
}

export function blueGreenInputs(f: BlueGreenFixture, extra: Record<string, string>): Record<string, string> {
  return {
    strategy: 'blue-green',
    'listener-arns': f.listenerArns.join('\n'),
    'blue-auto-scaling-group': f.blueGroup,
    'green-auto-scaling-group': f.greenGroup,
    'alarm-names': 'app-5xx, app-p99-latency',
    'poll-interval': '15s',
    ...extra,
  };
}

const HAPPY = { 'launch-template-version': '2', 'version-label': 'v1.1.0', 'bake-time': '2m' };

export const happy: Scenario = {
  name: 'happy',
  title: 'blue/green, all at once: v1.1.0 (launch template version 2) to green, 2 m bake, blue scaled down',
  expected: 'deployed',
  build: () => {
    const f = blueGreenWorld();
    return { sim: f.sim, run: (log) => deployOnSim(f.sim, blueGreenInputs(f, HAPPY), { log }) };
  },
};

export const alternate: Scenario = {
  name: 'alternate',
  title: 'the next run after happy: v1.2.0, a new AMI, back to blue (colors alternate), green scaled down',
  expected: 'deployed',
  build: async () => {
    const f = blueGreenWorld();
    await deployOnSim(f.sim, blueGreenInputs(f, HAPPY), { log: silent });
    const inputs = blueGreenInputs(f, { 'image-id': 'ami-0abcdef1234567890', 'version-label': 'v1.2.0' });
    return { sim: f.sim, run: (log) => deployOnSim(f.sim, inputs, { log }) };
  },
};

export const canaryAlarmRollback: Scenario = {
  name: 'canary-alarm-rollback',
  title: 'blue/green canary 10 % for 5 m: app-5xx goes to ALARM 2 m in, traffic goes back to blue',
  expected: 'rolled-back',
  build: () => {
    const f = blueGreenWorld();
    // Green is healthy about 1 m 5 s after the start; the alarm fires 2 m into the canary.
    f.sim.setAlarmState('app-5xx', 'ALARM', f.sim.clock.now() + 3 * 60_000 + 5_000);
    const inputs = blueGreenInputs(f, {
      'launch-template-version': '2',
      'version-label': 'v1.2.0',
      'traffic-shift': 'canary:10:5m',
    });
    return { sim: f.sim, run: (log) => deployOnSim(f.sim, inputs, { log }) };
  },
};

export const rollback: Scenario = {
  name: 'rollback',
  title: 'mode: rollback after v1.1.0 went out: blue scaled up again, traffic back on it, green scaled down',
  expected: 'rolled-back',
  build: async () => {
    const f = blueGreenWorld();
    // The first run records v1.0.0 on blue; the second deploys v1.1.0 to green.
    const first = { 'launch-template-version': '1', 'version-label': 'v1.0.0' };
    await deployOnSim(f.sim, blueGreenInputs(f, first), { log: silent });
    await deployOnSim(f.sim, blueGreenInputs(f, HAPPY), { log: silent });
    const inputs = blueGreenInputs(f, { mode: 'rollback' });
    return {
      sim: f.sim,
      run: (log) => deployOnSim(f.sim, inputs, { log, requestedReason: 'checkout errors after v1.1.0' }),
    };
  },
};

export const plan: Scenario = {
  name: 'plan',
  title: 'mode: plan of a canary deploy (what a pull request sees): every write listed, none sent',
  expected: 'planned',
  build: () => {
    const f = blueGreenWorld();
    const inputs = blueGreenInputs(f, {
      mode: 'plan',
      'launch-template-version': '2',
      'version-label': 'v1.1.0',
      'traffic-shift': 'canary:10:5m',
      'bake-time': '5m',
    });
    return { sim: f.sim, run: (log) => deployOnSim(f.sim, inputs, { log }) };
  },
};

export const preflightFailure: Scenario = {
  name: 'preflight-failure',
  title: 'pre-flight refuses before any write: a misspelt group and an alarm that does not exist',
  expected: 'failed',
  build: () => {
    const f = blueGreenWorld();
    const inputs = blueGreenInputs(f, {
      'green-auto-scaling-group': 'app-gren',
      'launch-template-version': '2',
      'version-label': 'v1.1.0',
      'alarm-names': 'app-5xx, app-errors',
    });
    return { sim: f.sim, run: (log) => deployOnSim(f.sim, inputs, { log }) };
  },
};
