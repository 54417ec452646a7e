import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { blueGreenFixture } from '../sim/index.js';
import { deployOnSim, postOnSim } from '../sim/run-on-sim.js';
import { renderSummary } from '../src/report/summary.js';
import { LOCK_SETTLE_MS } from '../src/state/lock.js';
import { blueGreenInputs, snapshot, trafficTargets } from './helpers/blue-green.js';

/** A route the rollback cannot restore does not stop the others; the post step tries it again. */
function world() {
  const f = blueGreenFixture({ instances: 2, listeners: 2, rules: 1 });
  f.sim.createAlarm('app-5xx');
  return f;
}

/** True for a write that puts `listener` back on blue alone (green at weight 0 or absent). */
function restoresToBlue(f: ReturnType<typeof world>, listener: string) {
  return (call: { command: string; input: unknown }) => {
    if (call.command !== 'ModifyListener') return false;
    const input = call.input as { ListenerArn?: string; DefaultActions?: Action[] };
    if (input.ListenerArn !== listener) return false;
    const green = (input.DefaultActions ?? [])
      .flatMap((a) => a.ForwardConfig?.TargetGroups ?? [])
      .find((g) => g.TargetGroupArn === f.greenTargetGroupArn);
    return (green?.Weight ?? 0) === 0;
  };
}

describe('restore every route', () => {
  test("one listener's restore is refused: the other listener and the rule are restored, the summary names the one left; the post step restores it", async () => {
    const f = world();
    const before = snapshot(f);
    const [first, second] = f.listenerArns as [string, string];
    // the alarm fires during the canary: a rollback of 2 listeners and a rule at 50/50
    f.sim.setAlarmState('app-5xx', 'ALARM', f.sim.clock.now() + LOCK_SETTLE_MS + 90_000);
    let denied = true;
    const refuse = restoresToBlue(f, second);
    f.sim.refuseCalls((call) => denied && refuse(call));

    const { report, state } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, {
        'launch-template-version': '2',
        'traffic-shift': 'canary:50:5m',
        'alarm-names': 'app-5xx',
      }),
    );

    expect(report.result).toBe('failed');
    expect(report.rollbackIncomplete).toBe(true);
    // the first listener and the rule are back on blue; the second is still on the canary split
    expect(trafficTargets(f)).toEqual([
      [f.blueTargetGroupArn],
      [f.blueTargetGroupArn, f.greenTargetGroupArn],
      [f.blueTargetGroupArn],
    ]);
    expect(f.sim.listenerActions(first)).toEqual(before.listeners[0]);
    expect(f.sim.ruleActions(f.ruleArns[0]!)).toEqual(before.rules[0]);
    // green still serves half of the second listener: its capacity is left as it is
    expect(f.sim.group(f.greenGroup).desired).toBe(2);
    // each route was tried again before giving up (3 attempts)
    expect(f.sim.calls.filter((c) => refuse(c)).length).toBe(3);
    const summary = renderSummary(report);
    expect(summary).toContain(
      '> - **Not restored:** listener listener/app/…/0000000000000002 (User: arn:aws:sts::123456789012:assumed-role/deploy/asg-deploy is not authorized to perform: elasticloadbalancing:ModifyListener',
    );
    expect(summary).toContain('> Restored: 1 listener, 1 rule back on blue, not every route.');
    expect(report.reason).toContain('alarm "app-5xx" is in ALARM');

    // the post step tries again what main could not, once the denial is lifted
    denied = false;
    const post = await postOnSim(f.sim, state);
    expect(post?.undone).toBe(true);
    expect(trafficTargets(f)).toEqual([
      [f.blueTargetGroupArn],
      [f.blueTargetGroupArn],
      [f.blueTargetGroupArn],
    ]);
    expect(snapshot(f)).toEqual(before);
  });
});
