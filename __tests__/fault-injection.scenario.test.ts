import type { FaultKind } from '../sim/index.js';
import { blueGreenFixture } from '../sim/index.js';
import { deployOnSim, postOnSim } from '../sim/run-on-sim.js';
import { blueGreenInputs, snapshot, trafficTargets } from './helpers/blue-green.js';

/**
 * A fault at every AWS call of a deploy, of every kind: the end state is either
 * the new release fully serving or exactly the original, and the live fleet is
 * never scaled below its capacity while it serves.
 */
const MAX_ATTEMPTS = 3;
const KINDS: { kind: FaultKind; repeat: number; label: string }[] = [
  { kind: 'throttle', repeat: 1, label: 'throttled once (the SDK retries)' },
  { kind: 'server-error', repeat: MAX_ATTEMPTS, label: '5xx on every attempt (the call fails)' },
  { kind: 'lost-response', repeat: 1, label: 'response lost after the write applied' },
];

function world() {
  const f = blueGreenFixture({ instances: 3, listeners: 2, stickiness: true });
  return f;
}
const inputs = (f: ReturnType<typeof world>) =>
  blueGreenInputs(f, { 'image-id': 'ami-0123456789abcdef0', 'bake-time': '30s', 'health-timeout': '5m' });

const baseline = world();
const baselineRun = deployOnSim(baseline.sim, inputs(baseline), { maxAttempts: MAX_ATTEMPTS });

test('the baseline deploy succeeds and makes a known number of calls', async () => {
  const { report } = await baselineRun;
  expect(report.result).toBe('deployed');
  expect(baseline.sim.calls.length).toBeGreaterThan(20);
});

describe.each(KINDS)('$label', ({ kind, repeat }) => {
  test('at every call: fully deployed or exactly the original; never a double write', async () => {
    await baselineRun;
    const total = baseline.sim.calls.length;
    const outcomes = new Map<string, number>();
    for (let n = 1; n <= total; n++) {
      const f = world();
      const before = snapshot(f);
      f.sim.injectFault({ atCall: n, kind, repeat });
      const { report, state } = await deployOnSim(f.sim, inputs(f), { maxAttempts: MAX_ATTEMPTS });
      const after = snapshot(f);
      const where = `fault ${kind} at call ${n} (${f.sim.calls.find((c) => c.fault)?.command ?? 'none'})`;
      // the post step releases a lock main could not (a fault on its DeleteTags); no lock is ever left
      await postOnSim(f.sim, state);
      expect({ where, lock: f.sim.groupTags(f.blueGroup)['asg-deploy:lock'] }).toEqual({
        where,
        lock: undefined,
      });

      if (report.result === 'deployed') {
        expect({ where, traffic: trafficTargets(f) }).toEqual({
          where,
          traffic: [[f.greenTargetGroupArn], [f.greenTargetGroupArn]],
        });
        expect({ where, green: after.green }).toMatchObject({
          where,
          green: { min: 3, max: 3, desired: 3, launchTemplate: { version: '4' } },
        });
        // exactly one new version, even when CreateLaunchTemplateVersion's response was lost
        expect({ where, versions: after.versions }).toEqual({ where, versions: [...before.versions, 4] });
      } else {
        // a fault before the first step (a pre-flight read, taking the lock) fails with nothing changed; anything later rolls back
        const expected = report.steps.length === 0 ? 'failed' : 'rolled-back';
        expect({ where, result: report.result }).toEqual({ where, result: expected });
        expect({ where, state: after }).toEqual({ where, state: before });
      }
      // blue (live) is only ever scaled down after every route moved to green
      const firstBlueShrink = f.sim
        .writes()
        .find(
          (w) =>
            w.command === 'UpdateAutoScalingGroup' &&
            (w.input as { AutoScalingGroupName?: string }).AutoScalingGroupName === f.blueGroup,
        );
      if (firstBlueShrink) {
        const shift = report.steps.find((s) => s.id === 'shift-traffic');
        expect({ where, shift: shift?.status }).toEqual({ where, shift: 'done' });
      }
      outcomes.set(report.result, (outcomes.get(report.result) ?? 0) + 1);
    }
    // the sweep must exercise both endings for failing calls, and only success for retried ones
    if (kind === 'server-error') expect(outcomes.get('rolled-back')).toBeGreaterThan(0);
    else expect([...outcomes.keys()]).toEqual(['deployed']);
  }, 180_000); // one deploy per call of the baseline: a guard against a hang, not a timing assertion
});
