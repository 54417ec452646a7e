import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { deployOnSim, postOnSim } from '../sim/run-on-sim.js';
import type { JournalEntry } from '../src/engine/journal.js';
import { renderSummary } from '../src/report/summary.js';
import { verdictOf } from '../src/report/verdict.js';
import type { StateName } from '../src/state/saved-run.js';
import { blueGreenInputs, snapshot, trafficTargets } from './helpers/blue-green.js';
import { killable } from './helpers/killable.js';
import { stagedWorld, stageInputs, type StagedWorld } from './helpers/staged.js';

/**
 * mode: retire on the simulator: a deploy with previous-fleet keep leaves blue
 * (the previous fleet) at 2 instances of version 1 while green serves; retire
 * scales blue to 0, only when no route of the load balancer sends it traffic.
 */
const retireInputs = (f: StagedWorld, extra: Record<string, string> = {}) =>
  blueGreenInputs(f, { mode: 'retire', 'health-timeout': '5m', ...extra });

const toBlue = (f: StagedWorld): Action[] => [
  { Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: f.blueTargetGroupArn, Weight: 1 }] } },
];

/** Green serves v2, blue kept at 2/2/2 on version 1. */
async function keptWorld(opts: { rules?: number } = {}) {
  const f = stagedWorld({ listeners: 1, ...opts });
  const { report } = await deployOnSim(
    f.sim,
    blueGreenInputs(f, {
      'launch-template-version': String(f.newVersion),
      'version-label': 'v2',
      'previous-fleet': 'keep',
      'health-timeout': '5m',
    }),
  );
  expect(report.result).toBe('deployed');
  expect(f.sim.group(f.blueGroup).desired).toBe(2);
  return f;
}

const blueSize = (f: StagedWorld) => {
  const g = f.sim.group(f.blueGroup);
  return { min: g.min, desired: g.desired, max: g.max, instances: g.instances.length };
};

