import { awsUndoer } from '../aws/undo/apply-undo.js';
import type { GroupHooks } from '../aws/index.js';
import type { Config } from '../inputs/config.js';
import { Journal } from '../engine/journal.js';
import type { Step, StepContext } from '../engine/plan.js';
import { type RunOutcome, runPlan } from '../engine/run-plan.js';
import { acquireLock, type LockHolder, LockHeldError, lockKeeper, releaseLock } from '../state/lock.js';
import { type SaveState, STATE } from '../state/saved-run.js';
import { keepSuspendsRecord } from '../state/lock-suspends.js';
import { errorMessage } from '../util/errors.js';
import type { DeploymentDeps } from './run-deployment.js';

export type Execution = { ok: true; outcome: RunOutcome } | { ok: false; reason: string };

/**
 * Takes the lock, runs the steps with rollback (the journal saved for the post
 * step at every change), and releases the lock whatever happened. A lock that
 * cannot be taken ends the run before any step.
 */
export async function executeUnderLock(
  config: Config,
  deps: DeploymentDeps,
  p: {
    steps: Step[];
    groups: string[];
    lock: LockHolder;
    startedAt: number;
    save: SaveState;
    /** Record tags of what serves now, written with the lock when the groups carry no record. */
    firstRecord?: Record<string, string>;
    /** The groups' lifecycle hooks from pre-flight: the waits name them. */
    hooks?: GroupHooks;
  },
): Promise<Execution> {
  const { groups, lock, save } = p;
  const ctx: StepContext = {
    aws: deps.aws,
    clock: deps.clock,
    signal: deps.signal,
    log: deps.log,
    pollIntervalMs: config.pollIntervalMs,
    deadline: p.startedAt + config.timeoutMs,
    ...(p.hooks && { lifecycleHooks: p.hooks }),
  };
  const journal = new Journal((entries) => {
    deps.persistJournal?.(entries);
    save(STATE.journal, JSON.stringify(entries));
  });
  try {
    let confirmedAt: number;
    try {
      confirmedAt = await deps.log.group('Take the deployment lock', () =>
        acquireLock(
          deps,
          groups,
          lock,
          () => save(STATE.lock, JSON.stringify({ token: lock.token, groups })),
          p.firstRecord,
        ),
      );
    } catch (error) {
      const message = errorMessage(error);
      const reason = error instanceof LockHeldError ? message : `could not take the lock: ${message}`;
      deps.log.warning(reason);
      save(STATE.finished, 'true');
      return { ok: false, reason };
    }
    const ownLock = lockKeeper(deps, groups, lock, confirmedAt);
    const outcome = await runPlan({ steps: p.steps }, ctx, {
      autoRollback: config.autoRollback,
      undoer: awsUndoer,
      journal,
      beforeWrites: (step) => ownLock(step.title),
    });
    save(STATE.finished, 'true');
    return { ok: true, outcome };
  } finally {
    await deps.log
      .group('Release the deployment lock', async () => {
        const keep = keepSuspendsRecord(journal.entries);
        const released = await releaseLock(deps.aws, groups, lock.token, keep);
        deps.log.info(
          released.length > 0 ? `released on ${released.join(', ')}` : 'no lock of this run left',
        );
      })
      .catch((error: unknown) =>
        deps.log.warning(`could not release the lock (${errorMessage(error)}); the post step tries again`),
      );
  }
}
