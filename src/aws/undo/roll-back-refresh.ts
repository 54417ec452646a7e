import type { StepContext, Undo } from '../../engine/plan.js';
import { describeRefresh, refreshOfThisRun, waitForRefresh } from '../waits/instance-refresh.js';

/** Statuses in which AWS still accepts RollbackInstanceRefresh. */
const REVERSIBLE = new Set(['Pending', 'InProgress', 'Baking']);

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
      // Everything back to the previous version (skip matching leaves what runs it); Standby instances are the user's.
      ScaleInProtectedInstances: 'Refresh',
      StandbyInstances: 'Ignore',
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
