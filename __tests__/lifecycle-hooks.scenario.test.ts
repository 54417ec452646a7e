import { blueGreenFixture, type BlueGreenFixture } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { blueGreenInputs } from './helpers/blue-green.js';
import { singleGroupInputs } from './helpers/single-group.js';

/**
 * Groups with lifecycle hooks, on the simulated AWS in virtual time: a
 * launching hook holds each new instance in Pending:Wait until someone
 * completes the lifecycle action (here the test, at a virtual time it picks)
 * or the heartbeat runs out (DefaultResult). The deploy waits, names the hook
 * in its progress lines, and judges abandoned launches as it judges failed ones.
 */
type Strategy = 'blue-green' | 'rolling' | 'recreate';
const LAUNCHING = 'autoscaling:EC2_INSTANCE_LAUNCHING';

function inputsFor(f: BlueGreenFixture, strategy: Strategy, extra: Record<string, string>) {
  return strategy === 'blue-green'
    ? blueGreenInputs(f, extra)
    : singleGroupInputs(f, strategy, { 'instance-warmup': '0', ...extra });
}

/** The group whose new instances the deploy waits for: the idle color, or the one group. */
const launching = (f: BlueGreenFixture, strategy: Strategy) =>
  strategy === 'blue-green' ? f.greenGroup : f.blueGroup;

function putHook(f: BlueGreenFixture, group: string, hook: { heartbeat: number; defaultResult?: string }) {
  f.sim.external('autoscaling', 'PutLifecycleHook', {
    AutoScalingGroupName: group,
    LifecycleHookName: 'boot',
    LifecycleTransition: LAUNCHING,
    HeartbeatTimeout: hook.heartbeat,
    ...(hook.defaultResult && { DefaultResult: hook.defaultResult }),
  });
}

/**
 * Someone else's bootstrap (a Lambda, the user data) completing the lifecycle
 * action: every virtual second, each instance held `afterMs` or longer gets
 * `result` (by its version), unless `skip` says to leave it to its heartbeat timeout.
 */
function releaser(
  f: BlueGreenFixture,
  group: string,
  p: {
    afterMs: number;
    /** The result for an instance of this launch template version (CONTINUE by default). */
    result?: (version: number) => 'CONTINUE' | 'ABANDON';
    skip?: (id: string, nth: number) => boolean;
  },
) {
  const heldSince = new Map<string, number>();
  const released: { id: string; at: number }[] = [];
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    const now = f.sim.clock.now();
    for (const i of f.sim.group(group).instances) {
      if (i.lifecycle !== 'Pending:Wait') continue;
      if (!heldSince.has(i.id)) heldSince.set(i.id, now);
      const nth = [...heldSince.keys()].indexOf(i.id);
      if (now - (heldSince.get(i.id) ?? now) < p.afterMs || p.skip?.(i.id, nth)) continue;
      f.sim.external('autoscaling', 'CompleteLifecycleAction', {
        AutoScalingGroupName: group,
        LifecycleHookName: 'boot',
        InstanceId: i.id,
        LifecycleActionResult: p.result?.(i.version) ?? 'CONTINUE',
      });
      released.push({ id: i.id, at: now });
    }
    f.sim.clock.schedule(now + 1000, tick);
  };
  tick();
  return { released, held: () => [...heldSince.keys()], stop: () => (stopped = true) };
}

