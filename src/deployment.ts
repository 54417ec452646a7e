import { randomUUID } from 'node:crypto';
import type { Aws, SentWrite } from './aws/index.js';
import type { Config } from './inputs/config.js';
import type { Clock } from './engine/clock.js';
import { Journal, type JournalEntry } from './engine/journal.js';
import type { Logger } from './engine/log.js';
import type { PlannedWrite, StepContext } from './engine/plan.js';
import { runPlan } from './engine/run-plan.js';
import type { DeploymentReport, FleetRow, Result } from './report/model.js';
import {
  acquireLock,
  checkLocks,
  LOCK_GRACE_MS,
  LOCK_KEY,
  LOCK_URL_KEY,
  LockHeldError,
  newLock,
  releaseLock,
  type RunIdentity,
} from './state/lock.js';
import { type DeploymentRecord, newestRecord, TAG_PREFIX } from './state/record.js';
import { recordStep, withStepBeforeCleanup } from './state/record-step.js';
import { type SaveState, STATE } from './state/saved-run.js';
import { groupsOf, PreflightError, type PreparedDeployment, strategyFor } from './strategies/index.js';

export type { DeploymentReport, FleetRow, Result } from './report/model.js';

export interface DeploymentDeps {
  aws: Aws;
  clock: Clock;
  signal: AbortSignal;
  log: Logger;
  /** Receives every journal change (tests keep them; on the runner `saveState` covers it). */
  persistJournal?: (entries: readonly JournalEntry[]) => void;
  /** Hands state to the post step (GITHUB_STATE): lock before it is written, journal before each write. */
  saveState?: SaveState;
  /** Run URL or id, written into what the run creates. */
  runLabel?: string;
  /** Who holds the lock and is named in the record. */
  run?: RunIdentity;
  /** Why a rollback was asked for (the workflow's `reason` input), if given. */
  requestedReason?: string;
  /**
   * Where the clients record every write they send (`onWrite` of createClients,
   * or the simulator's clients): copied into the report when the run ends.
   */
  writesSent?: readonly SentWrite[];
}

/**
 * A run from pre-flight to report, whatever the strategy and mode: check the
 * lock and read the record (read only), prepare (read only), then — unless
 * planning — take the lock, run the plan with rollback (the record written
 * once the release holds all traffic), release the lock, and read the fleets
 * again. Talks to AWS only through `deps.aws`; never throws for an AWS failure.
 */
