import { blueGreenFixture, type BlueGreenFixture } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { snapshot, trafficTargets } from './helpers/blue-green.js';
import { weightHistory } from './helpers/weights.js';

/** Fleets deployed by other means: only the two target groups are given, and only traffic moves. */
function inputs(f: BlueGreenFixture, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'listener-arns': f.listenerArns.join(','),
    'listener-rule-arns': f.ruleArns.join(','),
    'blue-target-group-arn': f.blueTargetGroupArn,
    'green-target-group-arn': f.greenTargetGroupArn,
    'traffic-shift': 'canary:50:1m',
    'alarm-names': 'app-5xx',
    ...extra,
  };
}
function world(greenDesired = 2) {
  const f = blueGreenFixture({ instances: 2, greenDesired, listeners: 1, rules: 1, stickiness: true });
  f.sim.createAlarm('app-5xx');
  return f;
}

describe('blue/green between two target groups (no Auto Scaling group inputs)', () => {
  test('moves traffic with the gates and writes nothing but the routes', async () => {
    const f = world();
    const start = f.sim.clock.now(); // no Auto Scaling group: no lock to take
    const { report } = await deployOnSim(f.sim, inputs(f, { 'version-label': 'v7' }));

    expect(report.result).toBe('deployed');
    expect(trafficTargets(f)).toEqual([[f.greenTargetGroupArn], [f.greenTargetGroupArn]]);
    expect(new Set(f.sim.writes().map((w) => w.command))).toEqual(new Set(['ModifyListener', 'ModifyRule']));
    expect(weightHistory(f, start).map((w) => [w.t, w.route, w.green])).toEqual([
      [0, 'listener 1', 50],
      [0, 'rule 1', 50],
      [60_000, 'listener 1', 100],
      [60_000, 'rule 1', 100],
    ]);
    expect(report.outputs).toEqual({
      result: 'deployed',
      'active-color': 'green',
      'active-auto-scaling-group': '',
      'active-target-group-arn': f.greenTargetGroupArn,
      'previous-color': 'blue',
      'previous-auto-scaling-group': '',
      'version-label': 'v7',
      'previous-version-label': '',
      'launch-template-version': '',
      'rollback-reason': '',
      'duration-seconds': '60',
    });
    expect(report.after.map((r) => [r.name, r.traffic, r.health])).toEqual([
      ['blue', 0, '2/2 healthy'],
      ['green', 100, '2/2 healthy'],
    ]);
  });

  test('a gate failure moves traffic back and touches no capacity', async () => {
    const f = world();
    const before = snapshot(f);
    f.sim.setAlarmState('app-5xx', 'ALARM', f.sim.clock.now() + 30_000);
    const { report } = await deployOnSim(f.sim, inputs(f));

    expect(report.result).toBe('rolled-back');
    expect(report.outputs).toMatchObject({
      'active-color': 'blue',
      'active-target-group-arn': f.blueTargetGroupArn,
      'rollback-reason': expect.stringContaining('alarm "app-5xx" is in ALARM'),
    });
    expect(snapshot(f)).toEqual(before);
    expect(f.sim.writes().filter((w) => w.command === 'UpdateAutoScalingGroup')).toEqual([]);
  });

  test('an idle target group with no targets is refused before any write', async () => {
    const f = world(0);
    const { report } = await deployOnSim(f.sim, inputs(f));
    expect(report.result).toBe('failed');
    expect(report.problems).toEqual([
      expect.stringMatching(/^green-target-group-arn: targetgroup\/app-green\/.* has no registered targets/),
    ]);
    expect(f.sim.writes()).toEqual([]);
  });

  test('a route forwarding to a third target group is refused before any write', async () => {
    const f = world();
    const { report } = await deployOnSim(f.sim, {
      ...inputs(f),
      'green-target-group-arn': f.sim.createTargetGroup({ name: 'elsewhere' }),
    });
    expect(report.result).toBe('failed');
    expect(report.problems.join('\n')).toMatch(/forwards to target groups other than blue and green/);
    expect(f.sim.writes()).toEqual([]);
  });
});
