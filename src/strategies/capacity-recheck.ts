/**
 * The fleets' capacity, read again before every traffic step: the live fleet
 * may have scaled out since the new one was sized after it (moving all traffic
 * to a fleet half its size halves capacity), and someone may have set the new
 * fleet's desired capacity by hand (traffic must never go to a fleet of zero).
 */
import type { Color } from '../inputs/config.js';
import type { StepRunContext } from '../engine/plan.js';
import { formatDuration } from '../util/time.js';
import { healthyInstances, waitForHealthy } from './fleet.js';

export interface CapacityWatch {
  live: { color: Color; group: string };
  idle: { color: Color; group: string; targetGroupArn: string };
  /** The new fleet's desired capacity as the action sized it. */
  desired: number;
  healthTimeoutMs: number;
}

/**
 * Fails when the new fleet's desired capacity is 0 or below what the action
 * set (someone changed it); grows it to the live fleet's desired capacity when
 * that grew, and waits until every new instance is healthy (they join the
 * instances the gates watch). The caller's step carries the undo (the new
 * group back to what pre-flight saw). Returns what it did, if anything.
 */
export async function matchLiveCapacity(ctx: StepRunContext, w: CapacityWatch): Promise<string | undefined> {
  const groups = await ctx.aws.autoScaling.describeGroups([w.live.group, w.idle.group]);
  const [live, idle] = [groups.get(w.live.group), groups.get(w.idle.group)];
  if (!live || !idle)
    throw new Error(`Auto Scaling group ${live ? w.idle.group : w.live.group} no longer exists`);
  const expected = ctx.facts.idleDesired ?? w.desired;
  if (idle.desired === 0 || idle.desired < expected) {
    throw new Error(
      `${idle.name} (${w.idle.color}, new): desired capacity ${expected} → ${idle.desired}, changed by someone else during the deploy: traffic is not moved to a fleet smaller than the one it leaves`,
    );
  }
  if (live.desired <= idle.desired) return undefined;
  const started = ctx.clock.now();
  ctx.log.info(
    `${live.name} (${w.live.color}, live) scaled out since sizing (desired capacity ${expected} → ${live.desired}): growing ${idle.name} to match before moving traffic`,
  );
  await ctx.aws.autoScaling.updateGroup(idle.name, {
    desired: live.desired,
    max: Math.max(idle.max, live.desired),
  });
  ctx.learn({ idleDesired: live.desired });
  const reading = await waitForHealthy(ctx, {
    what: `${w.idle.color} health after growing`,
    groupName: idle.name,
    targetGroupArn: w.idle.targetGroupArn,
    timeoutMs: w.healthTimeoutMs,
  });
  const healthyInstanceIds = healthyInstances(reading);
  ctx.learn({ healthyInstanceIds });
  return `${idle.name} grown ${idle.desired} → ${live.desired} to match ${live.name} (${healthyInstanceIds.length} healthy in ${formatDuration(ctx.clock.now() - started)})`;
}
