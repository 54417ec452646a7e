/**
 * The deployment lock: a tag `asg-deploy:lock` on every group a run changes.
 * Tags have no compare-and-swap, so a run reads, writes its own lock at once,
 * waits for the write to settle and reads again: of two runs that raced, the
 * last writer's lock is what both read back, and the other one backs off.
 * That holds while a lock write lands less than the settle wait after the read
 * before it. So the write is sent once (no SDK retry, whose back-off would
 * deliver it late), a write that took longer than LOCK_WRITE_MAX_MS does not
 * count (the run withdraws and fails), and before every step that writes the
 * run reads the lock again and stops if it is no longer its own.
 */
import type { Aws } from '../aws/index.js';
import type { Clock } from '../engine/clock.js';
import type { Logger } from '../engine/log.js';
import { errorMessage } from '../util/errors.js';
import { parseRecord, TAG_PREFIX, tagValue } from './record.js';

export const LOCK_KEY = `${TAG_PREFIX}lock`;
export const LOCK_URL_KEY = `${TAG_PREFIX}lock-run-url`;
/**
 * Per group, the scaling processes the lock holder suspends there and resumes
 * at its end (see lock-suspends.ts): found with no live lock, they were left
 * suspended by a run that did not finish.
 */
export const LOCK_SUSPENDS_KEY = `${TAG_PREFIX}lock-suspends`;
/** How long a written lock is given to settle before it is read back. */
export const LOCK_SETTLE_MS = 5_000;
/**
 * A lock write whose answer came later than this after the read before it may
 * have landed after another run's read-back: the run does not rely on it.
 * The rest of the settle wait covers the tags' propagation.
 */
export const LOCK_WRITE_MAX_MS = 2_000;
/** A read-back this recent counts as the ownership check of a write (the first step follows it at once). */
export const LOCK_FRESH_MS = 1_000;
/** Whole read-write-settle-read attempts when a read or the write fails. */
const LOCK_ATTEMPTS = 3;
/** The lock outlives `timeout` by this much, so a crashed run never blocks the fleet for long. */
export const LOCK_GRACE_MS = 5 * 60_000;

/** The run taking the lock. */
export interface RunIdentity {
  /** GITHUB_RUN_ID ('local' outside Actions). */
  runId: string;
  /** GITHUB_RUN_ATTEMPT. */
  attempt: number;
  /** Run URL, or a label when not on Actions. */
  runUrl: string;
}

export interface LockHolder {
  runId: string;
  attempt: number;
  /** Unique per run and job: two jobs of one run never share it. */
  token: string;
  expiresAt: number;
  runUrl: string;
  /** Per group, the scaling processes the run resumes there at its end (LOCK_SUSPENDS_KEY); groups with none absent. */
  suspends?: Readonly<Record<string, readonly string[]>>;
  /** Per group, those of `suspends` that a run that did not finish had left suspended (taken over). */
  adopted?: Readonly<Record<string, readonly string[]>>;
}

export class LockHeldError extends Error {
  override readonly name: string = 'LockHeldError';
}

/** The lock stopped being this run's while it ran: stop before the next write. */
export class LockLostError extends LockHeldError {
  override readonly name = 'LockLostError';
}

export function newLock(run: RunIdentity, token: string, expiresAt: number): LockHolder {
  return { runId: run.runId, attempt: run.attempt, token, expiresAt, runUrl: run.runUrl };
}

/** The lock's tags (on `group`: and what the run resumes there at its end, when it holds its scaling still). */
export function lockTags(lock: LockHolder, group?: string): Record<string, string> {
  const suspends = group === undefined ? undefined : lock.suspends?.[group];
  const adopted = group === undefined ? [] : (lock.adopted?.[group] ?? []);
  return {
    [LOCK_KEY]: `run=${lock.runId} attempt=${lock.attempt} token=${lock.token} expires=${new Date(lock.expiresAt).toISOString()}`,
    [LOCK_URL_KEY]: tagValue(lock.runUrl),
    ...(suspends && {
      [LOCK_SUSPENDS_KEY]: tagValue(
        `run=${lock.runId} attempt=${lock.attempt} token=${lock.token} processes=${suspends.join(',')}${adopted.length > 0 ? ` adopted=${adopted.join(',')}` : ''}`,
      ),
    }),
  };
}

/** The value of `name=value` in a lock tag's `a=1 b=2` text; '' when absent. */
export function lockField(value: string | undefined, name: string): string {
  return new RegExp(`(?:^| )${name}=(\\S*)`).exec(value ?? '')?.[1] ?? '';
}