describe.each(['blue-green', 'rolling', 'recreate'] as const)(
  '%s on a group with a launching hook',
  (strategy) => {
    test('instances held by the hook then released: the deploy waits, names the hook, and completes', async () => {
      const f = blueGreenFixture({ instances: 2, listeners: 1 });
      const group = launching(f, strategy);
      putHook(f, group, { heartbeat: 300 });
      const release = releaser(f, group, { afterMs: 90_000 });
      const { report, log } = await deployOnSim(
        f.sim,
        inputsFor(f, strategy, { 'launch-template-version': '2' }),
      );
      release.stop();
      const text = log.lines.join('\n');
      expect(report.result).toBe('deployed');
      expect(release.released.length).toBeGreaterThanOrEqual(2);
      expect(text).toContain(
        `${group} has lifecycle hook(s): boot (${LAUNCHING}, heartbeat 300s, default result ABANDON)`,
      );
      // progress lines while the hook holds them: named, with the heartbeat (rolling and recreate: the
      // refresh's line, from the launch activities each poll reads anyway, MidLifecycleAction)
      expect(text).toMatch(/\d+ waiting on hook boot \(heartbeat 300s\)/);
      if (strategy === 'blue-green')
        expect(text).toMatch(/0\/2 healthy, 2 waiting on hook boot \(heartbeat 300s\)/);
      // health-timeout (10m; rolling, recreate: timeout, 30m) outlasts the heartbeat: no warning
      expect(text).not.toMatch(/warning: (health-)?timeout /);
      // every instance of the group now is InService and on version 2
      const instances = f.sim.group(group).instances;
      expect(instances.map((i) => [i.lifecycle, i.version])).toEqual([
        ['InService', 2],
        ['InService', 2],
      ]);
    });
  },
);

describe('blue-green: launches abandoned by the hook', () => {
  test('a hook that times out once (ABANDON) then lets the replacement in: deployed, with a warning', async () => {
    const f = blueGreenFixture({ instances: 2, listeners: 1 });
    putHook(f, f.greenGroup, { heartbeat: 60 });
    // the first instance launched is never completed: its heartbeat (60 s) runs out and AWS abandons it
    const release = releaser(f, f.greenGroup, { afterMs: 20_000, skip: (_, nth) => nth === 0 });
    const { report, log } = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }));
    release.stop();
    expect(report.result).toBe('deployed');
    const abandoned = release.held()[0]!;
    expect(release.released.map((r) => r.id)).not.toContain(abandoned);
    const warnings = log.lines.filter((l) => l.startsWith('warning: '));
    expect(warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^warning: ${f.greenGroup}: a launch failed and AWS launched again: Instance failed to complete user's Lifecycle Action: Lifecycle Action with token [0-9a-f-]{36} was abandoned: Heartbeat Timeout$`,
        ),
      ),
    ]);
    expect(f.sim.group(f.greenGroup).instances.map((i) => i.id)).not.toContain(abandoned);
  });

  test("a hook that abandons every instance: the deploy fails with AWS's message within a poll and rolls back", async () => {
    const f = blueGreenFixture({ instances: 2, listeners: 1 });
    putHook(f, f.greenGroup, { heartbeat: 300 });
    const release = releaser(f, f.greenGroup, { afterMs: 15_000, result: () => 'ABANDON' });
    const started = f.sim.clock.now();
    const { report } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '2', 'health-timeout': '10m' }),
    );
    release.stop();
    expect(report.result).toBe('rolled-back');
    const message =
      /Instance failed to complete user's Lifecycle Action: Lifecycle Action with token [0-9a-f-]{36} was abandoned: Lifecycle Action Completed with ABANDON Result/;
    expect(report.reason).toMatch(message);
    expect(report.outputs['rollback-reason']).toMatch(message);
    // AWS launched replacements after the first abandons (a warning each); the second round, unanswered, fails
    // the wait at the first poll after it (poll-interval 10s), far from health-timeout
    const second = release.released[3]!.at;
    const failed = report.steps.find((s) => s.outcome === 'failed');
    expect(failed?.endedAt ?? Infinity).toBeLessThanOrEqual(second + 10_000);
    expect(f.sim.clock.now() - started).toBeLessThan(3 * 60_000);
    // rolled back: blue still serves, green scaled back to nothing
    expect(f.sim.group(f.greenGroup).desired).toBe(0);
    const forward = f.sim.listenerActions(f.listenerArns[0]!)[0]?.ForwardConfig?.TargetGroups ?? [];
    expect(forward.filter((t) => (t.Weight ?? 0) > 0).map((t) => t.TargetGroupArn)).toEqual([
      f.blueTargetGroupArn,
    ]);
  });
});

