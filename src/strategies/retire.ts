/**
 * `mode: retire` (blue/green): scales the previous fleet, the color that no
 * production route uses but that still has capacity (kept by
 * `previous-fleet: keep`), down to 0. Refused before any write while any
 * listener or rule of any load balancer using its target groups sends it
 * traffic (production, preview or added by hand), while a release is staged,
 * or while the serving fleet is not at full health. Nothing to retire (its
 * desired capacity is 0 already): unchanged, zero writes. Production routes
 * are never written. The deployment record is left as it is: it names what
 * served before, not whether that fleet still runs, and a later rollback
 * scales a retired fleet back up first.
 */
import type { Aws, GroupSnapshot, Route, TargetHealth } from '../aws/index.js';
import type { BlueGreenConfig, Color } from '../inputs/config.js';
import type { Step } from '../engine/plan.js';
import type { Result } from '../report/model.js';
import { describeStaged, type StagedReading } from '../state/staged.js';
import { errorMessage } from '../util/errors.js';
import {
  type BlueGreenState,
  checkRoute,
  fleetsOf,
  liveColor,
  other,
  resolveTargetGroup,
} from './blue-green-preflight.js';
import { blueGreenRowsAfter, blueGreenRowsBefore } from './blue-green-report.js';
import { restoreIdle } from './blue-green.js';
import { heldInstance, readFleet, waitForEmpty } from './fleet.js';
import { type Prepare, PreflightError } from './prepared.js';
import { describeRoute } from './route-check.js';
import { readRoute } from './traffic.js';
import { notRetired, type RetireFleets, routesToPrevious, servingProblem } from './retire-check.js';

export const prepareRetire: Prepare<BlueGreenConfig> = async (config, options) => {
  refuseStaged(options.staged, options.now);
  const state = await readColors(config, options.aws);
  const previous = state.fleets[state.idle];
  const serving = state.fleets[state.live];
  const fleets: RetireFleets = {
    previous: { color: state.idle, group: previous.group.name, targetGroupArn: previous.targetGroupArn },
    serving: { color: state.live, group: serving.group.name, targetGroupArn: serving.targetGroupArn },
    named: state.routes,
  };
  const where = `${state.idle} (${previous.group.name})`;
  const capacity = `${previous.group.min}/${previous.group.desired}/${previous.group.max}`;
  const outputs = (result: Result) => retireOutputs(state, result);
  const before = blueGreenRowsBefore(state);
  const readAfter = () => blueGreenRowsAfter(options.aws, state);
  if (previous.group.desired === 0) {
    options.log.info(`${where}, the previous fleet, has no capacity: nothing to retire`);
    return {
      headline: `${where}, the previous fleet, already has no capacity (${capacity}): nothing to retire`,
      plan: { steps: [] },
      before,
      unchanged: true,
      outputs,
      readAfter,
    };
  }
  const problems = await retireProblems(options.aws, fleets, previous.group, {
    group: serving.group,
    health: serving.health,
  });
  if (problems.length > 0) throw new PreflightError([notRetired(fleets, problems, 'pre-flight')]);

  const version = previous.group.launchTemplate?.version;
  options.log.info(
    `serving: ${state.live} (${serving.group.name}); retiring ${where}, capacity ${capacity}${version ? `, launch template version ${version}` : ''}`,
  );
  return {
    headline: `${where}, the previous fleet${version ? ` on launch template version ${version}` : ''}: capacity ${capacity} → 0/0/${previous.group.max}`,
    plan: { steps: [verifyStep(fleets, previous.group), retireStep(config, state)] },
    before,
    unchanged: false,
    succeeded: 'retired',
    outputs,
    readAfter,
    groups: [previous.group],
  };
};

/** A staged release sits on the idle color: that is the release, not the previous fleet. */
function refuseStaged(reading: StagedReading | undefined, now: number): void {
  if (!reading || reading.kind === 'none') return;
  const what = reading.kind === 'staged' ? describeStaged(reading.staged) : describeStaged(reading);
  const expired =
    reading.kind === 'staged' && reading.staged.expiresAt <= now ? ' (expired, not yet taken over)' : '';
  throw new PreflightError([
    `a release is staged: ${what}${expired}. Nothing was changed. The idle color holds the staged release, not the previous fleet, so retire cannot run while a release is staged: run with mode: promote to send it production traffic, or mode: abort to take it down, then run retire again.`,
  ]);
}

