/**
 * Failed launches, read from the group's scaling activities while a wait
 * polls (one DescribeScalingActivities per poll, whatever the fleet's size).
 *
 * The rule: only launch activities that started at or after the run's own
 * write count. Walking them oldest to newest, each launch that did not fail
 * answers one earlier Failed or Cancelled launch (AWS launched again: a
 * warning). A failed launch left unanswered fails the wait at once, with
 * AWS's StatusMessage verbatim.
 */
import type { ScalingActivity } from '../index.js';
import type { StepContext } from '../../engine/plan.js';

const LAUNCH = /^Launching a new EC2 instance/;
const FAILED = new Set(['Failed', 'Cancelled']);
/** The status of a launch that a lifecycle hook holds (the instance is in Pending:Wait). */
const HELD = 'MidLifecycleAction';

export interface LaunchVerdict {
  /** The newest failed launch that no later launch answered. */
  failed?: ScalingActivity;
  /** Failed launches AWS has launched again after. */
  retried: ScalingActivity[];
}

/** Judges the activities (newest first, as AWS lists them). */
export function judgeLaunches(activities: readonly ScalingActivity[]): LaunchVerdict {
  const open: ScalingActivity[] = [];
  const retried: ScalingActivity[] = [];
  for (const a of [...activities].reverse()) {
    if (!LAUNCH.test(a.description)) continue;
    if (FAILED.has(a.status)) open.push(a);
    else {
      const answered = open.shift();
      if (answered) retried.push(answered);
    }
  }
  return { ...(open.length > 0 && { failed: open[open.length - 1] }), retried };
}

/** AWS's reason, verbatim: its StatusMessage, or the description when it gave none. */
export function launchMessage(a: ScalingActivity): string {
  return a.statusMessage ?? a.description;
}

/**
 * Reads the group's newest activities once per call (one request, whatever
 * the fleet's size) and keeps every one seen since `sinceMs`, oldest first,
 * across calls; returns why the wait must fail now, if it must. Warns once per
 * failed launch AWS retried.
 */
export function launchWatch(
  ctx: StepContext,
  group: string,
  sinceMs: number,
): { poll(): Promise<string | undefined>; heldByHook(): number } {
  const warned = new Set<string>();
  // AWS reports times to the second: a launch in the second of the write counts.
  const since = Math.floor(sinceMs / 1000) * 1000;
  /** Every activity seen, oldest first: new ones are newer than all seen before (AWS adds at the newest end). */
  const known: ScalingActivity[] = [];
  const byId = new Map<string, ScalingActivity>();
  return {
    async poll() {
      const page = await ctx.aws.autoScaling.recentActivities(group, since);
      for (const a of [...page].reverse()) {
        const seen = byId.get(a.id);
        if (seen) Object.assign(seen, a);
        else {
          const copy = { ...a };
          byId.set(a.id, copy);
          known.push(copy);
        }
      }
      const verdict = judgeLaunches([...known].reverse());
      for (const a of verdict.retried) {
        if (warned.has(a.id)) continue;
        warned.add(a.id);
        ctx.log.warning(`${group}: a launch failed and AWS launched again: ${launchMessage(a)}`);
      }
      return verdict.failed && `${group} could not launch an instance: ${launchMessage(verdict.failed)}`;
    },
    /** Launches a lifecycle hook holds now (their activity is MidLifecycleAction), as of the last poll. */
    heldByHook: () => known.filter((a) => LAUNCH.test(a.description) && a.status === HELD).length,
  };
}
