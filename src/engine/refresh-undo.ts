import type { InstanceRefreshSummary } from '../aws/index.js';
import type { StepContext, Undo } from './plan.js';
import { waitFor } from './wait.js';

export const TERMINAL_REFRESH = new Set([
  'Successful',
  'Failed',
  'Cancelled',
  'RollbackSuccessful',
  'RollbackFailed',
]);
/** Statuses in which AWS still accepts RollbackInstanceRefresh. */
const REVERSIBLE = new Set(['Pending', 'InProgress', 'Baking']);

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

type RollbackUndo = Extract<Undo, { kind: 'roll-back-instance-refresh' }>;

/** Applies a roll-back-instance-refresh undo; returns what AWS did, or throws when the group could not be restored. */
export async function rollBackRefresh(ctx: StepContext, undo: RollbackUndo): Promise<string> {
  const aws = ctx.aws.autoScaling;
  const refresh = await refreshOfThisRun(ctx, undo);
  if (!refresh) return 'no instance refresh was started: nothing to roll back';
  if (REVERSIBLE.has(refresh.status)) {
    ctx.log.info(`asking AWS to roll back instance refresh ${refresh.id} (${describeRefresh(refresh)})`);
    await aws.rollbackInstanceRefresh(undo.group);
  } else if (refresh.status === 'RollbackInProgress') {
    ctx.log.info(`AWS is already rolling back instance refresh ${refresh.id}`);
  }
  const ended = await waitForRefresh(ctx, {
    group: undo.group,
    id: refresh.id,
    what: `rollback of instance refresh ${refresh.id}`,
    timeoutMs: undo.waitMs,
  });
  if (ended.status === 'RollbackSuccessful') {
    const why = ended.rollbackReason ? ` (${ended.rollbackReason})` : '';
    return `AWS rolled back instance refresh ${ended.id}${why}: RollbackSuccessful`;
  }
  if (ended.status === 'RollbackFailed') {
    throw new Error(`AWS could not roll back instance refresh ${ended.id}: ${describeRefresh(ended)}`);
  }
  // Successful, Failed or Cancelled: AWS can no longer roll it back. Refresh back
  // to the previous configuration; skip matching leaves what already runs it.
  ctx.log.info(
    `instance refresh ${ended.id} ended ${ended.status}; starting a refresh back to launch template version ${undo.previous.version}`,
  );
  const id = await aws.startInstanceRefresh({
    group: undo.group,
    desired: undo.previous,
    preferences: {
      MinHealthyPercentage: undo.minHealthyPercent,
      MaxHealthyPercentage: 100,
      SkipMatching: true,
      AutoRollback: false,
    },
  });
  const back = await waitForRefresh(ctx, {
    group: undo.group,
    id,
    what: `refresh ${id} back to version ${undo.previous.version}`,
    timeoutMs: undo.waitMs,
  });
  if (back.status !== 'Successful') {
    throw new Error(`refresh ${id} back to version ${undo.previous.version} ended ${describeRefresh(back)}`);
  }
  return `instance refresh ${ended.id} had ended ${ended.status}; refresh ${id} restored launch template version ${undo.previous.version}`;
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
