/**
 * The post step's work, on any AWS (the runner's or the simulator): if main
 * stopped in the middle of a deploy (cancelled and killed), undo its journal
 * newest first, traffic before capacity, within a bound; then release the lock
 * if it is still this run's. When main finished, only the lock is looked at.
 */
import type { Aws } from '../aws/index.js';
import { awsUndoer } from '../aws/undo/apply-undo.js';
import type { Clock } from '../engine/clock.js';
import { Journal, type JournalEntry } from '../engine/journal.js';
import type { Logger } from '../engine/log.js';
import { rollBack } from '../engine/run-plan.js';
import { releaseLock } from '../state/lock.js';
import { keepSuspendsRecord } from '../state/lock-suspends.js';
import type { SavedRun } from '../state/saved-run.js';
import { errorMessage } from '../util/errors.js';
import { retry } from '../util/retry.js';
import { MINUTE, SECOND } from '../util/time.js';

/** The runner gives a cancelled job a few minutes for its post steps. */
export const POST_BOUND_MS = 3 * MINUTE;
const RELEASE_ATTEMPTS = 3;

export interface PostDeps {
  aws: Aws;
  clock: Clock;
  log: Logger;
}

export interface PostOutcome {
  /** undefined: nothing to undo; true: undone; false: undo failed, timed out or was not allowed. */
  undone?: boolean;
  /** Groups the lock was removed from. */
  released: string[];
  journal: JournalEntry[];
}

/**
 * Main left work to undo when its rollback could not restore everything (an
 * entry `undo-failed`: the post step tries it again), or when it never saved
 * `finished` and its plan had not reached the cleanup phase (once a cleanup
 * step starts, the new release holds all traffic: it is kept, as main itself
 * would keep it).
 */
export function needsUndo(saved: SavedRun): boolean {
  if (saved.journal.some((e) => e.phase === 'deploy' && e.status === 'undo-failed')) return true;
  if (saved.finished) return false;
  if (saved.journal.some((e) => e.phase === 'cleanup')) return false;
  return saved.journal.some(
    (e) => e.phase === 'deploy' && e.status !== 'undone' && (e.undo?.length ?? 0) > 0,
  );
}

/**
 * Main stopped after its deploy steps (the release is kept) but before the end
 * of the run put back what it changed for its own duration (suspended processes).
 */
export function needsRunEnd(saved: SavedRun): boolean {
  if (saved.finished) return false;
  return saved.journal.some((e) => e.untilRunEnd && e.status !== 'undone' && (e.undo?.length ?? 0) > 0);
}

export async function cleanUpAfterMain(saved: SavedRun, deps: PostDeps): Promise<PostOutcome> {
  const { aws, clock, log } = deps;
  const journal = Journal.from(saved.journal);
  let undone: boolean | undefined;
  if (needsUndo(saved)) {
    // With auto-rollback false only what must never outlive the run is undone (recreate's 503).
    const onlyAlways = !saved.context.autoRollback;
    log.warning(
      saved.finished
        ? 'the main step could not restore everything: trying again what it could not'
        : onlyAlways
          ? 'the deployment was interrupted; auto-rollback is false, so its changes are left as they are, but for what must not outlive the run'
          : 'the deployment was interrupted: restoring the state from before it, newest change first',
    );
    const deadline = clock.now() + POST_BOUND_MS;
    const ctx = {
      aws,
      clock,
      log,
      signal: new AbortController().signal,
      pollIntervalMs: saved.context.pollIntervalMs,
      deadline,
    };
    const restored = await withinWallTime(
      rollBack(journal, ctx, { undoer: awsUndoer, onlyAlways }),
      POST_BOUND_MS,
      () => {
        log.warning(`the restore did not finish within ${POST_BOUND_MS / MINUTE} minutes`);
        return false;
      },
    );
    undone = onlyAlways ? false : restored;
  } else if (needsRunEnd(saved)) {
    log.warning(
      'the deployment was interrupted after its release took all traffic: putting back what it changed for the run only',
    );
    const ctx = {
      aws,
      clock,
      log,
      signal: new AbortController().signal,
      pollIntervalMs: saved.context.pollIntervalMs,
      deadline: clock.now() + POST_BOUND_MS,
    };
    undone = await withinWallTime(
      rollBack(journal, ctx, { undoer: awsUndoer, onlyRunEnd: true }),
      POST_BOUND_MS,
      () => false,
    );
  }
  const released = saved.lock ? await releaseLockOfMain(saved.lock, deps, journal.entries) : [];
  return { ...(undone !== undefined && { undone }), released, journal: journal.entries };
}

/** Releases main's lock if it is still this run's, with a few attempts; never throws. */
async function releaseLockOfMain(
  lock: { token: string; groups: string[] },
  deps: PostDeps,
  /** Main's journal: what a resume that did not happen keeps on record (see keepSuspendsRecord). */
  entries: readonly JournalEntry[],
): Promise<string[]> {
  const { aws, clock, log } = deps;
  try {
    const keep = keepSuspendsRecord(entries);
    const released = await retry(() => releaseLock(aws, lock.groups, lock.token, keep), {
      attempts: RELEASE_ATTEMPTS,
      delayMs: 2 * SECOND,
      sleep: (ms) => clock.sleep(ms),
    });
    log.info(released.length > 0 ? `lock released on ${released.join(', ')}` : 'no lock of this run left');
    return released;
  } catch (error) {
    log.warning(
      `could not release the lock on ${lock.groups.join(', ')}: ${errorMessage(error)}. It expires by itself; or delete the tag asg-deploy:lock by hand.`,
    );
    return [];
  }
}

/**
 * The bound is wall time (the runner's, whatever clock the steps use): a
 * simulated clock jumps ahead on every sleep and would end the race at once.
 */
async function withinWallTime<T>(work: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
