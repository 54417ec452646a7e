import { blueGreenFixture, type BlueGreenFixture } from '../sim/index.js';
import { configFrom, deployOnSim } from '../sim/run-on-sim.js';
import { readConfig } from '../src/inputs/index.js';
import { blueGreenInputs } from './helpers/blue-green.js';
import { singleGroupInputs } from './helpers/single-group.js';

/**
 * Production groups on the simulated AWS: the group's own scaling held still
 * for the deploy (suspend-processes) and put back exactly; failed launches
 * ending the wait with AWS's message; a scale-in by someone else during the
 * bake taken for what it is.
 */
const DEFAULT_SET = ['AZRebalance', 'AlarmNotification', 'ScheduledActions'];
const IMAGE_MISSING = "The image id '[ami-00000000000000002]' does not exist. Launching EC2 instance failed.";

type Strategy = 'blue-green' | 'rolling' | 'recreate';

function inputsFor(f: BlueGreenFixture, strategy: Strategy, extra: Record<string, string>) {
  return strategy === 'blue-green'
    ? blueGreenInputs(f, extra)
    : singleGroupInputs(f, strategy, { 'instance-warmup': '0', ...extra });
}

/** The groups a strategy touches: both colors, or the one group. */
const touched = (f: BlueGreenFixture, strategy: Strategy) =>
  strategy === 'blue-green' ? [f.blueGroup, f.greenGroup] : [f.blueGroup];

/** Samples every touched group's suspended processes each virtual second until stopped. */
function watchSuspended(f: BlueGreenFixture, groups: string[]) {
  const seen = new Map<string, Set<string>>(groups.map((g) => [g, new Set<string>()]));
  let stopped = false;
  const sample = () => {
    if (stopped) return;
    for (const g of groups) seen.set(g, new Set([...(seen.get(g) ?? []), ...f.sim.suspendedProcesses(g)]));
    f.sim.clock.schedule(f.sim.clock.now() + 1000, sample);
  };
  sample();
  return {
    stop: () => (stopped = true),
    seen: (g: string) => [...(seen.get(g) ?? [])].sort(),
  };
}

const world = (strategy: Strategy) => {
  const f = blueGreenFixture({ instances: 2, listeners: 1 });
  // the team had AZRebalance suspended on the live group: it stays suspended, whatever happens
  f.sim.suspendProcessesForTest(f.blueGroup, ['AZRebalance']);
  return { f, groups: touched(f, strategy) };
};

describe.each(['blue-green', 'rolling', 'recreate'] as const)(
  '%s: scaling held still for the run, put back exactly',
  (strategy) => {
    test('success: every touched group suspended during the run, each ends with the set it had', async () => {
      const { f, groups } = world(strategy);
      const before = groups.map((g) => f.sim.suspendedProcesses(g));
      const watch = watchSuspended(f, groups);
      const { report } = await deployOnSim(f.sim, inputsFor(f, strategy, { 'launch-template-version': '2' }));
      watch.stop();
      expect(report.result).toBe('deployed');
      for (const g of groups) expect({ g, during: watch.seen(g) }).toEqual({ g, during: DEFAULT_SET });
      expect(groups.map((g) => f.sim.suspendedProcesses(g))).toEqual(before);
      // the suspension comes before the first capacity write, and AZRebalance (already suspended) is not sent
      const writes = f.sim.writes().filter((w) => !w.command.endsWith('Tags'));
      expect(writes[0]?.command).toBe('SuspendProcesses');
      const blueSuspend = writes.find(
        (w) =>
          w.command === 'SuspendProcesses' &&
          (w.input as { AutoScalingGroupName?: string }).AutoScalingGroupName === f.blueGroup,
      );
      expect((blueSuspend?.input as { ScalingProcesses?: string[] }).ScalingProcesses).toEqual([
        'AlarmNotification',
        'ScheduledActions',
      ]);
    });

    test('failure with rollback: each group ends with the set it had', async () => {
      const { f, groups } = world(strategy);
      const before = groups.map((g) => f.sim.suspendedProcesses(g));
      const { report } = await deployOnSim(
        f.sim,
        inputsFor(f, strategy, { 'launch-template-version': String(f.badVersion), 'health-timeout': '3m' }),
      );
      expect(report.result).toBe('rolled-back');
      expect(groups.map((g) => f.sim.suspendedProcesses(g))).toEqual(before);
    });

    test('failure with auto-rollback false: the suspension still ends with the run', async () => {
      const { f, groups } = world(strategy);
      const before = groups.map((g) => f.sim.suspendedProcesses(g));
      const { report } = await deployOnSim(
        f.sim,
        inputsFor(f, strategy, {
          'launch-template-version': String(f.badVersion),
          'health-timeout': '3m',
          'auto-rollback': 'false',
        }),
      );
      expect(report.result).toBe('failed');
      expect(groups.map((g) => f.sim.suspendedProcesses(g))).toEqual(before);
    });

    test('a launch AWS fails ends the wait within one poll, with its message, and rolls back', async () => {
      const { f, groups } = world(strategy);
      const before = groups.map((g) => f.sim.suspendedProcesses(g));
      f.sim.failImage('ami-00000000000000002');
      const started = f.sim.clock.now();
      const { report, log } = await deployOnSim(
        f.sim,
        inputsFor(f, strategy, { 'launch-template-version': '2', 'health-timeout': '10m' }),
      );
      expect(report.result).toBe('rolled-back');
      expect(report.reason).toContain(IMAGE_MISSING);
      expect(report.outputs['rollback-reason']).toContain(IMAGE_MISSING);
      // the first failed activity is seen at the first poll after the write (poll-interval 10s), far from 10m
      const failed = report.steps.find((s) => s.outcome === 'failed');
      expect(failed?.detail).toContain(IMAGE_MISSING);
      expect((failed?.endedAt ?? Infinity) - (failed?.startedAt ?? 0)).toBeLessThanOrEqual(10_000);
      expect(f.sim.clock.now() - started).toBeLessThan(10 * 60_000);
      expect(log.lines.join('\n')).not.toMatch(/not reached within/);
      expect(groups.map((g) => f.sim.suspendedProcesses(g))).toEqual(before);
    });
  },
);

