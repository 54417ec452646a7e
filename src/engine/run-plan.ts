import { errorMessage } from '../util/errors.js';
import { retry } from '../util/retry.js';
import { Journal, type JournalEntry } from './journal.js';
import type { Facts, Plan, Step, StepContext, StepRunContext, Undo, Undoer } from './plan.js';

export type RunStatus = 'succeeded' | 'rolled-back' | 'failed';

export interface RunOutcome {
  status: RunStatus;
  /** Why the deploy failed (first error), when it did. */
  reason?: string;
  /** True when an undo failed: the state is neither the old nor the new release. */
  rollbackIncomplete: boolean;
  warnings: string[];
  journal: JournalEntry[];
}

export interface RunOptions {
  autoRollback: boolean;
  /** Applies the undos of a rollback. */
  undoer: Undoer;
  journal?: Journal;
  /**
   * Runs before every step that writes (the lock's ownership check): a throw
   * fails the step before its first write, as any step error does.
   */
  beforeWrites?: (step: Step) => Promise<void>;
}

export interface RollBackOptions {
  undoer: Undoer;
  /** Only the steps marked `undoAlways` (auto-rollback false). */
  onlyAlways?: boolean;
  /** Only the steps marked `untilRunEnd` (the run succeeded, or reached its cleanup phase). */
  onlyRunEnd?: boolean;
}

/** Attempts per undo (each on top of the SDK's own retries). */
const UNDO_ATTEMPTS = 3;

/**
 * Runs a plan's steps in order. On a failure of a deploy step (error, timeout,
 * cancel) it undoes every step that was started, newest first, before
 * returning; a failing cleanup step only warns.
 */
export async function runPlan(plan: Plan, ctx: StepContext, options: RunOptions): Promise<RunOutcome> {
  const journal = options.journal ?? new Journal();
  const warnings: string[] = [];
  let reason: string | undefined;

  for (const step of plan.steps) {
    const entry = journal.begin({
      id: step.id,
      title: step.title,
      phase: step.phase,
      startedAt: ctx.clock.now(),
      undo: step.undo,
      ...(step.undoAlways && { undoAlways: true }),
      ...(step.untilRunEnd && { untilRunEnd: true }),
      ...(step.gate && { gate: step.gate }),
    });
    try {
      if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('cancelled');
      if (step.phase === 'deploy' && ctx.clock.now() >= ctx.deadline)
        throw new Error('the deployment timeout was reached');
      if (step.writes.length > 0) await options.beforeWrites?.(step);
      const stepCtx: StepRunContext = {
        ...ctx,
        saveJournal: () => journal.update(entry, {}),
        facts: journal.facts(),
        learn: (facts: Facts) => {
          journal.update(entry, { learned: { ...entry.learned, ...facts } });
          Object.assign(stepCtx.facts, facts);
        },
      };
      const detail = await ctx.log.group(step.title, () => step.run(stepCtx));
      journal.update(entry, {
        status: 'done',
        outcome: 'done',
        endedAt: ctx.clock.now(),
        detail: detail || undefined,
      });
    } catch (error) {
      const message = stepErrorMessage(error, ctx.signal);
      journal.update(entry, {
        status: 'failed',
        outcome: 'failed',
        endedAt: ctx.clock.now(),
        detail: message,
      });
      if (step.phase === 'cleanup') {
        warnings.push(`${step.title}: ${message}`);
        ctx.log.warning(
          `${step.title} failed: ${message}. The new release is live; this is left for you to finish.`,
        );
        continue;
      }
      reason = `${step.title}: ${message}`;
      break;
    }
  }

  if (reason === undefined) {
    // What lasts only while the run runs (suspended processes) ends with it.
    const ended = await rollBack(journal, ctx, { undoer: options.undoer, onlyRunEnd: true });
    if (!ended)
      warnings.push('what this run changed for its own duration could not all be put back: see the log');
    return { status: 'succeeded', rollbackIncomplete: false, warnings, journal: journal.entries };
  }
  if (!options.autoRollback) {
    ctx.log.warning('auto-rollback is false: the completed steps are left as they are.');
    const complete = await rollBack(journal, ctx, { undoer: options.undoer, onlyAlways: true });
    return { status: 'failed', reason, rollbackIncomplete: !complete, warnings, journal: journal.entries };
  }
  const complete = await rollBack(journal, ctx, { undoer: options.undoer });
  return {
    status: complete ? 'rolled-back' : 'failed',
    reason,
    rollbackIncomplete: !complete,
    warnings,
    journal: journal.entries,
  };
}

/**
 * Undoes started deploy steps newest first, skipping those already undone (the
 * post step resumes a rollback main began, and retries what it could not).
 * Routes are restored independently: a route that cannot be restored (after
 * its attempts) does not stop the others, in this step or older ones. Any other
 * undo that fails stops the rest of its step, and from then on only routes and
 * the steps marked `undoAlways` are undone: earlier capacity undos assume later
 * ones held (a fleet is never scaled down while a route may still send it
 * traffic). With `onlyAlways` (auto-rollback false) only those are undone.
 */