export function parseLock(tags: Record<string, string> | undefined): LockHolder | undefined {
  const value = tags?.[LOCK_KEY];
  if (!value) return undefined;
  const field = (name: string) => lockField(value, name);
  const expiresAt = Date.parse(field('expires'));
  return {
    runId: field('run') || 'unknown',
    attempt: Number(field('attempt')) || 1,
    token: field('token'),
    // An unreadable lock is treated as held until it is removed by hand: never guess it away.
    expiresAt: Number.isNaN(expiresAt) ? Number.POSITIVE_INFINITY : expiresAt,
    runUrl: tags[LOCK_URL_KEY] ?? '',
  };
}

/** `run 123 (https://…/runs/123), until 10:42:00 UTC`. */
export function describeHolder(lock: LockHolder): string {
  const until = Number.isFinite(lock.expiresAt)
    ? `, until ${new Date(lock.expiresAt).toISOString().replace('T', ' ').slice(0, 19)} UTC`
    : '';
  return `run ${lock.runId}${lock.attempt > 1 ? ` attempt ${lock.attempt}` : ''}${lock.runUrl ? ` (${lock.runUrl})` : ''}${until}`;
}

/**
 * Throws LockHeldError when another run holds an unexpired lock on one of the
 * groups. An expired lock, or one left by an earlier attempt of this same run
 * (attempts of a run never overlap), is reported as a warning: it will be taken over.
 */
export function checkLocks(
  locks: Map<string, Record<string, string>>,
  groups: string[],
  me: { runId: string; attempt: number; token: string },
  now: number,
  log: Logger,
): void {
  for (const group of groups) {
    const held = parseLock(locks.get(group));
    if (!held || held.token === me.token) continue;
    if (held.runId === me.runId && held.attempt < me.attempt) {
      log.warning(`${group}: taking over the lock left by attempt ${held.attempt} of this run`);
      continue;
    }
    if (held.expiresAt <= now) {
      log.warning(`${group}: taking over an expired lock of ${describeHolder(held)}`);
      continue;
    }
    throw new LockHeldError(
      `${group} is locked by another deployment: ${describeHolder(held)}. Nothing was changed. Wait for that run to finish (or cancel it), then run again.`,
    );
  }
}

/**
 * Takes the lock on every group: read, refuse a foreign lock, write ours (one
 * attempt), wait, read back. `beforeWrite` runs just before the write is sent
 * (main saves the lock for the post step there, so a lock of ours is never
 * left behind). A failed read or write is tried again from the read; a slow
 * or lost write is not (see LOCK_WRITE_MAX_MS). Returns when it read the lock back.
 *
 * `firstRecord`: deployment record tags sent in the same write when the read
 * before it finds no record on any group (a first deploy): what serves before
 * the run's first traffic write, so that `mode: rollback` can return to it if
 * the run is interrupted. Never written over a record.
 */
export async function acquireLock(
  deps: { aws: Aws; clock: Clock; log: Logger },
  groups: string[],
  lock: LockHolder,
  beforeWrite: () => void,
  firstRecord?: Record<string, string>,
): Promise<number> {
  const { clock, log } = deps;
  if (groups.length === 0) return clock.now(); // traffic between target groups only: no group to hold a lock
  const attempts = { lateFailure: false };
  for (let attempt = 1; ; attempt++) {
    try {
      return await takeLockOnce(deps, groups, lock, { beforeWrite, firstRecord }, attempts);
    } catch (error) {
      if (error instanceof LockHeldError || attempt >= LOCK_ATTEMPTS) throw error;
      log.warning(`taking the lock failed (${errorMessage(error)}); trying again`);
      await clock.sleep(attempt * 1_000);
    }
  }
}

