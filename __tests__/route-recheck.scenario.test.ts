/**
 * The world changes during a deploy (issue 15): routes edited by an operator,
 * stickiness toggled, capacity set by hand or by scaling, a rule added last
 * month. Each change is injected at a chosen moment of the run (just before a
 * chosen call of the action, in virtual time); the run must never leave traffic
 * on a fleet of zero, never scale down a fleet that serves and never overwrite
 * a change it did not make.
 */
import { blueGreenFixture, type BlueGreenFixture, type CallRecord } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { blueGreenInputs, trafficTargets } from './helpers/blue-green.js';
import { singleGroupInputs } from './helpers/single-group.js';

const forward = (weights: [string, number][], stickiness = false) => [
  {
    Type: 'forward' as const,
    ForwardConfig: {
      TargetGroups: weights.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })),
      TargetGroupStickinessConfig: stickiness ? { Enabled: true, DurationSeconds: 600 } : { Enabled: false },
    },
  },
];

describe('every route that reaches a fleet is known before any write', () => {
  test('an /api/* rule to blue that the inputs do not name is refused before any write, with the line that names it', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const api = f.sim.createRule({
      listenerArn: f.listenerArns[0]!,
      priority: 5,
      conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }],
      actions: forward([[f.blueTargetGroupArn, 1]]),
    });

    const { report } = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }));

    expect(report.result).toBe('failed');
    expect(f.sim.writes()).toEqual([]);
    const problem = report.problems.find((p) => p.includes('/api/*'));
    expect(problem).toMatch(
      /^listener-rule-arns: listener-rule\/app\/.*\(priority 5, path-pattern \/api\/\*, on listener port 80\)/,
    );
    expect(problem).toContain('blue (app-blue) weight 1 of 1');
    expect(problem).toContain(`Add this line to listener-rule-arns: ${api}`);
    expect(trafficTargets(f)).toEqual([[f.blueTargetGroupArn]]);

    // named, it moves with the listener
    const named = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '2', 'listener-rule-arns': api }),
    );
    expect(named.report.result).toBe('deployed');
    expect(f.sim.ruleActions(api)[0]?.ForwardConfig?.TargetGroups).toEqual([
      { TargetGroupArn: f.blueTargetGroupArn, Weight: 0 },
      { TargetGroupArn: f.greenTargetGroupArn, Weight: 100 },
    ]);
  });

  test('a listener of the same load balancer not named in listener-arns is refused too; weight 0 references are not traffic', async () => {
    const f = blueGreenFixture({ instances: 2, listeners: 3 });
    const inputs = blueGreenInputs(f, { 'launch-template-version': '2' });
    inputs['listener-arns'] = f.listenerArns.slice(0, 2).join('\n');
    // a rule that only references green at weight 0 (and serves another group) is no route to the fleets
    const other = f.sim.createTargetGroup({ name: 'other' });
    f.sim.createRule({
      listenerArn: f.listenerArns[0]!,
      priority: 7,
      conditions: [{ Field: 'host-header', Values: ['admin.example.com'] }],
      actions: forward([
        [other, 1],
        [f.greenTargetGroupArn, 0],
      ]),
    });

    const { report } = await deployOnSim(f.sim, inputs);

    expect(report.result).toBe('failed');
    expect(f.sim.writes()).toEqual([]);
    expect(report.problems).toEqual([
      expect.stringMatching(
        new RegExp(
          `^listener-arns: listener\\/app\\/.*\\(HTTP:8081\\) default action forwards to blue \\(app-blue\\) weight 100 of 100 .*Add this line to listener-arns: ${f.listenerArns[2]!}$`,
        ),
      ),
    ]);
  });
});

