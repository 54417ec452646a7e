/**
 * The deployment lock: a tag `asg-deploy:lock` on every group a run changes.
 * Tags have no compare-and-swap, so a run reads, writes its own lock at once,
 * waits for the write to settle and reads again: of two runs that raced, the
 * last writer's lock is what both read back, and the other one backs off.
 * That holds while the gap between a run's read and its write (milliseconds)
 * is shorter than the settle wait.
 */
import type { Aws } from '../aws/index.js';
import type { Clock } from '../engine/clock.js';
import type { Logger } from '../engine/log.js';
import { TAG_PREFIX } from './record.js';

export const LOCK_KEY = `${TAG_PREFIX}lock`;
export const LOCK_URL_KEY = `${TAG_PREFIX}lock-run-url`;
/** How long a written lock is given to settle before it is read back. */
export const LOCK_SETTLE_MS = 5_000;
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
}

export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';
}

export function newLock(run: RunIdentity, token: string, expiresAt: number): LockHolder {
  return { runId: run.runId, attempt: run.attempt, token, expiresAt, runUrl: run.runUrl };
}

export function lockTags(lock: LockHolder): Record<string, string> {
  return {
    [LOCK_KEY]: `run=${lock.runId} attempt=${lock.attempt} token=${lock.token} expires=${new Date(lock.expiresAt).toISOString()}`,
    [LOCK_URL_KEY]: lock.runUrl.slice(0, 256),
  };
}

export function parseLock(tags: Record<string, string> | undefined): LockHolder | undefined {
  const value = tags?.[LOCK_KEY];
  if (!value) return undefined;
  const field = (name: string) => new RegExp(`(?:^| )${name}=(\\S+)`).exec(value)?.[1] ?? '';
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
 * Takes the lock on every group: read, refuse a foreign lock, write ours,
 * wait, read back. `beforeWrite` runs just before the write is sent (main saves
 * the lock for the post step there, so a lock of ours is never left behind).
 */
export async function acquireLock(
  deps: { aws: Aws; clock: Clock; log: Logger },
  groups: string[],
  lock: LockHolder,
  beforeWrite: () => void,
): Promise<void> {
  const { aws, clock, log } = deps;
  if (groups.length === 0) return; // traffic between target groups only: no group to hold a lock
  checkLocks(await aws.autoScaling.readTags(groups, TAG_PREFIX), groups, lock, clock.now(), log);
  beforeWrite();
  await aws.autoScaling.putTags(groups, lockTags(lock));
  // Not abortable: the lock must be confirmed or released, never left half-known.
  await clock.sleep(LOCK_SETTLE_MS);
  const after = await aws.autoScaling.readTags(groups, TAG_PREFIX);
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
}

/** Removes the lock from the groups where it is still ours; returns those groups. */
export async function releaseLock(aws: Aws, groups: string[], token: string): Promise<string[]> {
  const tags = await aws.autoScaling.readTags(groups, TAG_PREFIX);
  const ours = groups.filter((group) => parseLock(tags.get(group))?.token === token);
  if (ours.length > 0) await aws.autoScaling.deleteTags(ours, [LOCK_KEY, LOCK_URL_KEY]);
  return ours;
}