test('blue/green: a launch that fails once, then succeeds (AWS tries the next zone), completes with a warning', async () => {
  const f = blueGreenFixture({ instances: 2, listeners: 1 });
  f.sim.failNextLaunches(f.greenGroup, 1);
  const { report, log } = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }));
  expect(report.result).toBe('deployed');
  expect(f.sim.activities(f.greenGroup).some((a) => a.status === 'Failed')).toBe(true);
  expect(log.lines.join('\n')).toMatch(
    /app-green: a launch failed and AWS launched again: We currently do not have sufficient t3\.micro capacity in the Availability Zone you requested \(us-east-1a\)\./,
  );
});

test('rolling: a launch that fails once, then succeeds, completes', async () => {
  const f = blueGreenFixture({ instances: 2, listeners: 1 });
  f.sim.failNextLaunches(f.blueGroup, 1);
  const { report } = await deployOnSim(
    f.sim,
    singleGroupInputs(f, 'rolling', { 'launch-template-version': '2', 'instance-warmup': '0' }),
  );
  expect(report.result).toBe('deployed');
  expect(f.sim.activities(f.blueGroup).filter((a) => a.status === 'Failed')).toHaveLength(1);
});

test('a scheduled action on the new fleet is held still by the suspension', async () => {
  const f = blueGreenFixture({ instances: 2, listeners: 1 });
  // the team's scheduled action scales green to 1 during the bake
  f.sim.scheduleCapacity(
    f.greenGroup,
    f.sim.clock.now() + 90_000,
    { desired: 1, min: 1 },
    'scheduled-action',
  );
  const { report } = await deployOnSim(
    f.sim,
    blueGreenInputs(f, { 'launch-template-version': '2', 'bake-time': '5m', 'previous-fleet': 'keep' }),
  );
  expect(report.result).toBe('deployed');
  expect(f.sim.group(f.greenGroup).desired).toBe(2);
});

test('the same scheduled action without the suspension resizes the fleet: it is a warning, not a rollback', async () => {
  const f = blueGreenFixture({ instances: 2, listeners: 1 });
  f.sim.scheduleCapacity(
    f.greenGroup,
    f.sim.clock.now() + 90_000,
    { desired: 1, min: 1 },
    'scheduled-action',
  );
  const { report, log } = await deployOnSim(
    f.sim,
    blueGreenInputs(f, {
      'launch-template-version': '2',
      'bake-time': '5m',
      'previous-fleet': 'keep',
      'suspend-processes': 'none',
    }),
  );
  expect(f.sim.writes().filter((w) => w.command.endsWith('Processes'))).toEqual([]);
  expect(report.result).toBe('deployed');
  expect(f.sim.group(f.greenGroup).desired).toBe(1);
  expect(log.lines.join('\n')).toMatch(
    /app-green: desired capacity is now 1, was 2: changed outside this run/,
  );
});