describe('retire', () => {
  test('scales the kept previous fleet to 0; production routes, green and the record are not written', async () => {
    const f = await keptWorld({ rules: 1 });
    const before = snapshot(f);
    const record = f.sim.groupTags(f.greenGroup);
    const { report } = await deployOnSim(f.sim, retireInputs(f));

    expect(report.result).toBe('retired');
    expect(blueSize(f)).toEqual({ min: 0, desired: 0, max: 2, instances: 0 });
    const after = snapshot(f);
    expect({ listeners: after.listeners, rules: after.rules, green: after.green }).toEqual({
      listeners: before.listeners,
      rules: before.rules,
      green: before.green,
    });
    expect(after.blue.launchTemplate).toEqual(before.blue.launchTemplate);
    expect(after.blue.suspended).toEqual(before.blue.suspended);
    expect(trafficTargets(f)).toEqual([[f.greenTargetGroupArn], [f.greenTargetGroupArn]]);
    expect(report.writesSent.map((w) => `${w.action} ${w.target}`)).toEqual([
      `CreateOrUpdateTags ${f.blueGroup}, ${f.greenGroup}`,
      `SuspendProcesses ${f.blueGroup}`,
      `UpdateAutoScalingGroup ${f.blueGroup}`,
      `ResumeProcesses ${f.blueGroup}`,
      `DeleteTags ${f.blueGroup}, ${f.greenGroup}`,
    ]);
    // the deployment record is left as it was (it names what served, not whether that fleet runs)
    const recordKeys = (tags: Record<string, string>) =>
      Object.fromEntries(Object.entries(tags).filter(([k]) => !k.startsWith('asg-deploy:lock')));
    expect(recordKeys(f.sim.groupTags(f.greenGroup))).toEqual(recordKeys(record));
    expect(report.outputs).toMatchObject({
      result: 'retired',
      'active-color': 'green',
      'active-auto-scaling-group': f.greenGroup,
      'previous-color': 'blue',
      'previous-auto-scaling-group': f.blueGroup,
      'version-label': 'v2',
      'launch-template-version': String(f.newVersion),
    });
    const summary = renderSummary(report);
    expect(summary).toContain(
      '## 🧹 Retired: blue (app-blue), the previous fleet on launch template version 1',
    );
    expect(summary).toContain('> - blue (app-blue): capacity 2/2/2 → 0/0/2 (min/desired/max)');
    expect(summary).toContain('### What it wrote');
    expect(summary).toMatch(
      /\| 3 \| [^|]+ \| autoscaling \| UpdateAutoScalingGroup \| app-blue \| ✅ accepted \|/,
    );
    expect(verdictOf(report).notices[0]).toMatch(/^Retired blue \(app-blue\), the previous fleet/);

    // a later rollback still works: it scales blue back up with version 1 first
    const back = await deployOnSim(f.sim, blueGreenInputs(f, { mode: 'rollback', 'health-timeout': '5m' }));
    expect(back.report.result).toBe('rolled-back');
    expect(trafficTargets(f)).toEqual([[f.blueTargetGroupArn], [f.blueTargetGroupArn]]);
    expect(f.sim.group(f.blueGroup).instances.map((i) => i.version)).toEqual([1, 1]);
  });

  const routes: [string, (f: StagedWorld) => string, RegExp][] = [
    [
      'a listener rule added by hand on the production listener',
      (f) =>
        f.sim.createRule({
          listenerArn: f.listenerArns[0]!,
          priority: 5,
          conditions: [{ Field: 'path-pattern', Values: ['/legacy/*'] }],
          actions: toBlue(f),
        }),
      /listener rule \(not in listener-rule-arns\) listener-rule\/.*\(priority 5, path-pattern \/legacy\/\*, on listener port 80\) (\S+) forwards to blue \(app-blue\) weight 1 of 1/,
    ],
    [
      'a preview listener',
      (f) => {
        f.sim.external('elbv2', 'ModifyListener', { ListenerArn: f.previewArn, DefaultActions: toBlue(f) });
        return f.previewArn;
      },
      /listener \(not in listener-arns: a preview or other listener\) listener\/.*\(HTTP:8443\) default action (\S+) forwards to blue \(app-blue\) weight 1 of 1/,
    ],
    [
      'a production listener rule still forwarding 10 % to blue',
      (f) => {
        f.sim.external('elbv2', 'ModifyRule', {
          RuleArn: f.ruleArns[0],
          Actions: [
            {
              Type: 'forward',
              ForwardConfig: {
                TargetGroups: [
                  { TargetGroupArn: f.blueTargetGroupArn, Weight: 10 },
                  { TargetGroupArn: f.greenTargetGroupArn, Weight: 90 },
                ],
              },
            },
          ],
        });
        return f.ruleArns[0]!;
      },
      /neither color is retired: production listener rule listener-rule\/\S+ (\S+) sends traffic to both colors \(blue 10 %, green 90 %\)/,
    ],
  ];

  test.each(routes)(
    'refuses with zero writes while %s sends it traffic, naming it',
    async (_, add, message) => {
      const f = await keptWorld({ rules: 1 });
      const arn = add(f);
      const writes = f.sim.writes().length;
      const { report } = await deployOnSim(f.sim, retireInputs(f));
      expect(report.result).toBe('failed');
      expect(report.reason).toMatch(message);
      expect(report.reason).toContain(arn.split('/').slice(-3).join('/'));
      expect(report.reason).toContain('Nothing was changed');
      expect(f.sim.writes().length).toBe(writes);
      expect(blueSize(f)).toEqual({ min: 2, desired: 2, max: 2, instances: 2 });
      expect(verdictOf(report).failure).toMatch(/Nothing was changed\.$/);
    },
  );

  test('a route added after pre-flight stops it at the gate before the write', async () => {
    const f = await keptWorld();
    // an operator adds a rule to blue just as the run takes its lock
    f.sim.beforeCall(
      (c) => c.command === 'CreateOrUpdateTags',
      () => {
        f.sim.createRule({
          listenerArn: f.listenerArns[0]!,
          priority: 7,
          conditions: [{ Field: 'path-pattern', Values: ['/old/*'] }],
          actions: toBlue(f),
        });
      },
    );
    const { report } = await deployOnSim(f.sim, retireInputs(f));
    expect(report.result).toBe('rolled-back');
    expect(report.reason).toMatch(/app-blue \(blue, previous\) is not retired: listener rule .*priority 7/);
    expect(report.writesSent.map((w) => w.action)).not.toContain('UpdateAutoScalingGroup');
    expect(blueSize(f)).toEqual({ min: 2, desired: 2, max: 2, instances: 2 });
  });

  test('refuses with zero writes while green, the serving fleet, is not fully healthy', async () => {
    const f = await keptWorld();
    const green = f.sim.group(f.greenGroup).instances[0]!;
    f.sim.markInstanceUnhealthy(green.id);
    f.sim.clock.advance(120_000);
    const writes = f.sim.writes().length;
    const { report } = await deployOnSim(f.sim, retireInputs(f));
    expect(report.result).toBe('failed');
    expect(report.reason).toMatch(
      /app-green \(green, serving\) has 1 healthy instance\(s\) for a desired capacity of 2/,
    );
    expect(f.sim.writes().length).toBe(writes);
  });

  test('nothing to retire (previous fleet already at 0): unchanged, zero writes', async () => {
    const f = stagedWorld({ listeners: 1 });
    await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': String(f.newVersion), 'health-timeout': '5m' }),
    );
    expect(f.sim.group(f.blueGroup).desired).toBe(0);
    const writes = f.sim.writes().length;
    const { report } = await deployOnSim(f.sim, retireInputs(f));
    expect(report.result).toBe('unchanged');
    expect(report.headline).toBe(
      'blue (app-blue), the previous fleet, already has no capacity (0/0/2): nothing to retire',
    );
    expect(report.outputs).toMatchObject({
      result: 'unchanged',
      'active-color': 'green',
      'previous-color': 'blue',
    });
    expect(f.sim.writes().length).toBe(writes);
  });

  test('refuses with zero writes while a release is staged, naming it and promote/abort', async () => {
    const f = await keptWorld();
    const stage = await deployOnSim(
      f.sim,
      stageInputs(f, { 'launch-template-version': '1', 'version-label': 'v3' }),
    );
    expect(stage.report.result).toBe('staged');
    const writes = f.sim.writes().length;
    const { report } = await deployOnSim(f.sim, retireInputs(f));
    expect(report.result).toBe('failed');
    expect(report.reason).toContain('a release is staged: v3 (staged by simulated run)');
    expect(report.reason).toContain('mode: promote');
    expect(report.reason).toContain('mode: abort');
    expect(f.sim.writes().length).toBe(writes);
    // even once the stage has expired: its fleet is the staged release, never "previous"
    f.sim.clock.advance(25 * 3_600_000);
    const expired = await deployOnSim(f.sim, retireInputs(f));
    expect(expired.report.reason).toContain('(expired, not yet taken over)');
    expect(f.sim.writes().length).toBe(writes);
  });

  test('refuses with zero writes while another run holds the lock', async () => {
    const f = await keptWorld();
    f.sim.external('autoscaling', 'CreateOrUpdateTags', {
      Tags: [f.blueGroup, f.greenGroup].map((g) => ({
        ResourceId: g,
        ResourceType: 'auto-scaling-group',
        Key: 'asg-deploy:lock',
        Value: `other-run.1.abcd1234 ${new Date(f.sim.clock.now() + 3_600_000).toISOString()}`,
        PropagateAtLaunch: false,
      })),
    });
    const writes = f.sim.writes().length;
    const { report } = await deployOnSim(f.sim, retireInputs(f));
    expect(report.result).toBe('failed');
    expect(report.reason).toMatch(/lock/i);
    expect(f.sim.writes().length).toBe(writes);
    expect(blueSize(f).desired).toBe(2);
  });

  test('dry-run: zero writes, and the writes a retire would make listed in order', async () => {
    const f = await keptWorld();
    const writes = f.sim.writes().length;
    const { report, log } = await deployOnSim(f.sim, retireInputs(f, { 'dry-run': 'true' }));
    expect(report.result).toBe('planned');
    expect(f.sim.writes().length).toBe(writes);
    expect(report.plannedWrites.map((w) => `${w.action} ${w.target}: ${w.detail}`)).toEqual([
      expect.stringMatching(/^CreateOrUpdateTags app-blue, app-green: asg-deploy:lock = this run/),
      expect.stringMatching(/^SuspendProcesses app-blue/),
      'UpdateAutoScalingGroup app-blue: MinSize 0, DesiredCapacity 0 (was 2/2/2 min/desired/max; MaxSize kept)',
      expect.stringMatching(/^ResumeProcesses app-blue/),
      expect.stringMatching(/^DeleteTags app-blue, app-green: asg-deploy:lock/),
    ]);
    expect(log.lines.join('\n')).toContain('UpdateAutoScalingGroup app-blue: MinSize 0, DesiredCapacity 0');
    expect(renderSummary(report)).toContain(
      'A retire would make these 5 write(s), in this order. Nothing was written.',
    );
    expect(blueSize(f).desired).toBe(2);
  });
});