describe('recreate: every route that reaches the group gets the maintenance response', () => {
  test('a rule of a named listener forwarding to the group answers 503 too, and gets its exact actions back', async () => {
    const f = blueGreenFixture({ instances: 2, listeners: 1, rules: 1, stickiness: true });
    const rule = f.ruleArns[0]!;
    const before = f.sim.ruleActions(rule);
    const types: string[] = [];
    // what the rule answers while the fleet is replaced (sampled when the refresh is started)
    f.sim.beforeCall(
      (c) => c.command === 'StartInstanceRefresh',
      () => types.push(...f.sim.ruleActions(rule).map((a) => a.Type ?? '')),
    );

    const { report } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'recreate', { 'launch-template-version': '2' }),
    );

    expect(report.result).toBe('deployed');
    expect(types).toEqual(['fixed-response']);
    expect(f.sim.ruleActions(rule)).toEqual(before);
    expect(report.steps.find((s) => s.id === 'maintenance-on')?.title).toBe(
      'Serve 503 on 1 listener(s) and 1 rule(s) while app-blue is replaced',
    );
  });

  test('a listener not named (or a rule of one) that forwards to the group is refused before any write', async () => {
    const f = blueGreenFixture({ instances: 2, listeners: 2 });
    f.sim.createRule({
      listenerArn: f.listenerArns[1]!,
      priority: 3,
      conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }],
      actions: forward([[f.blueTargetGroupArn, 1]]),
    });
    const inputs = singleGroupInputs(f, 'recreate', { 'launch-template-version': '2' });
    inputs['listener-arns'] = f.listenerArns[0]!;

    const { report } = await deployOnSim(f.sim, inputs);

    expect(report.result).toBe('failed');
    expect(f.sim.writes()).toEqual([]);
    const line = `Add this line to listener-arns: ${f.listenerArns[1]!}`;
    expect(report.problems).toEqual([
      expect.stringMatching(
        /^listener-arns: listener\/app\/.*\(HTTP:8080\) default action forwards to targetgroup\/app-blue\/0000000000000001 weight 100 of 100 but its listener is not named/,
      ),
      expect.stringMatching(
        /^listener-arns: listener-rule\/app\/.*\(priority 3, path-pattern \/api\/\*, on listener port 8080\) forwards to targetgroup\/app-blue\/0000000000000001 weight 1 of 1/,
      ),
    ]);
    expect(report.problems.every((p) => p.endsWith(line))).toBe(true);
  });
});

/** Matches the first call the action makes `afterMs` or more after its `n`-th call of `command`. */
const after =
  (f: BlueGreenFixture, command: string, n: number, afterMs: number) =>
  (call: CallRecord): boolean => {
    const nth = f.sim.calls.filter((c) => c.command === command && !c.fault)[n - 1];
    return nth !== undefined && call.at >= nth.at + afterMs;
  };

const setListener = (f: BlueGreenFixture, arn: string, actions: object[]) =>
  f.sim.external('elbv2', 'ModifyListener', { ListenerArn: arn, DefaultActions: actions });

const blueUntouched = (f: BlueGreenFixture) => {
  expect(
    f.sim
      .writes()
      .filter((w) => w.command === 'UpdateAutoScalingGroup')
      .map((w) => (w.input as { AutoScalingGroupName: string }).AutoScalingGroupName),
  ).not.toContain(f.blueGroup);
  const blue = f.sim.group(f.blueGroup);
  expect(blue.desired).toBe(2);
  expect(blue.instances.map((i) => i.lifecycle)).toEqual(['InService', 'InService']);
};

