import { randomUUID } from 'node:crypto';
import type { Aws } from './aws/index.js';
import type { Config } from './config.js';
import type { Clock } from './engine/clock.js';
import { Journal, type JournalEntry } from './engine/journal.js';
import type { Logger } from './engine/log.js';
import type { StepContext } from './engine/plan.js';
import { runPlan } from './engine/run-plan.js';
import type { DeploymentReport, FleetRow, Result } from './report/model.js';
import { PreflightError, type PreparedDeployment, strategyFor } from './strategies/index.js';

export type { DeploymentReport, FleetRow, Result } from './report/model.js';

export interface DeploymentDeps {
  aws: Aws;
  clock: Clock;
  signal: AbortSignal;
  log: Logger;
  /** Receives every journal change (main.ts saves it as runner state for the post step). */
  persistJournal?: (entries: readonly JournalEntry[]) => void;
  /** Run URL or id, written into what the run creates. */
  runLabel?: string;
}

/**
 * A deployment from pre-flight to report, whatever the strategy: prepare (read
 * only), then run the plan with rollback, then read the fleets again. Talks to
 * AWS only through `deps.aws`; never throws for an AWS failure.
 */
export async function runDeployment(config: Config, deps: DeploymentDeps): Promise<DeploymentReport> {
  const startedAt = deps.clock.now();
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
  ) => {
    const endedAt = deps.clock.now();
    const outputs = {
      ...fields.outputs,
      'duration-seconds': String(Math.round((endedAt - startedAt) / 1000)),
    };
    return { ...base, ...fields, endedAt, outputs };
  };

  let prepared: PreparedDeployment;
  try {
    prepared = await deps.log.group('Pre-flight checks', () =>
      strategyFor(config)(config, {
        aws: deps.aws,
        log: deps.log,
        runToken: randomUUID(),
        runLabel: deps.runLabel ?? 'asg-deploy',
      }),
    );
  } catch (error) {
    const problems = error instanceof PreflightError ? error.problems : [(error as Error).message];
    for (const problem of problems) deps.log.warning(`pre-flight: ${problem}`);
    return finish({
      result: 'failed',
      reason: `pre-flight: ${problems[0] ?? 'failed'}`,
      problems,
      outputs: { result: 'failed' },
    });
  }
  const plannedWrites = prepared.plan.steps.flatMap((s) => s.writes);
  const known = { headline: prepared.headline, before: prepared.before, plannedWrites };

  if (prepared.unchanged) {
    deps.log.info(`${prepared.headline}: nothing to deploy`);
    return finish({
      ...known,
      result: 'unchanged',
      after: prepared.before,
      outputs: prepared.outputs('unchanged'),
    });
  }

  const ctx: StepContext = {
    aws: deps.aws,
    clock: deps.clock,
    signal: deps.signal,
    log: deps.log,
    pollIntervalMs: config.pollIntervalMs,
    deadline: startedAt + config.timeoutMs,
  };
  const outcome = await runPlan(prepared.plan, ctx, {
    autoRollback: config.autoRollback,
    journal: new Journal(deps.persistJournal),
  });
  const result: Result =
    outcome.status === 'succeeded' ? 'deployed' : outcome.status === 'rolled-back' ? 'rolled-back' : 'failed';

  const after = await deps.log
    .group('Final state', () => prepared.readAfter())
    .catch((error: Error) => {
      deps.log.warning(`could not read the final state: ${error.message}`);
      return [] as FleetRow[];
    });
  const outputs = prepared.outputs(result);
  // What serves now, as read back (an image deploy creates its version during the run).
  const serving = after.find((row) => row.live && row.group === outputs['active-auto-scaling-group']);
  if (serving && serving.launchTemplateVersion !== '-')
    outputs['launch-template-version'] = serving.launchTemplateVersion;
  if (outcome.reason && result !== 'deployed') outputs['rollback-reason'] = outcome.reason;
  const details = prepared.details?.();
  return finish({
    ...(details && details.length > 0 && { details }),
    ...known,
    result,
    reason: outcome.reason,
    rollbackIncomplete: outcome.rollbackIncomplete,
    warnings: outcome.warnings,
    after,
    steps: outcome.journal,
    traffic: prepared.traffic?.(outcome.journal) ?? [],
    outputs,
  });
}