/** Main killed right after its n-th write lands, then the post step with what main saved. */
async function killThenPost(f: StagedWorld, inputs: Record<string, string>, afterWrite: number) {
  const switchboard = killable(f, afterWrite);
  const controller = new AbortController();
  const saved = new Map<StateName, string>();
  let cancelled!: () => void;
  const cancelledAt = new Promise<void>((resolve) => (cancelled = resolve));
  switchboard.control.onKill = () => {
    controller.abort(new Error('the run was cancelled (SIGINT)'));
    cancelled();
  };
  const main = deployOnSim(f.sim, inputs, { aws: switchboard.aws, signal: controller.signal, state: saved });
  const ended = await Promise.race([cancelledAt.then(() => 'cancelled'), main.then(() => 'finished')]);
  if (ended === 'finished') return { finished: true, journal: [] as JournalEntry[] };
  const post = await postOnSim(f.sim, saved);
  return {
    finished: false,
    post,
    journal: JSON.parse(saved.get('journal') ?? '[]') as JournalEntry[],
  };
}

test('a retire cancelled after each of its writes is restored by the post step: blue back at 2/2/2', async () => {
  const base = await keptWorld();
  const start = base.sim.writes().length;
  await deployOnSim(base.sim, retireInputs(base));
  const writes = base.sim.writes().length - start;
  expect(writes).toBe(5);
  for (let n = 1; n <= writes; n++) {
    const f = await keptWorld();
    const before = snapshot(f);
    const { finished, journal } = await killThenPost(f, retireInputs(f), n);
    const where = `killed after retire write ${n} of ${writes}`;
    expect({ where, finished }).toEqual({ where, finished: false });
    const locks = [f.blueGroup, f.greenGroup].map((g) => f.sim.groupTags(g)['asg-deploy:lock']);
    expect({ where, locks }).toEqual({ where, locks: [undefined, undefined] });
    if (n < writes) {
      // the scale-down (write 3) is undone: blue gets its capacity and launch template back
      expect({ where, state: snapshot(f) }).toEqual({ where, state: before });
      const sizes = f.sim
        .writes()
        .filter(
          (c) =>
            c.command === 'UpdateAutoScalingGroup' &&
            (c.input as { AutoScalingGroupName?: string }).AutoScalingGroupName === f.blueGroup,
        )
        .map((c) => (c.input as { DesiredCapacity?: number }).DesiredCapacity);
      // from write 3 on, blue was scaled to 0 and the post step put it back (the journal had the undo first)
      expect({ where, sizes }).toEqual({ where, sizes: n >= 3 ? [0, 2] : [] });
      if (n >= 3)
        expect({ where, undo: journal.find((e) => e.id === 'retire-previous')?.undo }).toEqual({
          where,
          undo: [
            expect.objectContaining({
              kind: 'restore-group',
              group: f.blueGroup,
              min: 2,
              desired: 2,
              max: 2,
            }),
          ],
        });
    } else {
      // killed after releasing the lock: every step had finished
      expect({ where, desired: f.sim.group(f.blueGroup).desired }).toEqual({ where, desired: 0 });
    }
  }
}, 120_000);

