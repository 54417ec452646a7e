import { randomUUID } from 'node:crypto';
import type { Aws, SentWrite } from '../aws/index.js';
import type { Config } from '../inputs/config.js';
import type { Clock } from '../engine/clock.js';
import type { JournalEntry } from '../engine/journal.js';
import type { Logger } from '../engine/log.js';
import type { DeploymentReport, FleetRow } from '../report/model.js';
import { LOCK_GRACE_MS, newLock, type RunIdentity } from '../state/lock.js';
import { type RecordPlan, recordStep, withStepBeforeCleanup } from '../state/record-step.js';
import { type DeploymentRecord, recordTags } from '../state/record.js';
import { type SaveState, STATE } from '../state/saved-run.js';
import { groupsOf, PreflightError } from '../strategies/index.js';
import { withScalingHeld } from './scaling-held.js';
import { errorMessage } from '../util/errors.js';
import { executeUnderLock } from './execute.js';
import { outcomeReport, recordOutputs } from './outcome.js';
import { logPlan, plannedWrites } from './planned-writes.js';
import { type Preflight, preflight } from './preflight.js';
import { reportBuilder } from './report-builder.js';
import { guardedUnchanged, runStatus } from './run-status.js';

export type { DeploymentReport, FleetRow, Result } from '../report/model.js';

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
  const report = reportBuilder(config, deps, startedAt);
  if (config.mode === 'status') return runStatus(config, deps, report);
  const groups = groupsOf(config);
  const lock = newLock(
    run,
    `${run.runId}.${run.attempt}.${randomUUID().slice(0, 8)}`,
    startedAt + config.timeoutMs + LOCK_GRACE_MS,
  );
  let found: Preflight;
  try {
    found = await preflight(config, deps, { groups, lock, run });
  } catch (error) {
    return report.refuse(error instanceof PreflightError ? error.problems : [errorMessage(error)]);
  }
  if ('notServing' in found) {
    return guardedUnchanged(config, deps, report, {
      message: found.notServing,
      ...(found.record && { record: found.record }),
    });
  }
  const { prepared, record, hooks, left } = found;

  const planned = prepared.record
    ? withStepBeforeCleanup(prepared.plan.steps, recordStep(prepared.record, run.runUrl))
    : prepared.plan.steps;
  const held = withScalingHeld(planned, {
    groups: prepared.groups ?? [],
    processes: config.suspendProcesses,
    left,
    log: deps.log,
  });
  const { steps } = held;
  const firstRecord = firstRecordTags(config, prepared.record, record);
  const writes = plannedWrites(groups, lock.expiresAt, steps, {
    ...(firstRecord && prepared.record?.previous && { firstRecord: prepared.record.previous }),
    suspends: held.lockSuspends,
  });
  const known = { headline: prepared.headline, before: prepared.before, plannedWrites: writes };

  if (prepared.unchanged) {
    deps.log.info(`${prepared.headline}: nothing to do`);
    // Without a record (target groups only, or a first run) the strategy's own outputs stand.
    const fromRecord = record ? recordOutputs(record) : {};
    return report.finish({
      ...known,
      plannedWrites: [],
      result: 'unchanged',
      after: prepared.before,
      outputs: { ...prepared.outputs('unchanged'), ...fromRecord },
    });
  }
  if (config.mode === 'plan' || config.dryRun) {
    await logPlan(writes, deps.log);
    return report.finish({ ...known, result: 'planned', outputs: prepared.outputs('planned') });
  }

  const execution = await executeUnderLock(config, deps, {
    steps,
    groups,
    lock: { ...lock, suspends: held.lockSuspends, adopted: held.lockAdopted },
    startedAt,
    save,
    hooks,
    ...(firstRecord && { firstRecord }),
  });
  if (!execution.ok) {
    const { reason } = execution;
    return report.finish({
      ...known,
      result: 'failed',
      reason,
      problems: [reason],
      outputs: { result: 'failed' },
    });
  }
  const after = await deps.log
    .group('Final state', () => prepared.readAfter())
    .catch((error: unknown) => {
      deps.log.warning(`could not read the final state: ${errorMessage(error)}`);
      return [] as FleetRow[];
    });
  return report.finish(
    outcomeReport(config, {
      outcome: execution.outcome,
      known,
      prepared,
      after,
      ...(record && { record }),
      ...(deps.requestedReason !== undefined && { requestedReason: deps.requestedReason }),
    }),
  );
}

/**
 * A blue/green deploy or promote (or its plan) on groups with no deployment record yet (a
 * first run): the record of what serves now (the live color, every route on
 * it, as pre-flight verified), written with the lock, before any traffic
 * write. If the run is interrupted and nothing restores its routes,
 * `mode: rollback` then returns to that color as after any unfinished deploy;
 * a completed run writes the same entry as its record's previous one.
 */
export function firstRecordTags(
  config: Config,
  plan: RecordPlan | undefined,
  record: DeploymentRecord | undefined,
): Record<string, string> | undefined {
  if (record || !plan?.previous?.color) return undefined;
  // plan mode lists the writes of a deploy
  if (!['deploy', 'promote', 'plan'].includes(config.mode)) return undefined;
  return recordTags({ current: plan.previous });
}
