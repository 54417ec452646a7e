import type { PlannedWrite, Step } from '../engine/plan.js';
import type { Logger } from '../engine/log.js';
import { LOCK_KEY, LOCK_URL_KEY } from '../state/lock.js';
import { type DeploymentEntry, describeEntry } from '../state/record.js';

/** Every write a deploy would send, in order: take the lock, the steps', those at the run's end, release the lock. */
export function plannedWrites(
  groups: string[],
  lockExpiresAt: number,
  steps: readonly Step[],
  /** What serves now, recorded with the lock on groups with no record yet. */
  firstRecord?: DeploymentEntry,
): PlannedWrite[] {
  const lock = lockPlannedWrites(groups, lockExpiresAt, firstRecord);
  const atEnd = [...steps].reverse().flatMap((s) => s.endWrites ?? []);
  return [...lock.take, ...steps.flatMap((s) => s.writes), ...atEnd, ...lock.release];
}

/** Plan mode: lists the writes a deploy would make, sending none. */
export async function logPlan(writes: readonly PlannedWrite[], log: Logger): Promise<void> {
  await log.group(`Plan: ${writes.length} write(s) a deploy would make, in order`, () => {
    writes.forEach((w, i) => log.info(`${i + 1}. ${w.service} ${w.action} ${w.target}: ${w.detail}`));
    return Promise.resolve();
  });
}

function lockPlannedWrites(
  groups: string[],
  expiresAt: number,
  firstRecord: DeploymentEntry | undefined,
): { take: PlannedWrite[]; release: PlannedWrite[] } {
  if (groups.length === 0) return { take: [], release: [] };
  const target = groups.join(', ');
  return {
    take: [
      {
        service: 'autoscaling',
        action: 'CreateOrUpdateTags',
        target,
        detail:
          `${LOCK_KEY} = this run, until ${new Date(expiresAt).toISOString()}; ${LOCK_URL_KEY} = run URL` +
          (firstRecord
            ? `; no deployment record yet: deployment record of what serves now, ${describeEntry(firstRecord)}`
            : ''),
      },
    ],
    release: [
      { service: 'autoscaling', action: 'DeleteTags', target, detail: `${LOCK_KEY}, ${LOCK_URL_KEY}` },
    ],
  };
}
