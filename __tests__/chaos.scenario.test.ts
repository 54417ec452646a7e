import type { CallRecord, FaultKind } from '../sim/index.js';
import { blueGreenFixture } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { snapshot, blueGreenInputs, trafficTargets } from './helpers/blue-green.js';
import { applied } from './helpers/weights.js';

/**
 * Chaos: a linear deploy across two listeners and one rule, with one fault at
 * every AWS call in turn, for each fault kind. Every run ends fully deployed or
 * exactly as it began (stickiness included); the old color keeps its capacity
 * while it holds any traffic; no write is applied twice; each group ends with
 * the suspended processes it had (blue's own AZRebalance kept).
 */
const MAX_ATTEMPTS = 3;
const KINDS: { kind: FaultKind; repeat: number; label: string }[] = [
  { kind: 'throttle', repeat: 1, label: 'throttled once' },
  { kind: 'server-error', repeat: MAX_ATTEMPTS, label: '5xx on every attempt (retries exhausted)' },
  { kind: 'timeout', repeat: 1, label: 'timed out once' },
  { kind: 'lost-response', repeat: 1, label: 'response lost after the write applied' },
];

const world = () => {
  const f = blueGreenFixture({ instances: 2, listeners: 2, rules: 1, stickiness: true });
  f.sim.createAlarm('app-5xx');
  // suspended by the team before the run: it must stay suspended, whatever happens
  f.sim.suspendProcessesForTest(f.blueGroup, ['AZRebalance']);
  return f;
};
type World = ReturnType<typeof world>;
const inputs = (f: World) =>
  blueGreenInputs(f, {
    'launch-template-version': '2',
    'traffic-shift': 'linear:25:20s',
    'bake-time': '10s',
    'alarm-names': 'app-5xx',
    'health-timeout': '3m',
  });

const baseline = world();
const baselineRun = await deployOnSim(baseline.sim, inputs(baseline), { maxAttempts: MAX_ATTEMPTS });
const CALLS = baseline.sim.calls.length;

/** Writes that reached AWS, minus the SDK's own resend of a write whose response was lost. */
function appliedWrites(calls: CallRecord[]): CallRecord[] {
  const writes = calls.filter((c) => c.mutating && applied(c.fault));
  return writes.filter((w, i) => {
    const next = writes[i + 1];
    return !(w.fault === 'lost-response' && next?.seq === w.seq + 1 && key(next) === key(w));
  });
}
const key = (c: CallRecord) => `${c.command} ${JSON.stringify(c.input)}`;

/** Blue weight of every route just before call `seq`, replaying the applied route writes. */
function blueWeightsBefore(f: World, seq: number): number[] {
  const arns = [...f.listenerArns, ...f.ruleArns];
  const weights = arns.map(() => 100);
  for (const w of appliedWrites(f.sim.calls)) {
    if (w.seq >= seq || (w.command !== 'ModifyListener' && w.command !== 'ModifyRule')) continue;
    const input = w.input as {
      ListenerArn?: string;
      RuleArn?: string;
      DefaultActions?: unknown;
      Actions?: unknown;
    };
    const actions = (input.DefaultActions ?? input.Actions) as {
      ForwardConfig?: { TargetGroups?: { TargetGroupArn?: string; Weight?: number }[] };
    }[];
    const blue = actions[0]?.ForwardConfig?.TargetGroups?.find(
      (g) => g.TargetGroupArn === f.blueTargetGroupArn,
    );
    weights[arns.indexOf(input.ListenerArn ?? input.RuleArn ?? '')] = blue?.Weight ?? 0;
  }
  return weights;
}

test(`the baseline linear deploy succeeds in ${CALLS} calls`, () => {
  expect(baselineRun.report.result).toBe('deployed');
  expect(baselineRun.report.steps.map((s) => s.id)).toContain('pause-75');
});

describe.each(KINDS)('chaos: $label', ({ kind, repeat }) => {
  test(`${CALLS} cases, a fault at every call: deployed or exactly the original, old capacity kept while it serves, no write applied twice`, async () => {
    const outcomes = new Map<string, number>();
    for (let n = 1; n <= CALLS; n++) {
      const f = world();
      const before = snapshot(f);
      f.sim.injectFault({ atCall: n, kind, repeat });
      const { report } = await deployOnSim(f.sim, inputs(f), { maxAttempts: MAX_ATTEMPTS });
      const after = snapshot(f);
      const where = `${kind} at call ${n} (${f.sim.calls.find((c) => c.fault)?.command ?? 'none'}): ${report.reason ?? ''}`;

      if (report.result === 'deployed') {
        expect({ where, traffic: trafficTargets(f) }).toEqual({
          where,
          traffic: [[f.greenTargetGroupArn], [f.greenTargetGroupArn], [f.greenTargetGroupArn]],
        });
        const stickiness = (s: typeof before) =>
          [...s.listeners, ...s.rules].map((a) => a[0]?.ForwardConfig?.TargetGroupStickinessConfig);
        expect({ where, stickiness: stickiness(after) }).toEqual({ where, stickiness: stickiness(before) });
        expect({ where, green: after.green }).toEqual({
          where,
          green: {
            min: 2,
            max: 2,
            desired: 2,
            launchTemplate: { ...before.green.launchTemplate, version: '2' },
            suspended: [],
          },
        });
        expect({ where, blue: after.blue.suspended }).toEqual({ where, blue: ['AZRebalance'] });
      } else {
        // failing before the first deploy write (pre-flight, or the lock's own tags) is 'failed' with nothing changed
        const deployWrites = f.sim.writes().filter((w) => !w.command.endsWith('Tags'));
        const expected = deployWrites.length === 0 ? 'failed' : 'rolled-back';
        expect({ where, result: report.result }).toEqual({ where, result: expected });
        expect({ where, state: after }).toEqual({ where, state: before });
      }

      // the old color is written only once no route sends it traffic, and after the bake
      for (const w of appliedWrites(f.sim.calls)) {
        if ((w.input as { AutoScalingGroupName?: string }).AutoScalingGroupName !== f.blueGroup) continue;
        // holding the group's own scaling still is not a capacity write
        if (w.command === 'SuspendProcesses' || w.command === 'ResumeProcesses') continue;
        expect({ where, blueWeights: blueWeightsBefore(f, w.seq) }).toEqual({
          where,
          blueWeights: [0, 0, 0],
        });
        expect({ where, bake: report.steps.find((s) => s.id === 'bake')?.status }).toEqual({
          where,
          bake: 'done',
        });
      }
      const keys = appliedWrites(f.sim.calls).map(key);
      expect({ where, twice: keys.filter((k, i) => keys.indexOf(k) !== i) }).toEqual({ where, twice: [] });
      outcomes.set(report.result, (outcomes.get(report.result) ?? 0) + 1);
    }
    if (kind === 'server-error') expect(outcomes.get('rolled-back')).toBeGreaterThan(0);
    else expect([...outcomes.keys()]).toEqual(['deployed']);
  }, 120_000);
});