describe('before the old fleet is scaled down', () => {
  test('an operator puts every route back on blue during the bake: blue is not scaled down, the run fails naming the routes', async () => {
    const f = blueGreenFixture({ instances: 2, listeners: 2 });
    // one minute into the bake (the cut-over wrote both listeners)
    f.sim.beforeCall(after(f, 'ModifyListener', 2, 60_000), () => {
      for (const arn of f.listenerArns)
        setListener(
          f,
          arn,
          forward([
            [f.blueTargetGroupArn, 100],
            [f.greenTargetGroupArn, 0],
          ]),
        );
    });

    const { report } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '2', 'bake-time': '5m' }),
    );

    expect(report.result).toBe('rolled-back');
    expect(report.outputs.result).toBe('rolled-back');
    expect(report.reason).toMatch(
      /^Check that no route still sends traffic to blue .*: app-blue \(blue\) is not scaled down: /,
    );
    for (const arn of f.listenerArns)
      expect(report.reason).toContain(
        `${arn} still forwards to blue ${f.blueTargetGroupArn} weight 100 of 100`,
      );
    blueUntouched(f);
    expect(trafficTargets(f)).toEqual([[f.blueTargetGroupArn], [f.blueTargetGroupArn]]);
    expect(f.sim.group(f.greenGroup)).toMatchObject({ min: 0, max: 0, desired: 0 });
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ['suspend-processes', 'undone'],
      ['prepare-idle', 'undone'],
      ['wait-healthy', 'done'],
      ['shift-traffic', 'undone'],
      ['bake', 'done'],
      // it failed, and its undo (the operator's routes, kept as they are) was applied first
      ['verify-cut-over', 'undone'],
    ]);
    expect(report.steps.find((s) => s.id === 'verify-cut-over')?.outcome).toBe('failed');
  });

  test('the new fleet set to 0 during the bake: the bake gate fails naming the change, traffic goes back to blue', async () => {
    const f = blueGreenFixture({ instances: 2 });
    f.sim.beforeCall(after(f, 'ModifyListener', 1, 60_000), () =>
      f.sim.external('autoscaling', 'UpdateAutoScalingGroup', {
        AutoScalingGroupName: f.greenGroup,
        MinSize: 0,
        DesiredCapacity: 0,
      }),
    );

    const { report } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '2', 'bake-time': '5m' }),
    );

    expect(report.result).toBe('rolled-back');
    expect(report.reason).toMatch(
      /^Bake green for 5m: .*app-green \(green, serving\): desired capacity 2 → 0, changed by someone else/,
    );
    blueUntouched(f);
    expect(trafficTargets(f)).toEqual([[f.blueTargetGroupArn]]);
  });

  test('the new fleet set to 0 after the bake, just before the scale-down: refused, rolled back, not deployed', async () => {
    const f = blueGreenFixture({ instances: 2 });
    // the check's route scan starts with DescribeTargetGroups; pre-flight's was the first one
    f.sim.beforeCall(
      (c) => c.command === 'DescribeTargetGroups' && f.sim.calls.some((x) => x.command === 'ModifyListener'),
      () =>
        f.sim.external('autoscaling', 'UpdateAutoScalingGroup', {
          AutoScalingGroupName: f.greenGroup,
          MinSize: 0,
          DesiredCapacity: 0,
        }),
    );

    const { report } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '2', 'bake-time': '1m' }),
    );

    expect(report.result).toBe('rolled-back');
    expect(report.reason).toContain(
      'app-blue (blue) is not scaled down: app-green (green, new): desired capacity 2 → 0, changed by someone else during the deploy',
    );
    blueUntouched(f);
    expect(trafficTargets(f)).toEqual([[f.blueTargetGroupArn]]);
  });
});

describe('before every traffic step', () => {
  test('the live fleet scales out 2 → 4 during the canary: the new fleet is grown to 4 and healthy before 100 %', async () => {
    const f = blueGreenFixture({ instances: 2 });
    f.sim.beforeCall(after(f, 'ModifyListener', 1, 30_000), () =>
      f.sim.external('autoscaling', 'UpdateAutoScalingGroup', {
        AutoScalingGroupName: f.blueGroup,
        MaxSize: 4,
        DesiredCapacity: 4,
      }),
    );

    const { report } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '2', 'traffic-shift': 'canary:10:2m' }),
    );

    expect(report.result).toBe('deployed');
    const writes = f.sim.writes();
    const grow = writes.find(
      (w) =>
        w.command === 'UpdateAutoScalingGroup' &&
        (w.input as { AutoScalingGroupName: string; DesiredCapacity?: number }).DesiredCapacity === 4,
    );
    expect(grow?.input).toMatchObject({ AutoScalingGroupName: f.greenGroup, MaxSize: 4, DesiredCapacity: 4 });
    const full = writes.filter((w) => w.command === 'ModifyListener')[1]!;
    expect(grow!.seq).toBeLessThan(full.seq);
    // every new instance was healthy before the 100 % write: the green health reads before it say 4/4
    const healthBefore = f.sim.calls.filter(
      (c) => c.seq < full.seq && c.seq > grow!.seq && c.command === 'DescribeTargetHealth',
    );
    expect(healthBefore.length).toBeGreaterThan(0);
    expect(report.steps.find((s) => s.id === 'shift-100')?.detail).toMatch(
      /^app-green grown 2 → 4 to match app-blue \(4 healthy in /,
    );
    expect(f.sim.group(f.greenGroup)).toMatchObject({ desired: 4 });
    expect(f.sim.group(f.greenGroup).instances.filter((i) => i.lifecycle === 'InService')).toHaveLength(4);
  });

  test('stickiness turned on during the canary: never overwritten, the run stops with the change named', async () => {
    const f = blueGreenFixture({ instances: 2, listeners: 2 });
    const listener = f.listenerArns[1]!;
    f.sim.beforeCall(after(f, 'ModifyListener', 2, 30_000), () => {
      const actions = f.sim.listenerActions(listener);
      actions[0]!.ForwardConfig!.TargetGroupStickinessConfig = { Enabled: true, DurationSeconds: 600 };
      setListener(f, listener, actions);
    });

    const { report } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '2', 'traffic-shift': 'canary:10:2m' }),
    );

    expect(report.result).toBe('rolled-back');
    expect(report.reason).toContain(
      `${listener}: stickiness off → on (600 s). The deploy stops here so that the change is not overwritten`,
    );
    // the 100 % step wrote nothing
    expect(f.sim.writes().filter((w) => w.command === 'ModifyListener')).toHaveLength(4);
    const [after0, after1] = f.listenerArns.map((arn) => f.sim.listenerActions(arn)[0]?.ForwardConfig);
    expect(after1).toEqual({
      TargetGroups: [
        { TargetGroupArn: f.blueTargetGroupArn, Weight: 100 },
        { TargetGroupArn: f.greenTargetGroupArn, Weight: 0 },
      ],
      TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 600 },
    });
    expect(after0?.TargetGroupStickinessConfig).toEqual({ Enabled: false });
    expect(trafficTargets(f)).toEqual([[f.blueTargetGroupArn], [f.blueTargetGroupArn]]);
    blueUntouched(f);
  });
});

