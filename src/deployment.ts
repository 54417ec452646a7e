import { randomUUID } from 'node:crypto';
import type { Aws } from './aws/index.js';
import type { Color, Config } from './config.js';
import type { Clock } from './engine/clock.js';
import { Journal, type JournalEntry } from './engine/journal.js';
import type { Logger } from './engine/log.js';
import type { PlannedWrite, StepContext } from './engine/plan.js';
import { runPlan } from './engine/run-plan.js';
import { planBlueGreen } from './strategies/blue-green.js';
import { type BlueGreenState, observeBlueGreen, PreflightError } from './strategies/blue-green-preflight.js';
import { describeFleet, readFleet } from './strategies/fleet.js';
import { readRoute } from './strategies/traffic.js';

export type Result = 'deployed' | 'rolled-back' | 'failed' | 'planned' | 'unchanged';

/** One row of the before/after table. */
export interface FleetRow {
  color: Color;
  group: string;
  targetGroupArn: string;
  launchTemplateVersion: string;
  /** min/desired/max */
  capacity: string;
  health: string;
  /** Share of traffic, in percent (lowest over all routes when they differ). */
  traffic: number;
  live: boolean;
}

export interface DeploymentReport {
  result: Result;
  strategy: Config['strategy'];
  startedAt: number;
  endedAt: number;
  /** Why it failed or rolled back; pre-flight problems are listed in `problems`. */
  reason?: string;
  problems: string[];
  rollbackIncomplete: boolean;
  warnings: string[];
  before: FleetRow[];
  after: FleetRow[];
  steps: JournalEntry[];
  plannedWrites: PlannedWrite[];
  outputs: Record<string, string>;
}

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

/** A blue/green deployment from pre-flight to report. Talks to AWS only through `deps.aws`. */
export async function runDeployment(config: Config, deps: DeploymentDeps): Promise<DeploymentReport> {
  const startedAt = deps.clock.now();
  const report = (
    fields: Partial<DeploymentReport> & Pick<DeploymentReport, 'result'>,
  ): DeploymentReport => ({
    strategy: config.strategy,
    startedAt,
    endedAt: deps.clock.now(),
    problems: [],
    rollbackIncomplete: false,
    warnings: [],
    before: [],
    after: [],
    steps: [],
    plannedWrites: [],
    outputs: {},
    ...fields,
  });

  let state: BlueGreenState;
  try {
    state = await deps.log.group('Pre-flight checks', () => observeBlueGreen(config, deps.aws));
  } catch (error) {
    const problems = error instanceof PreflightError ? error.problems : [(error as Error).message];
    return report({
      result: 'failed',
      reason: `pre-flight: ${problems[0] ?? 'failed'}`,
      problems,
      outputs: { result: 'failed', 'duration-seconds': seconds(deps.clock.now() - startedAt) },
    });
  }
  const before = rowsFrom(state);
  deps.log.info(
    `live: ${state.live} (${state.fleets[state.live].group.name}); deploying to ${state.idle} (${state.fleets[state.idle].group.name})`,
  );

  if (state.unchanged) {
    deps.log.info(
      `${state.fleets[state.live].group.name} already runs what was asked for: nothing to deploy`,
    );
    return report({
      result: 'unchanged',
      before,
      after: before,
      outputs: outputsFor(config, state, 'unchanged', state.live, startedAt, deps.clock.now()),
    });
  }

  const runToken = randomUUID();
  const plan = planBlueGreen(config, state, { runToken, runLabel: deps.runLabel ?? 'asg-deploy' });
  const plannedWrites = plan.steps.flatMap((s) => s.writes);
  const ctx: StepContext = {
    aws: deps.aws,
    clock: deps.clock,
    signal: deps.signal,
    log: deps.log,
    pollIntervalMs: config.pollIntervalMs,
    deadline: startedAt + config.timeoutMs,
  };
  const outcome = await runPlan(plan, ctx, {
    autoRollback: config.autoRollback,
    journal: new Journal(deps.persistJournal),
  });

  const result: Result =
    outcome.status === 'succeeded' ? 'deployed' : outcome.status === 'rolled-back' ? 'rolled-back' : 'failed';
  const active = result === 'deployed' ? state.idle : state.live;
  const after = await deps.log
    .group('Final state', () => readAfter(deps.aws, state))
    .catch((error: Error) => {
      deps.log.warning(`could not read the final state: ${error.message}`);
      return [] as FleetRow[];
    });
  const outputs = outputsFor(config, state, result, active, startedAt, deps.clock.now());
  // What serves now, as read back (a deploy of an image created its version during the run).
  const serving = after.find((row) => row.color === active)?.launchTemplateVersion;
  if (serving && serving !== '-') outputs['launch-template-version'] = serving;
  if (outcome.reason && result !== 'deployed') outputs['rollback-reason'] = outcome.reason;
  return report({
    result,
    reason: outcome.reason,
    rollbackIncomplete: outcome.rollbackIncomplete,
    warnings: outcome.warnings,
    before,
    after,
    steps: outcome.journal,
    plannedWrites,
    outputs,
  });
}