/** Both colors, their target groups and target health, and which one the production routes use. */
async function readColors(config: BlueGreenConfig, aws: Aws): Promise<BlueGreenState> {
  const problems: string[] = [];
  const names = { blue: config.blue.autoScalingGroup, green: config.green.autoScalingGroup };
  const [groups, routes] = await Promise.all([
    aws.autoScaling.describeGroups([names.blue, names.green]),
    aws.elbv2.describeRoutes(config.listenerArns, config.listenerRuleArns).catch((error: unknown) => {
      problems.push(`listener-arns / listener-rule-arns: ${errorMessage(error)}`);
      return [] as Route[];
    }),
  ]);
  const found: Partial<Record<Color, { group: GroupSnapshot; targetGroupArn: string }>> = {};
  for (const color of ['blue', 'green'] as const) {
    const group = groups.get(names[color]);
    if (!group) {
      problems.push(
        `${color}-auto-scaling-group: no Auto Scaling group named "${names[color]}" in ${config.region}`,
      );
      continue;
    }
    const tg = resolveTargetGroup(group, config[color].targetGroupArn, color, problems);
    if (tg) found[color] = { group, targetGroupArn: tg };
  }
  const { blue, green } = found;
  if (!blue || !green) throw new PreflightError(problems);
  if (blue.targetGroupArn === green.targetGroupArn)
    problems.push(
      `blue and green use the same target group ${blue.targetGroupArn}: each color needs its own`,
    );
  const colors = { blue: blue.targetGroupArn, green: green.targetGroupArn };
  const splits = routes.map((route) => checkRoute(route, colors, problems));
  // A route on both colors: a shift in progress or interrupted; neither color is "previous".
  const both = routes.filter((_, i) => (splits[i]?.blue ?? 0) > 0 && (splits[i]?.green ?? 0) > 0);
  for (const route of both) {
    const split = readRoute(route.actions, colors).split;
    problems.push(
      `neither color is retired: production ${route.kind === 'listener' ? 'listener' : 'listener rule'} ${describeRoute(route)} ${route.arn} sends traffic to both colors (blue ${split.blue} %, green ${split.green} %): a traffic shift is in progress or was interrupted. Nothing was changed. Finish it (mode: rollback, or a deploy), then run retire again.`,
    );
  }
  const live = both.length > 0 ? undefined : liveColor(routes, splits, problems);
  if (problems.length > 0 || !live) throw new PreflightError(problems);
  const [blueHealth, greenHealth] = await Promise.all([
    aws.elbv2.targetHealth(colors.blue),
    aws.elbv2.targetHealth(colors.green),
  ]);
  const idle = other(live);
  const idleGroup = found[idle]?.group ?? blue.group;
  const lt = idleGroup.launchTemplate;
  return {
    live,
    idle,
    fleets: fleetsOf({
      groups: { blue: blue.group, green: green.group },
      colors,
      health: { blue: blueHealth, green: greenHealth },
    }),
    colors,
    routes,
    splits,
    // Retire deploys nothing: the previous fleet's own version stands in for the target.
    target: {
      kind: 'version',
      launchTemplateId: lt?.id ?? '',
      version: lt?.version ?? '',
      resolvedVersion: Number(lt?.version ?? 0),
    },
    unchanged: false,
    alarms: new Map(),
  };
}