export async function runDeployment(config: Config, deps: DeploymentDeps): Promise<DeploymentReport> {
  const startedAt = deps.clock.now();
  const run = deps.run ?? { runId: 'local', attempt: 1, runUrl: deps.runLabel ?? 'local run' };
  const save: SaveState = deps.saveState ?? (() => {});
  save(
    STATE.context,
    JSON.stringify({
      region: config.region,
      pollIntervalMs: config.pollIntervalMs,
      autoRollback: config.autoRollback,
    }),
  );
  const base = {
    strategy: config.strategy,
    mode: config.mode,
    startedAt,
    headline: '',
    problems: [] as string[],
    rollbackIncomplete: false,
    warnings: [] as string[],
    before: [] as FleetRow[],
    after: [] as FleetRow[],
    steps: [] as JournalEntry[],
    plannedWrites: [] as DeploymentReport['plannedWrites'],
  };
  const finish = (
    fields: Partial<DeploymentReport> & { result: Result; outputs: Record<string, string> },
  ): DeploymentReport => {
    const endedAt = deps.clock.now();
    const outputs = {
      ...fields.outputs,
      'duration-seconds': String(Math.round((endedAt - startedAt) / 1000)),
    };
    return { ...base, ...fields, writesSent: [...(deps.writesSent ?? [])], endedAt, outputs };
  };
  const refuse = (problems: string[]) => {
    for (const problem of problems) deps.log.warning(`pre-flight: ${problem}`);
    return finish({
      result: 'failed',
      reason: `pre-flight: ${problems[0] ?? 'failed'}`,
      problems,
      outputs: { result: 'failed' },
    });
  };

  const groups = groupsOf(config);
  const lock = newLock(
    run,
    `${run.runId}.${run.attempt}.${randomUUID().slice(0, 8)}`,
    startedAt + config.timeoutMs + LOCK_GRACE_MS,
  );
  let prepared: PreparedDeployment;
  let record: DeploymentRecord | undefined;
  try {
    prepared = await deps.log.group('Pre-flight checks', async () => {
      // The lock first: a run in progress elsewhere explains what pre-flight would find half-done.
      const tags = await deps.aws.autoScaling.readTags(groups, TAG_PREFIX);
      checkLocks(tags, groups, lock, deps.clock.now(), deps.log);
      record = newestRecord(tags);
      return strategyFor(config)(config, {
        aws: deps.aws,
        log: deps.log,
        runToken: randomUUID(),
        runLabel: deps.runLabel ?? run.runUrl,
        now: deps.clock.now(),
        ...(record && { record }),
      });
    });
  } catch (error) {
    return refuse(error instanceof PreflightError ? error.problems : [(error as Error).message]);
  }

  const steps = prepared.record
    ? withStepBeforeCleanup(prepared.plan.steps, recordStep(prepared.record, run.runUrl))
    : prepared.plan.steps;
  const lockWrites = lockPlannedWrites(groups, lock.expiresAt);
  const plannedWrites = [...lockWrites.take, ...steps.flatMap((s) => s.writes), ...lockWrites.release];
  const known = { headline: prepared.headline, before: prepared.before, plannedWrites };
  // Without a record (target groups only, or a first run) the strategy's own outputs stand.
  const fromRecord = record ? recordOutputs(record) : {};

  if (prepared.unchanged) {
    deps.log.info(`${prepared.headline}: nothing to do`);
    return finish({
      ...known,
      plannedWrites: [],
      result: 'unchanged',
      after: prepared.before,
      outputs: { ...prepared.outputs('unchanged'), ...fromRecord },
    });
  }
  if (config.mode === 'plan') {
    await deps.log.group(`Plan: ${plannedWrites.length} write(s) a deploy would make, in order`, async () => {
      plannedWrites.forEach((w, i) =>
        deps.log.info(`${i + 1}. ${w.service} ${w.action} ${w.target}: ${w.detail}`),
      );
    });
    return finish({ ...known, result: 'planned', outputs: prepared.outputs('planned') });
  }

  const ctx: StepContext = {
    aws: deps.aws,
    clock: deps.clock,
    signal: deps.signal,
    log: deps.log,
    pollIntervalMs: config.pollIntervalMs,
    deadline: startedAt + config.timeoutMs,
  };
  const journal = new Journal((entries) => {
    deps.persistJournal?.(entries);
    save(STATE.journal, JSON.stringify(entries));
  });
  let outcome;
  try {
    try {
      await deps.log.group('Take the deployment lock', () =>
        acquireLock(deps, groups, lock, () =>
          save(STATE.lock, JSON.stringify({ token: lock.token, groups })),
        ),
      );
    } catch (error) {
      const message = (error as Error).message;
      const reason = error instanceof LockHeldError ? message : `could not take the lock: ${message}`;
      deps.log.warning(reason);
      save(STATE.finished, 'true');
      return finish({
        ...known,
        result: 'failed',
        reason,
        problems: [reason],
        outputs: { result: 'failed' },
      });
    }
    outcome = await runPlan({ steps }, ctx, { autoRollback: config.autoRollback, journal });
    save(STATE.finished, 'true');
  } finally {
    await deps.log
      .group('Release the deployment lock', async () => {
        const released = await releaseLock(deps.aws, groups, lock.token);
        deps.log.info(
          released.length > 0 ? `released on ${released.join(', ')}` : 'no lock of this run left',
        );
      })
      .catch((error: Error) =>
        deps.log.warning(`could not release the lock (${error.message}); the post step tries again`),
      );
  }

  const rollbackMode = config.mode === 'rollback';
  const result: Result =
    outcome.status === 'succeeded'
      ? rollbackMode
        ? 'rolled-back'
        : 'deployed'
      : outcome.status === 'rolled-back' && !rollbackMode
        ? 'rolled-back'
        : 'failed';
  const after = await deps.log
    .group('Final state', () => prepared.readAfter())
    .catch((error: Error) => {
      deps.log.warning(`could not read the final state: ${error.message}`);
      return [] as FleetRow[];
    });
  const succeeded = outcome.status === 'succeeded';
  const outputs = {
    ...prepared.outputs(result),
    ...(succeeded && prepared.record
      ? {
          'version-label': prepared.record.serving.versionLabel,
          'previous-version-label': prepared.record.previous?.versionLabel ?? '',
        }
      : fromRecord),
  };
  // What serves now, as read back (an image deploy creates its version during the run).
  const serving = after.find((row) => row.live && row.group === outputs['active-auto-scaling-group']);
  if (serving && serving.launchTemplateVersion !== '-')
    outputs['launch-template-version'] = serving.launchTemplateVersion;
  let reason = outcome.reason;
  if (rollbackMode) {
    if (succeeded) {
      reason = deps.requestedReason ?? 'manual rollback (mode: rollback)';
      outputs['rollback-reason'] = reason;
    } else if (reason) reason = `the rollback failed: ${reason}`;
  } else if (reason && result !== 'deployed') outputs['rollback-reason'] = reason;
  const details = prepared.details?.();
  return finish({
    ...(details && details.length > 0 && { details }),
    ...known,
    result,
    reason,
    rollbackIncomplete: outcome.rollbackIncomplete,
    warnings: outcome.warnings,
    after,
    steps: outcome.journal,
    traffic: prepared.traffic?.(outcome.journal) ?? [],
    outputs,
  });
}

/** Outputs `version-label` and `previous-version-label` as the record on the groups has them. */
function recordOutputs(record: DeploymentRecord | undefined): Record<string, string> {
  return {
    'version-label': record?.current.versionLabel ?? '',
    'previous-version-label': record?.previous?.versionLabel ?? '',
  };
}

function lockPlannedWrites(
  groups: string[],
  expiresAt: number,
): { take: PlannedWrite[]; release: PlannedWrite[] } {
  if (groups.length === 0) return { take: [], release: [] };
  const target = groups.join(', ');
  return {
    take: [
      {
        service: 'autoscaling',
        action: 'CreateOrUpdateTags',
        target,
        detail: `${LOCK_KEY} = this run, until ${new Date(expiresAt).toISOString()}; ${LOCK_URL_KEY} = run URL`,
      },
    ],
    release: [
      { service: 'autoscaling', action: 'DeleteTags', target, detail: `${LOCK_KEY}, ${LOCK_URL_KEY}` },
    ],
  };
}
