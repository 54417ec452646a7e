import type { PlannedWrite, Step } from '../engine/plan.js';
import type { Logger } from '../engine/log.js';
import { LOCK_KEY, LOCK_SUSPENDS_KEY, LOCK_URL_KEY } from '../state/lock.js';
import { type DeploymentEntry, describeEntry } from '../state/record.js';

/** Every write a deploy would send, in order: take the lock, the steps', those at the run's end, release the lock. */
export function plannedWrites(
  groups: string[],
  lockExpiresAt: number,
  steps: readonly Step[],
  withLock: {
    /** What serves now, recorded with the lock on groups with no record yet. */
    firstRecord?: DeploymentEntry;
    /** Per group, the scaling processes the run resumes at its end, recorded with the lock. */
    suspends?: Readonly<Record<string, readonly string[]>>;
  } = {},
): PlannedWrite[] {
  const lock = lockPlannedWrites(groups, lockExpiresAt, withLock);
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
  withLock: { firstRecord?: DeploymentEntry; suspends?: Readonly<Record<string, readonly string[]>> },
): { take: PlannedWrite[]; release: PlannedWrite[] } {
  if (groups.length === 0) return { take: [], release: [] };
  const target = groups.join(', ');
  const { firstRecord, suspends = {} } = withLock;
  const suspended = Object.entries(suspends);
  return {
    take: [
      {
        service: 'autoscaling',
        action: 'CreateOrUpdateTags',
        target,
        detail:
          `${LOCK_KEY} = this run, until ${new Date(expiresAt).toISOString()}; ${LOCK_URL_KEY} = run URL` +
          (suspended.length > 0
            ? `; ${LOCK_SUSPENDS_KEY} = what the run resumes at its end (${suspended.map(([g, p]) => `${g}: ${p.join(', ') || 'nothing'}`).join('; ')})`
            : '') +
          (firstRecord
            ? `; no deployment record yet: deployment record of what serves now, ${describeEntry(firstRecord)}`
            : ''),
      },
    ],
    release: [
      {
        service: 'autoscaling',
        action: 'DeleteTags',
        target,
        detail: `${LOCK_KEY}, ${LOCK_URL_KEY}` + (suspended.length > 0 ? `, ${LOCK_SUSPENDS_KEY}` : ''),
      },
    ],
  };
}
