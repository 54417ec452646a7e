import type { InstanceRefreshSummary } from '../index.js';
import type { StepContext } from '../../engine/plan.js';
import { waitFor } from '../../engine/wait.js';

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
  },
): Promise<InstanceRefreshSummary> {
  return waitFor(ctx, {
    what: p.what,
    timeoutMs: p.timeoutMs,
    read: async () => {
      const [r] = await ctx.aws.autoScaling.instanceRefreshes(p.group, p.id);
      if (!r) throw new Error(`instance refresh ${p.id} of ${p.group} is not listed`);
      return r;
    },
    describe: describeRefresh,
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
