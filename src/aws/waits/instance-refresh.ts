import type { InstanceRefreshSummary } from '../index.js';
import type { StepContext } from '../../engine/plan.js';
import { waitFor } from '../../engine/wait.js';
import { launchWatch } from './launches.js';
import { hookWaits } from '../lifecycle-hooks.js';

export const TERMINAL_REFRESH = new Set([
  'Successful',
  'Failed',
  'Cancelled',
  'RollbackSuccessful',
  'RollbackFailed',
]);

/** `InProgress, 40 %, 3 to update: Waiting for checkpoint…`: what AWS says, one line. */
export function describeRefresh(r: InstanceRefreshSummary): string {
  const parts = [r.status, `${r.percentageComplete ?? 0} %`];
  if (r.instancesToUpdate !== undefined && !TERMINAL_REFRESH.has(r.status))
    parts.push(`${r.instancesToUpdate} to update`);
  return `${parts.join(', ')}${r.statusReason ? `: ${r.statusReason}` : ''}`;
}

/** Polls one refresh until `done` (by default: it ended). */
export async function waitForRefresh(
  ctx: StepContext,
  p: {
    group: string;
    id: string;
    what: string;
    timeoutMs: number;
    done?: (r: InstanceRefreshSummary) => boolean;
    /** The time of the refresh's start: each poll also reads launches since, and a failed one ends the wait. */
    launchesSince?: number;
  },
): Promise<InstanceRefreshSummary> {
  const launches = p.launchesSince === undefined ? undefined : launchWatch(ctx, p.group, p.launchesSince);
  return waitFor<InstanceRefreshSummary & { launchFailure?: string }>(ctx, {
    what: p.what,
    timeoutMs: p.timeoutMs,
    read: async () => {
      const [[r], launchFailure] = await Promise.all([
        ctx.aws.autoScaling.instanceRefreshes(p.group, p.id),
        launches?.poll(),
      ]);
      if (!r) throw new Error(`instance refresh ${p.id} of ${p.group} is not listed`);
      return { ...r, ...(launchFailure && { launchFailure }) };
    },
    describe: (r) => {
      // Instances a launching hook holds, from the launches each poll reads anyway (no call more).
      const held = launches?.heldByHook() ?? 0;
      const waits = hookWaits(Array<string>(held).fill('Pending:Wait'), ctx.lifecycleHooks?.get(p.group));
      return [describeRefresh(r), ...waits].join('; ');
    },
    failure: (r) => r.launchFailure,
    done: p.done ?? ((r) => TERMINAL_REFRESH.has(r.status)),
  });
}

/** The refresh this run started: by id, or the newest one the group did not have before the run. */
export async function refreshOfThisRun(
  ctx: StepContext,
  p: { group: string; refreshId?: string; before: string[] },
): Promise<InstanceRefreshSummary | undefined> {
  if (p.refreshId) return (await ctx.aws.autoScaling.instanceRefreshes(p.group, p.refreshId))[0];
  const listed = await ctx.aws.autoScaling.instanceRefreshes(p.group);
  return listed.find((r) => !p.before.includes(r.id));
}
