import { LOCK_SETTLE_MS } from '../src/state/lock.js';
import { blueGreenFixture } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { blueGreenInputs, snapshot, trafficTargets } from './helpers/blue-green.js';
import { weightHistory } from './helpers/weights.js';

/** Canary and linear shifts on two listeners and a rule, in virtual time. */
function world() {
  const f = blueGreenFixture({ instances: 2, listeners: 2, rules: 1, stickiness: true });
  f.sim.createAlarm('app-5xx');
  f.sim.createAlarm('app-latency', 'INSUFFICIENT_DATA');
  return f;
}
const ROUTES = ['listener 1', 'listener 2', 'rule 1'];
const every = (t: number, blue: number, green: number) => ROUTES.map((route) => ({ t, route, blue, green }));

describe('progressive traffic shift on the simulated AWS', () => {
  test('canary:10:2m: 10 % on every route at once, held 2m under the gates, then 100 %', async () => {
    const f = world();
    // the plan starts once the deployment lock has settled
    const start = f.sim.clock.now() + LOCK_SETTLE_MS;
    const { report, log } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, {
        'launch-template-version': '2',
        'traffic-shift': 'canary:10:2m',
        'bake-time': '1m',
        'alarm-names': 'app-5xx,app-latency',
      }),
    );

    expect(report.result).toBe('deployed');
    // green boots (30 s) and passes 3 checks 10 s apart; the 60 s poll sees it healthy
    expect(weightHistory(f, start)).toEqual([...every(60_000, 90, 10), ...every(180_000, 0, 100)]);
    expect(trafficTargets(f)).toEqual([
      [f.greenTargetGroupArn],
      [f.greenTargetGroupArn],
      [f.greenTargetGroupArn],
    ]);
    expect(f.sim.listenerActions(f.listenerArns[1]!)[0]?.ForwardConfig?.TargetGroupStickinessConfig).toEqual({
      Enabled: true,
      DurationSeconds: 300,
    });
    expect(log.lines).toContain(
      'canary 10 %: 1m of 2m, 2/2 healthy, 0 alarms, INSUFFICIENT_DATA: app-latency',
    );
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ['prepare-idle', 'done'],
      ['wait-healthy', 'done'],
      ['shift-10', 'done'],
      ['pause-10', 'done'],
      ['shift-100', 'done'],
      ['bake', 'done'],
      ['verify-cut-over', 'done'],
      ['record-deployment', 'done'],
      ['scale-down-previous', 'done'],
    ]);
    expect(report.traffic?.map((r) => [r.at - start, r.step, r.weights.green, r.gate, r.watchedMs])).toEqual([
      [60_000, 'canary 10 %', 10, 'passed', 120_000],
      [180_000, 'canary 100 %', 100, undefined, 0],
      [180_000, 'bake', 100, 'passed', 60_000],
    ]);
    expect(report.traffic?.[0]?.alarms).toEqual([
      { name: 'app-5xx', state: 'OK' },
      { name: 'app-latency', state: 'INSUFFICIENT_DATA' },
    ]);
    // the old color kept its capacity until the bake was over
    const blueWrite = f.sim
      .writes()
      .find((w) => (w.input as { AutoScalingGroupName?: string }).AutoScalingGroupName === f.blueGroup);
    expect(blueWrite!.at - start).toBeGreaterThanOrEqual(240_000);
  });

  test('linear:25:1m: 25, 50, 75, 100 on every route, a minute apart', async () => {
    const f = world();
    // the plan starts once the deployment lock has settled
    const start = f.sim.clock.now() + LOCK_SETTLE_MS;
    const { report } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '2', 'traffic-shift': 'linear:25:1m' }),
    );
    expect(report.result).toBe('deployed');
    expect(weightHistory(f, start)).toEqual([
      ...every(60_000, 75, 25),
      ...every(120_000, 50, 50),
      ...every(180_000, 25, 75),
      ...every(240_000, 0, 100),
    ]);
  });

  test('an alarm going to ALARM during the canary puts 100 % back on blue, one write per route', async () => {
    const f = world();
    const before = snapshot(f);
    // the plan starts once the deployment lock has settled
    const start = f.sim.clock.now() + LOCK_SETTLE_MS;
    f.sim.setAlarmState('app-5xx', 'ALARM', start + 60_000 + 45_000);
    const { report } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, {
        'launch-template-version': '2',
        'traffic-shift': 'canary:10:2m',
        'alarm-names': 'app-5xx,app-latency',
      }),
    );

    expect(report.result).toBe('rolled-back');
    expect(report.outputs['rollback-reason']).toContain('alarm "app-5xx" is in ALARM');
    expect(report.outputs['active-color']).toBe('blue');
    // detected at the first poll after 45 s (50 s), restored at once
    expect(weightHistory(f, start)).toEqual([...every(60_000, 90, 10), ...every(110_000, 100, 0)]);
    expect(snapshot(f)).toEqual(before);
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ['prepare-idle', 'undone'],
      ['wait-healthy', 'done'],
      ['shift-10', 'undone'],
      ['pause-10', 'failed'],
    ]);
    expect(report.traffic?.map((r) => [r.at - start, r.step, r.weights, r.gate])).toEqual([
      [60_000, 'canary 10 %', { blue: 90, green: 10 }, 'failed'],
      [110_000, 'rollback', { blue: 100, green: 0 }, undefined],
    ]);
    expect(report.traffic?.[0]?.alarms).toContainEqual({ name: 'app-5xx', state: 'ALARM' });
  });

  test('a new target turning unhealthy during the bake rolls everything back', async () => {
    const f = world();
    const before = snapshot(f);
    // the plan starts once the deployment lock has settled
    const start = f.sim.clock.now() + LOCK_SETTLE_MS;
    const run = deployOnSim(
      f.sim,
      blueGreenInputs(f, {
        'launch-template-version': '2',
        'traffic-shift': 'canary:50:1m',
        'bake-time': '3m',
      }),
    );
    while (f.sim.clock.now() - start < 150_000) await new Promise((r) => setImmediate(r));
    const victim = f.sim.group(f.greenGroup).instances[1]!.id;
    f.sim.markInstanceUnhealthy(victim);
    const { report } = await run;

    expect(report.result).toBe('rolled-back');
    expect(report.reason).toMatch(
      new RegExp(`^Bake green for 3m: bake green: instance ${victim} is unhealthy`),
    );
    expect(snapshot(f)).toEqual(before);
    expect(f.sim.group(f.blueGroup).instances.map((i) => i.lifecycle)).toEqual(['InService', 'InService']);
  });

  test('an alarm that does not exist, or is in ALARM already, is refused before any write', async () => {
    const f = world();
    f.sim.setAlarmState('app-5xx', 'ALARM');
    const { report } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, {
        'launch-template-version': '2',
        'traffic-shift': 'canary:10:2m',
        'alarm-names': 'app-5xx,app-errors',
      }),
    );
    expect(report.result).toBe('failed');
    expect(report.problems).toEqual([
      'alarm-names: no CloudWatch alarm named "app-errors" in this account and region',
      expect.stringMatching(/^alarm-names: "app-5xx" is in ALARM before any change/),
    ]);
    expect(f.sim.writes()).toEqual([]);
  });
});