function outputsFor(
  config: Config,
  state: BlueGreenState,
  result: Result,
  active: Color,
  startedAt: number,
  now: number,
): Record<string, string> {
  const activeFleet = state.fleets[active];
  return {
    result,
    'active-color': active,
    'active-auto-scaling-group': activeFleet.group.name,
    'active-target-group-arn': activeFleet.targetGroupArn,
    'previous-color': state.live,
    'previous-auto-scaling-group': state.fleets[state.live].group.name,
    'version-label': result === 'deployed' ? (config.versionLabel ?? '') : '',
    'previous-version-label': '',
    'launch-template-version': activeFleet.group.launchTemplate?.version ?? '',
    'rollback-reason': '',
    'duration-seconds': seconds(now - startedAt),
  };
}

function rowsFrom(state: BlueGreenState): FleetRow[] {
  return (['blue', 'green'] as const).map((color) => {
    const fleet = state.fleets[color];
    const traffic = Math.min(...state.splits.map((s) => s[color]));
    return fleetRow(
      color,
      fleet.group,
      fleet.targetGroupArn,
      describeFleet({ group: fleet.group, health: fleet.health }),
      traffic,
    );
  });
}

async function readAfter(aws: Aws, state: BlueGreenState): Promise<FleetRow[]> {
  const listeners = state.routes.filter((r) => r.kind === 'listener').map((r) => r.arn);
  const rules = state.routes.filter((r) => r.kind === 'rule').map((r) => r.arn);
  const [routes, ...fleets] = await Promise.all([
    aws.elbv2.describeRoutes(listeners, rules),
    readFleet(aws, state.fleets.blue.group.name, state.colors.blue),
    readFleet(aws, state.fleets.green.group.name, state.colors.green),
  ]);
  const splits = routes.map((r) => readRoute(r.actions, state.colors).split);
  return (['blue', 'green'] as const).map((color, i) => {
    const reading = fleets[i];
    if (!reading) throw new Error('fleet reading missing');
    const traffic = Math.min(...splits.map((s) => s[color]));
    return fleetRow(color, reading.group, state.colors[color], describeFleet(reading), traffic);
  });
}

function fleetRow(
  color: Color,
  group: BlueGreenState['fleets']['blue']['group'],
  targetGroupArn: string,
  health: string,
  traffic: number,
): FleetRow {
  return {
    color,
    group: group.name,
    targetGroupArn,
    launchTemplateVersion: group.launchTemplate?.version ?? '-',
    capacity: `${group.min}/${group.desired}/${group.max}`,
    health,
    traffic,
    live: traffic > 0,
  };
}

function seconds(ms: number): string {
  return String(Math.round(ms / 1000));
}