export async function rollBack(
  journal: Journal,
  ctx: StepContext,
  options: RollBackOptions,
): Promise<boolean> {
  const toUndo = journal.entries
    .filter((e) => e.phase === 'deploy' && e.status !== 'undone' && e.undo && e.undo.length > 0)
    .filter((e) => !options.onlyAlways || e.undoAlways)
    .filter((e) => !options.onlyRunEnd || e.untilRunEnd)
    .reverse();
  if (toUndo.length === 0) return true;
  // Several steps may record the same snapshot (every traffic step restores the
  // original routes): it is applied once, by the newest step, so that a rollback
  // writes each route once. A route is restored by the newest undo that names
  // it: a later step records what it learned of the route (a change someone
  // else made, kept), which an older snapshot must not overwrite.
  const applied = new Set<string>();
  return ctx.log.group(
    options.onlyRunEnd
      ? 'Put back what was changed for the run only'
      : options.onlyAlways
        ? 'Restore what must not outlive the run'
        : 'Roll back',
    async () => {
      let complete = true;
      for (const entry of toUndo) {
        const routesOnly = !complete && !entry.undoAlways;
        if (routesOnly && !(entry.undo ?? []).some(isRoute)) continue;
        journal.update(entry, { status: 'undoing' });
        const result = await undoEntry(entry.undo ?? [], {
          ctx,
          undoer: options.undoer,
          applied,
          routesOnly,
        });
        if (result.notRestored.length === 0) {
          journal.update(entry, {
            status: 'undone',
            undoneAt: ctx.clock.now(),
            undoDetail: result.details.join('; '),
            notRestored: undefined,
          });
          ctx.log.info(`undone: ${entry.title}: ${result.details.join('; ')}`);
          continue;
        }
        const undos = entry.undo ?? [];
        const missing = result.notRestored.map(
          ({ index, why }) => `${options.undoer.describe(undos[index] as Undo)} NOT restored: ${why}`,
        );
        journal.update(entry, {
          status: 'undo-failed',
          undoneAt: ctx.clock.now(),
          undoDetail: [...result.details, ...missing].join('; '),
          notRestored: result.notRestored,
        });
        ctx.log.warning(
          `could not undo all of "${entry.title}": ${missing.join('; ')}. The rollback goes on with every other route; capacity is left as it is.`,
        );
        complete = false;
      }
      return complete;
    },
  );
}

/** What an undo puts back: a route (whatever actions it restores), or the exact snapshot. */
function undoKey(undo: Undo): string {
  return undo.kind === 'restore-route' ? `route ${undo.route.arn}` : JSON.stringify(undo);
}

function isRoute(undo: Undo): boolean {
  return undo.kind === 'restore-route';
}

/** Applies one entry's undos in order; see rollBack for what a failure stops. */
async function undoEntry(
  undos: Undo[],
  p: { ctx: StepContext; undoer: Undoer; applied: Set<string>; routesOnly: boolean },
): Promise<{ details: string[]; notRestored: { index: number; why: string }[] }> {
  const details: string[] = [];
  const notRestored: { index: number; why: string }[] = [];
  let stopped = false;
  // Routes first, each on its own: traffic goes back to the fleet that kept its capacity. Anything
  // else of the entry (a group's capacity) only once every route of it is restored: a fleet that a
  // route may still send traffic to is never scaled down.
  const order = [...undos.entries()].sort(([, a], [, b]) => Number(!isRoute(a)) - Number(!isRoute(b)));
  for (const [index, undo] of order) {
    if (!isRoute(undo) && (stopped || p.routesOnly)) {
      notRestored.push({
        index,
        why: 'not attempted: an undo before it failed (a route may still send traffic to this fleet)',
      });
      continue;
    }
    const key = undoKey(undo);
    if (p.applied.has(key)) {
      details.push(`${p.undoer.describe(undo)}: already restored above`);
      continue;
    }
    try {
      details.push(await withAttempts(() => p.undoer.apply(undo, p.ctx), p.ctx));
      p.applied.add(key);
    } catch (error) {
      notRestored.push({ index, why: errorMessage(error) });
      // A route is independent of the other routes; what follows the routes assumes they all held.
      stopped = true;
    }
  }
  return { details, notRestored };
}

/** Undo is not cancellable: a cancel is what it answers. It retries with the clock, ignoring the abort signal. */
function withAttempts<T>(fn: () => Promise<T>, ctx: StepContext): Promise<T> {
  return retry(fn, {
    attempts: UNDO_ATTEMPTS,
    delayMs: Math.min(ctx.pollIntervalMs, 5000),
    sleep: (ms) => ctx.clock.sleep(ms),
    onRetry: (error, attempt) =>
      ctx.log.warning(`undo attempt ${attempt} failed (${errorMessage(error)}); retrying`),
  });
}

/** A step's error for the journal: a cancel names its reason. */
function stepErrorMessage(error: unknown, signal: AbortSignal): string {
  if (
    signal.aborted &&
    (error === signal.reason || (error instanceof Error && error.name === 'AbortError'))
  ) {
    const reason: unknown = signal.reason;
    return `cancelled (${reason instanceof Error ? reason.message : 'aborted'})`;
  }
  return errorMessage(error);
}