/** Every reason not to retire now: routes that send the previous fleet traffic, an Instance Refresh, the serving fleet. */
async function retireProblems(
  aws: Aws,
  fleets: RetireFleets,
  previous: GroupSnapshot,
  serving: { group: GroupSnapshot; health: Map<string, TargetHealth> },
): Promise<string[]> {
  const problems: string[] = [];
  const targetGroups = [...new Set([fleets.previous.targetGroupArn, ...previous.targetGroupArns])];
  try {
    problems.push(...(await routesToPrevious(aws, fleets, targetGroups)));
  } catch (error) {
    problems.push(
      `the listeners and rules of the load balancers that use its target groups could not be read to check that none sends it traffic: ${errorMessage(error)}`,
    );
  }
  const refresh = await aws.autoScaling.activeInstanceRefresh(previous.name);
  if (refresh)
    problems.push(
      `instance refresh ${refresh.id} is ${refresh.status} on it; wait for it to end (or cancel it)`,
    );
  const unready = servingProblem(fleets.serving, serving);
  if (unready) problems.push(unready);
  return problems;
}

/** The gate just before the write: the same checks on a fresh reading (someone may have added a route since pre-flight). */
function verifyStep(fleets: RetireFleets, previous: GroupSnapshot): Step {
  return {
    id: 'verify-retire',
    title: `Check that no route sends traffic to ${fleets.previous.color} (${fleets.previous.group}) and that ${fleets.serving.color} (${fleets.serving.group}) is at full capacity`,
    phase: 'deploy',
    gate: 'routes + capacity',
    writes: [],
    run: async (ctx) => {
      const now = await ctx.aws.autoScaling.describeGroup(previous.name);
      if (!now) throw new Error(`Auto Scaling group ${previous.name} no longer exists`);
      const serving = await readFleet(ctx.aws, fleets.serving.group, fleets.serving.targetGroupArn);
      const problems = await retireProblems(ctx.aws, fleets, now, serving);
      if (problems.length > 0) throw new Error(notRetired(fleets, problems, 'run'));
      return `no route sends traffic to ${fleets.previous.color}; ${fleets.serving.group} at full capacity, healthy`;
    },
  };
}

/** Scales the previous group to 0 and waits until it is empty; the undo gives it back its capacity. */
function retireStep(config: BlueGreenConfig, state: BlueGreenState): Step {
  const { group, targetGroupArn } = state.fleets[state.idle];
  const undo = restoreIdle(state);
  return {
    id: 'retire-previous',
    title: `Scale ${state.idle} (${group.name}), the previous fleet, down to 0`,
    phase: 'deploy',
    writes: [
      {
        service: 'autoscaling',
        action: 'UpdateAutoScalingGroup',
        target: group.name,
        detail: `MinSize 0, DesiredCapacity 0 (was ${group.min}/${group.desired}/${group.max} min/desired/max; MaxSize kept)`,
      },
    ],
    undo: [undo],
    run: async (ctx) => {
      await ctx.aws.autoScaling.updateGroup(group.name, { min: 0, desired: 0 });
      // Protected and Standby instances do not leave on a lower desired capacity: not waited for, named.
      const end = await waitForEmpty(ctx, {
        what: `${state.idle} scale-down`,
        groupName: group.name,
        targetGroupArn,
        timeoutMs: config.healthTimeoutMs,
        exceptHeld: true,
      });
      const held = end.group.instances.filter(heldInstance);
      for (const i of held) {
        ctx.log.warning(
          `instance ${i.id} of ${group.name} (${state.idle}, previous) was not scaled down: it is ${i.lifecycle.startsWith('Standby') ? 'in Standby' : 'protected from scale in'}`,
        );
      }
      const gone = group.instances.length - held.length;
      return `${group.min}/${group.desired}/${group.max} → 0/0/${group.max}: ${gone} instance(s) drained and terminated${held.length > 0 ? `; ${held.length} protected/Standby instance(s) left: ${held.map((i) => i.id).join(', ')}` : ''}`;
    },
  };
}

/** DESIGN's outputs: the serving color is active; the previous color is the one retired. */
function retireOutputs(state: BlueGreenState, result: Result): Record<string, string> {
  const serving = state.fleets[state.live];
  return {
    result,
    'active-color': state.live,
    'active-auto-scaling-group': serving.group.name,
    'active-target-group-arn': serving.targetGroupArn,
    'previous-color': state.idle,
    'previous-auto-scaling-group': state.fleets[state.idle].group.name,
    'version-label': '',
    'previous-version-label': '',
    'launch-template-version': serving.group.launchTemplate?.version ?? '',
    'rollback-reason': '',
  };
}