describe.each([
  { kind: 'throttle' as const, repeat: 1 },
  { kind: 'server-error' as const, repeat: 3 },
  { kind: 'timeout' as const, repeat: 1 },
  { kind: 'lost-response' as const, repeat: 1 },
])('a $kind at every call of a retire', ({ kind, repeat }) => {
  test('ends retired, or exactly as it began (blue 2/2/2, no lock left)', async () => {
    const base = await keptWorld();
    const start = base.sim.calls.length;
    await deployOnSim(base.sim, retireInputs(base));
    const calls = base.sim.calls.length - start;
    let retired = 0;
    for (let n = 1; n <= calls; n++) {
      const f = await keptWorld();
      const before = snapshot(f);
      f.sim.injectFault({ atCall: f.sim.calls.length + n, kind, repeat });
      const { report, state } = await deployOnSim(f.sim, retireInputs(f), { maxAttempts: 3 });
      const where = `${kind} at retire call ${n} of ${calls}: ${report.result} ${report.reason ?? ''}`;
      // a lock release that failed every attempt is left to the post step, as for every run
      await postOnSim(f.sim, state);
      const locks = [f.blueGroup, f.greenGroup].map((g) => f.sim.groupTags(g)['asg-deploy:lock']);
      expect({ where, locks }).toEqual({ where, locks: [undefined, undefined] });
      if (report.result === 'retired') {
        retired++;
        expect({ where, blue: blueSize(f) }).toEqual({
          where,
          blue: { min: 0, desired: 0, max: 2, instances: 0 },
        });
        expect({ where, suspended: f.sim.suspendedProcesses(f.blueGroup) }).toEqual({ where, suspended: [] });
      } else expect({ where, state: snapshot(f) }).toEqual({ where, state: before });
    }
    expect(retired).toBeGreaterThan(0);
  }, 120_000);
});