describe('pre-flight with lifecycle hooks', () => {
  test('health-timeout shorter than a launching hook heartbeat: a warning naming the hook and both durations', async () => {
    const f = blueGreenFixture({ instances: 2, listeners: 1 });
    putHook(f, f.greenGroup, { heartbeat: 300 });
    const { report, log } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '2', 'health-timeout': '2m', mode: 'plan' }),
    );
    expect(report.result).toBe('planned');
    const warnings = log.lines.filter((l) => l.startsWith('warning: '));
    expect(warnings).toEqual([
      `warning: health-timeout 2m is shorter than the heartbeat timeout of lifecycle hook boot on ${f.greenGroup} (5m, 300s): new instances can wait in Pending:Wait for the whole heartbeat and are then terminated (DefaultResult ABANDON), so the deploy may time out and roll back first. Raise health-timeout above 5m, or have the hook completed (CompleteLifecycleAction) sooner.`,
    ]);
    // plan mode lists the hooks in the pre-flight log, and reads them once per group
    expect(log.lines).toContain(
      `${f.greenGroup} has lifecycle hook(s): boot (${LAUNCHING}, heartbeat 300s, default result ABANDON)`,
    );
    const reads = f.sim.calls.filter((c) => c.command === 'DescribeLifecycleHooks');
    expect(
      reads.map((c) => (c.input as { AutoScalingGroupName: string }).AutoScalingGroupName).sort(),
    ).toEqual([f.blueGroup, f.greenGroup].sort());
    expect(f.sim.writes()).toEqual([]);
  });

  test("rolling: the Instance Refresh runs within `timeout`, so the warning compares the heartbeat with it (AWS's default 3600 s)", async () => {
    const f = blueGreenFixture({ instances: 2, listeners: 1 });
    f.sim.external('autoscaling', 'PutLifecycleHook', {
      AutoScalingGroupName: f.blueGroup,
      LifecycleHookName: 'boot',
      LifecycleTransition: LAUNCHING,
    });
    const { log } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'rolling', {
        'launch-template-version': '2',
        mode: 'plan',
      }),
    );
    expect(log.lines.filter((l) => l.startsWith('warning: '))).toEqual([
      `warning: timeout 30m is shorter than the heartbeat timeout of lifecycle hook boot on ${f.blueGroup} (1h, 3600s): new instances can wait in Pending:Wait for the whole heartbeat and are then terminated (DefaultResult ABANDON), so the deploy may time out and roll back first. Raise timeout above 1h, or have the hook completed (CompleteLifecycleAction) sooner.`,
    ]);
  });

  test('a terminating hook, or a heartbeat within health-timeout: no warning', async () => {
    const f = blueGreenFixture({ instances: 2, listeners: 1 });
    putHook(f, f.greenGroup, { heartbeat: 120 });
    f.sim.external('autoscaling', 'PutLifecycleHook', {
      AutoScalingGroupName: f.blueGroup,
      LifecycleHookName: 'drain',
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      HeartbeatTimeout: 7200,
    });
    const { log } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '2', 'health-timeout': '5m', mode: 'plan' }),
    );
    expect(log.lines.filter((l) => l.startsWith('warning: '))).toEqual([]);
    expect(log.lines).toContain(
      `${f.blueGroup} has lifecycle hook(s): drain (autoscaling:EC2_INSTANCE_TERMINATING, heartbeat 7200s, default result ABANDON)`,
    );
  });
});