describe('a change someone else made to a route is never overwritten', () => {
  test('a rule set back to blue by hand during a linear shift: the next step refuses to write, naming the weights', async () => {
    const f = blueGreenFixture({ instances: 2, rules: 1 });
    const rule = f.ruleArns[0]!;
    // during the 25 % hold (both routes written once)
    f.sim.beforeCall(after(f, 'ModifyRule', 1, 20_000), () =>
      f.sim.external('elbv2', 'ModifyRule', {
        RuleArn: rule,
        Actions: forward([
          [f.blueTargetGroupArn, 100],
          [f.greenTargetGroupArn, 0],
        ]),
      }),
    );

    const { report } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '2', 'traffic-shift': 'linear:25:1m' }),
    );

    expect(report.result).toBe('rolled-back');
    expect(report.reason).toMatch(/^Shift 50 % of 2 route\(s\) to green: changed by someone else/);
    expect(report.reason).toContain(`${rule}: weights blue 75 → 100, green 25 → 0.`);
    expect(f.sim.writes().filter((w) => w.command === 'ModifyRule')).toHaveLength(2); // 25 %, then the rollback
    expect(trafficTargets(f)).toEqual([[f.blueTargetGroupArn], [f.blueTargetGroupArn]]);
    blueUntouched(f);
  });

  test('between two target groups (no groups): stickiness turned on during the canary is kept, the run stops', async () => {
    const f = blueGreenFixture({ instances: 2, greenDesired: 2 });
    const listener = f.listenerArns[0]!;
    f.sim.beforeCall(after(f, 'ModifyListener', 1, 30_000), () => {
      const actions = f.sim.listenerActions(listener);
      actions[0]!.ForwardConfig!.TargetGroupStickinessConfig = { Enabled: true, DurationSeconds: 60 };
      setListener(f, listener, actions);
    });

    const { report } = await deployOnSim(f.sim, {
      'listener-arns': listener,
      'blue-target-group-arn': f.blueTargetGroupArn,
      'green-target-group-arn': f.greenTargetGroupArn,
      'traffic-shift': 'canary:50:1m',
      'poll-interval': '10s',
    });

    expect(report.result).toBe('rolled-back');
    expect(report.reason).toContain('stickiness off → on (60 s)');
    expect(f.sim.listenerActions(listener)[0]?.ForwardConfig).toEqual({
      TargetGroups: [
        { TargetGroupArn: f.blueTargetGroupArn, Weight: 100 },
        { TargetGroupArn: f.greenTargetGroupArn, Weight: 0 },
      ],
      TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 60 },
    });
  });
});