async function takeLockOnce(
  deps: { aws: Aws; clock: Clock; log: Logger },
  groups: string[],
  lock: LockHolder,
  write: { beforeWrite: () => void; firstRecord?: Record<string, string> | undefined },
  attempts: { lateFailure: boolean },
): Promise<number> {
  const { aws, clock, log } = deps;
  const found = await aws.autoScaling.readTags(groups, TAG_PREFIX);
  const readAt = clock.now();
  checkLocks(found, groups, lock, clock.now(), log);
  if (groups.every((group) => parseLock(found.get(group))?.token === lock.token)) {
    // An earlier attempt's write landed although it failed. In time, it counts
    // (it is not sent twice); after a late failure, it may have landed late.
    if (attempts.lateFailure) throw lateWrite(groups);
  } else {
    write.beforeWrite();
    const noRecord = groups.every((group) => !parseRecord(found.get(group) ?? {}));
    const record = write.firstRecord && noRecord ? write.firstRecord : {};
    try {
      await aws.autoScaling.putTagsOnce(groups, (group) => ({ ...lockTags(lock, group), ...record }));
    } catch (error) {
      // Not applied, or applied at an unknown time: the next attempt's read tells.
      if (clock.now() - readAt > LOCK_WRITE_MAX_MS) attempts.lateFailure = true;
      throw error;
    }
    // A write that answered late may have landed after another run read the lock back.
    if (clock.now() - readAt > LOCK_WRITE_MAX_MS) throw lateWrite(groups, clock.now() - readAt);
    if (Object.keys(record).length > 0)
      log.info('no deployment record yet: recorded what serves now with the lock, for mode: rollback');
  }
  // Not abortable: the lock must be confirmed or released, never left half-known.
  await clock.sleep(LOCK_SETTLE_MS);
  const after = await aws.autoScaling.readTags(groups, TAG_PREFIX);
  const confirmedAt = clock.now();
  const lost = groups
    .map((group) => ({ group, held: parseLock(after.get(group)) }))
    .find(({ held }) => held?.token !== lock.token);
  if (lost) {
    const holder = lost.held ? describeHolder(lost.held) : 'nobody (the lock tag was removed)';
    throw new LockHeldError(
      `${lost.group}: another deployment took the lock at the same time: ${holder}. Nothing was changed; run again once it has finished.`,
    );
  }
  log.info(`lock taken on ${groups.join(', ')} until ${new Date(lock.expiresAt).toISOString()}`);
  return confirmedAt;
}

function lateWrite(groups: string[], took?: number): LockHeldError {
  const when =
    took === undefined
      ? 'landed although its answer came too late'
      : `took ${(took / 1000).toFixed(1)} s (more than ${LOCK_WRITE_MAX_MS / 1000} s)`;
  return new LockHeldError(
    `the lock write to ${groups.join(', ')} ${when}, so it may have landed after another deployment took the lock; this run withdraws its lock. Nothing was changed; run again.`,
  );
}

/**
 * The ownership check before every step that writes: reads the lock tags and
 * throws LockLostError when another run's lock is on a group (its late lock
 * write, or a person, replaced ours). A lock tag that was removed is taken again
 * with the whole protocol. A read-back younger than LOCK_FRESH_MS is the check.
 */
export function lockKeeper(
  deps: { aws: Aws; clock: Clock; log: Logger },
  groups: string[],
  lock: LockHolder,
  confirmedAt: number,
): (before: string) => Promise<void> {
  let confirmed = confirmedAt;
  return async (before) => {
    const { aws, clock, log } = deps;
    if (groups.length === 0 || clock.now() - confirmed <= LOCK_FRESH_MS) return;
    const tags = await aws.autoScaling.readTags(groups, TAG_PREFIX);
    const missing: string[] = [];
    for (const group of groups) {
      const held = parseLock(tags.get(group));
      if (!held) missing.push(group);
      else if (held.token !== lock.token)
        throw new LockLostError(
          `${group}: the deployment lock is no longer this run's: ${describeHolder(held)} holds it (its lock write landed after this run took the lock, or the tag was changed by hand). Stopped before "${before}".`,
        );
    }
    if (missing.length > 0) {
      log.warning(`${missing.join(', ')}: the deployment lock tag was removed; taking the lock again`);
      confirmed = await acquireLock(deps, groups, lock, () => {});
      return;
    }
    confirmed = clock.now();
  };
}

/**
 * Removes the lock from the groups where it is still ours, with what it says the
 * run suspends there unless `keepSuspends` (its resume failed or never ran), and
 * never a dead run's (on a group this run did not hold still: the next run that
 * does resumes those); returns those groups.
 */
export async function releaseLock(
  aws: Aws,
  groups: string[],
  token: string,
  /**
   * Groups whose suspended processes were not resumed: their record stays for
   * the next run (`adopted`: it names processes a dead run left suspended).
   */
  keepSuspends: (group: string, adopted: boolean) => boolean = () => false,
): Promise<string[]> {
  const tags = await aws.autoScaling.readTags(groups, TAG_PREFIX);
  const ours = groups.filter((group) => parseLock(tags.get(group))?.token === token);
  const field = (group: string, name: string) => lockField(tags.get(group)?.[LOCK_SUSPENDS_KEY], name);
  // ours, and either resumed or naming nothing
  const clearSuspends = (group: string) =>
    field(group, 'token') === token &&
    (!keepSuspends(group, field(group, 'adopted') !== '') || !field(group, 'processes'));
  if (ours.length > 0)
    await aws.autoScaling.deleteTags(ours, (group) =>
      clearSuspends(group) ? [LOCK_KEY, LOCK_URL_KEY, LOCK_SUSPENDS_KEY] : [LOCK_KEY, LOCK_URL_KEY],
    );
  return ours;
}