describe('rolling: launches abandoned by the hook', () => {
  test('a replacement abandoned once (heartbeat timeout), then its own replacement let in: deployed, with a warning', async () => {
    const f = blueGreenFixture({ instances: 2, listeners: 1 });
    putHook(f, f.blueGroup, { heartbeat: 60 });
    const release = releaser(f, f.blueGroup, { afterMs: 20_000, skip: (_, nth) => nth === 0 });
    const { report, log } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'rolling', { 'instance-warmup': '0', 'launch-template-version': '2' }),
    );
    release.stop();
    expect(report.result).toBe('deployed');
    expect(log.lines.filter((l) => l.startsWith('warning: '))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^warning: ${f.blueGroup}: a launch failed and AWS launched again: Instance failed to complete user's Lifecycle Action: Lifecycle Action with token [0-9a-f-]{36} was abandoned: Heartbeat Timeout$`,
        ),
      ),
    ]);
    expect(f.sim.group(f.blueGroup).instances.map((i) => [i.lifecycle, i.version])).toEqual([
      ['InService', 2],
      ['InService', 2],
    ]);
  });

  test("every new-version instance abandoned: fails with AWS's message within a poll, the refresh rolled back", async () => {
    const f = blueGreenFixture({ instances: 2, listeners: 1 });
    putHook(f, f.blueGroup, { heartbeat: 300 });
    // the bootstrap fails on version 2 only: the rollback's version-1 instances are let in
    const release = releaser(f, f.blueGroup, {
      afterMs: 15_000,
      result: (version) => (version === 2 ? 'ABANDON' : 'CONTINUE'),
    });
    const { report } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'rolling', { 'instance-warmup': '0', 'launch-template-version': '2' }),
    );
    release.stop();
    expect(report.result).toBe('rolled-back');
    expect(report.reason).toMatch(
      /could not launch an instance: Instance failed to complete user's Lifecycle Action: Lifecycle Action with token [0-9a-f-]{36} was abandoned: Lifecycle Action Completed with ABANDON Result/,
    );
    const abandons = release.released; // all version 2: the rollback's instances come after the failure
    const failed = report.steps.find((s) => s.outcome === 'failed');
    // the second abandon of a version-2 launch is unanswered: the wait fails at the next poll
    expect(failed?.endedAt ?? Infinity).toBeLessThanOrEqual(abandons[1]!.at + 10_000);
    expect(f.sim.group(f.blueGroup).instances.map((i) => [i.lifecycle, i.version])).toEqual([
      ['InService', 1],
      ['InService', 1],
    ]);
  });
});

describe('blue-green: a terminating hook on the old fleet', () => {
  test('the scale-down waits for Terminating:Wait instances, names the hook, and ends once they are released', async () => {
    const f = blueGreenFixture({ instances: 2, listeners: 1 });
    f.sim.external('autoscaling', 'PutLifecycleHook', {
      AutoScalingGroupName: f.blueGroup,
      LifecycleHookName: 'drain',
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      HeartbeatTimeout: 600,
    });
    // the team's drain script completes each held termination 45 s after it starts
    const seen = new Map<string, number>();
    let stopped = false;
    const tick = () => {
      if (stopped) return;
      const now = f.sim.clock.now();
      for (const i of f.sim.group(f.blueGroup).instances) {
        if (i.lifecycle !== 'Terminating:Wait') continue;
        if (!seen.has(i.id)) seen.set(i.id, now);
        if (now - (seen.get(i.id) ?? now) < 45_000) continue;
        f.sim.external('autoscaling', 'CompleteLifecycleAction', {
          AutoScalingGroupName: f.blueGroup,
          LifecycleHookName: 'drain',
          InstanceId: i.id,
          LifecycleActionResult: 'CONTINUE',
        });
      }
      f.sim.clock.schedule(now + 1000, tick);
    };
    tick();
    const { report, log } = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }));
    stopped = true;
    expect(report.result).toBe('deployed');
    expect(seen.size).toBe(2);
    expect(log.lines.join('\n')).toMatch(/2 instance\(s\) left, 2 waiting on hook drain \(heartbeat 600s\)/);
    expect(f.sim.group(f.blueGroup).instances).toEqual([]);
  });
});
