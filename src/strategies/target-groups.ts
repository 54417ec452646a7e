/**
 * Blue/green between two target groups (no Auto Scaling group inputs): the
 * fleets are deployed by other means, and the action only moves traffic, with
 * the same health and alarm gates. No capacity is touched; rollback moves
 * traffic only.
 */
import type { Aws, TargetHealth } from '../aws/index.js';
import type { Color, TargetGroupsConfig } from '../inputs/config.js';
import { formatDuration } from '../util/time.js';
import type { Plan, Step } from '../engine/plan.js';
import { shortArn } from '../aws/arn.js';
import { waitFor } from '../engine/wait.js';
import type { FleetRow, Result, TrafficStepRecord } from '../report/model.js';
import { summarizeAlarms } from './gates.js';
import type { Prepare } from './prepared.js';
import { observeTargetGroups, type TargetGroupsState } from './target-groups-preflight.js';
import { readRoute } from './traffic.js';
import { referenceIdleStep, trafficSteps, withRollback } from './traffic-steps.js';

export const prepareTargetGroups: Prepare<TargetGroupsConfig> = async (config, options) => {
  const state = await observeTargetGroups(config, options.aws);
  const name = (color: Color) => `${color} (${shortArn(state.colors[color])})`;
  options.log.info(
    `live: ${name(state.live)}; moving traffic to ${name(state.idle)}; no capacity is changed`,
  );
  if (config.alarmNames.length > 0) options.log.info(`alarms: ${summarizeAlarms(state.alarms.values())}`);
  const records: TrafficStepRecord[] = [];
  return {
    headline: `${config.versionLabel ? `${config.versionLabel}, ` : ''}traffic from ${name(state.live)} to ${name(state.idle)}`,
    plan: planTargetGroups(config, state, records),
    before: (['blue', 'green'] as const).map((color) =>
      row(state, color, state.health[color], Math.min(...state.splits.map((s) => s[color]))),
    ),
    unchanged: false,
    outputs: (result) => outputs(config, state, result),
    readAfter: () => rowsAfter(options.aws, state),
    traffic: (journal) => withRollback(records, journal, state.live),
  };
};

/** Reference the idle group if needed, wait until every one of its targets is healthy, then move traffic. */
export function planTargetGroups(
  config: TargetGroupsConfig,
  state: TargetGroupsState,
  records: TrafficStepRecord[],
): Plan {
  const idleArn = state.colors[state.idle];
  const steps: Step[] = [];
  const reference = referenceIdleStep(state);
  if (reference) steps.push(reference);

  steps.push({
    id: 'wait-healthy',
    title: `Wait until every target of ${state.idle} (${shortArn(idleArn)}) is healthy`,
    phase: 'deploy',
    gate: 'health',
    writes: [],
    run: async (ctx) => {
      const started = ctx.clock.now();
      const health = await waitFor(ctx, {
        what: `${state.idle} health`,
        timeoutMs: config.healthTimeoutMs,
        read: () => ctx.aws.elbv2.targetHealth(idleArn),
        describe: describeTargets,
        done: (h) => h.size > 0 && [...h.values()].every((t) => t.state === 'healthy'),
      });
      const healthyInstanceIds = [...health.keys()];
      ctx.learn({ healthyInstanceIds });
      return `${healthyInstanceIds.length}/${health.size} healthy in ${formatDuration(ctx.clock.now() - started)}`;
    },
  });

  steps.push(
    ...trafficSteps({
      from: state.live,
      to: state.idle,
      colors: state.colors,
      routes: state.routes,
      shift: config.trafficShift,
      bakeTimeMs: config.bakeTimeMs,
      gates: (facts) => ({
        targetGroupArn: idleArn,
        targetIds: facts.healthyInstanceIds ?? [],
        alarmNames: config.alarmNames,
      }),
      records,
    }),
  );
  return { steps };
}

/** `3/4 healthy (1 initial)` over the registered targets. */
function describeTargets(health: Map<string, TargetHealth>): string {
  const counts = new Map<string, number>();
  for (const t of health.values()) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  const healthy = counts.get('healthy') ?? 0;
  counts.delete('healthy');
  const rest = [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
  return `${healthy}/${health.size} healthy${rest ? ` (${rest})` : ''}`;
}

function outputs(
  config: TargetGroupsConfig,
  state: TargetGroupsState,
  result: Result,
): Record<string, string> {
  const active: Color = result === 'deployed' ? state.idle : state.live;
  return {
    result,
    'active-color': active,
    'active-auto-scaling-group': '',
    'active-target-group-arn': state.colors[active],
    'previous-color': state.live,
    'previous-auto-scaling-group': '',
    'version-label': result === 'deployed' ? config.versionLabel : '',
    'previous-version-label': '',
    'launch-template-version': '',
    'rollback-reason': '',
  };
}

function row(
  state: TargetGroupsState,
  color: Color,
  health: Map<string, TargetHealth>,
  traffic: number,
): FleetRow {
  return {
    name: color,
    group: '-',
    targetGroupArn: state.colors[color],
    launchTemplateVersion: '-',
    capacity: '-',
    health: describeTargets(health),
    traffic,
    live: traffic > 0,
  };
}

async function rowsAfter(aws: Aws, state: TargetGroupsState): Promise<FleetRow[]> {
  const listeners = state.routes.filter((r) => r.kind === 'listener').map((r) => r.arn);
  const rules = state.routes.filter((r) => r.kind === 'rule').map((r) => r.arn);
  const [routes, blue, green] = await Promise.all([
    aws.elbv2.describeRoutes(listeners, rules),
    aws.elbv2.targetHealth(state.colors.blue),
    aws.elbv2.targetHealth(state.colors.green),
  ]);
  const splits = routes.map((r) => readRoute(r.actions, state.colors).split);
  return [
    row(state, 'blue', blue, Math.min(...splits.map((s) => s.blue))),
    row(state, 'green', green, Math.min(...splits.map((s) => s.green))),
  ];
}