test('scaled in by hand during the bake: not a health failure, the deploy completes', async () => {
  const f = blueGreenFixture({ instances: 3, listeners: 1 });
  const start = f.sim.clock.now();
  // green is healthy and serving after about 60 s; the bake runs 5 minutes after that
  f.sim.scheduleCapacity(f.greenGroup, start + 150_000, { desired: 2, min: 2 }, 'hand');
  const { report, log } = await deployOnSim(
    f.sim,
    blueGreenInputs(f, { 'launch-template-version': '2', 'bake-time': '5m' }),
  );
  expect(report.reason).toBeUndefined();
  expect(report.result).toBe('deployed');
  expect(log.lines.join('\n')).toMatch(/app-green: desired capacity is now 2, was 3/);
  expect(log.lines.join('\n')).toMatch(/bake green: .*2\/2 healthy, 0 alarms/);
});

test('an instance the target group reports unhealthy during the bake still rolls back, scale-in or not', async () => {
  const f = blueGreenFixture({ instances: 3, listeners: 1 });
  const start = f.sim.clock.now();
  f.sim.scheduleCapacity(f.greenGroup, start + 150_000, { desired: 2, min: 2 }, 'hand');
  const run = deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2', 'bake-time': '5m' }));
  f.sim.clock.schedule(start + 200_000, () => {
    const serving = f.sim.group(f.greenGroup).instances.filter((i) => i.lifecycle === 'InService');
    f.sim.markInstanceUnhealthy(serving[0]!.id);
  });
  const { report } = await run;
  expect(report.result).toBe('rolled-back');
  expect(report.reason).toMatch(/is unhealthy/);
});

describe('suspend-processes input', () => {
  const read = (value: string) =>
    readConfig(
      (name) =>
        ({
          'suspend-processes': value,
          'auto-scaling-group': 'web',
          strategy: 'rolling',
          'launch-template-version': '2',
        })[name] ?? '',
      {
        AWS_REGION: 'us-east-1',
      },
    );

  test.each(['Launch', 'Terminate', 'HealthCheck', 'ReplaceUnhealthy', 'AddToLoadBalancer'])(
    '%s is refused, naming the input',
    (name) => {
      const parsed = read(`AlarmNotification, ${name}`);
      expect(parsed.ok).toBe(false);
      if (parsed.ok) return;
      expect(parsed.problems).toEqual([
        {
          input: 'suspend-processes',
          message: `cannot suspend ${name}: the deploy needs it to launch, register, check and replace instances; leave it out`,
        },
      ]);
    },
  );

  test('an unknown name is refused; none turns it off; names are taken in any case', () => {
    const unknown = read('Scheduled');
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.problems[0]?.message).toMatch(/got "Scheduled"/);
    expect(
      configFrom({
        'suspend-processes': 'none',
        'auto-scaling-group': 'web',
        strategy: 'rolling',
        'launch-template-version': '2',
      }).suspendProcesses,
    ).toEqual([]);
    expect(
      configFrom({
        'suspend-processes': 'scheduledactions\nazrebalance',
        'auto-scaling-group': 'web',
        strategy: 'rolling',
        'launch-template-version': '2',
      }).suspendProcesses,
    ).toEqual(['ScheduledActions', 'AZRebalance']);
  });

  test('InstanceRefresh is refused for rolling, whose deploy is an Instance Refresh', () => {
    const parsed = read('InstanceRefresh');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.problems[0]).toEqual({
        input: 'suspend-processes',
        message:
          'cannot suspend InstanceRefresh with strategy rolling: the deploy is an Instance Refresh; leave it out',
      });
  });
});

test('calls per poll stay flat in fleet size: one DescribeScalingActivities per health poll, one DescribeAutoScalingGroups per gate poll', async () => {
  const counts = async (instances: number) => {
    const f = blueGreenFixture({ instances, listeners: 1 });
    await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2', 'bake-time': '1m' }));
    const by = new Map<string, number>();
    for (const c of f.sim.calls) by.set(c.command, (by.get(c.command) ?? 0) + 1);
    return Object.fromEntries([...by].sort());
  };
  const small = await counts(2);
  expect(await counts(150)).toEqual(small);
  // the health wait polls 7 times (0s … 60s): one activities read each
  expect(small.DescribeScalingActivities).toBe(7);
});
