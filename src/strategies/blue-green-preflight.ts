import type { StagedReading } from '../state/staged.js';
import type { AlarmReading, Aws, GroupSnapshot, Route, TargetHealth } from '../aws/index.js';
import type { BlueGreenConfig, Color } from '../inputs/config.js';
import { shortArn } from '../aws/arn.js';
import { policyProblem } from '../aws/mixed-instances.js';
import { type DeployTarget, resolveDeployTarget } from './deploy-target.js';
import { checkAlarms } from './gates.js';
import { checkIdleGroup } from './blue-green-idle.js';
import { PreflightError } from './prepared.js';
import { type ColorTargetGroups, readRoute, type TrafficSplit } from './traffic.js';
import { readRoutesReaching, unnamedRoutes } from './route-check.js';
import { errorMessage } from '../util/errors.js';

/** A color as found before the deploy. */
export interface ObservedFleet {
  color: Color;
  group: GroupSnapshot;
  targetGroupArn: string;
  health: Map<string, TargetHealth>;
}

export type { DeployTarget } from './deploy-target.js';

export interface BlueGreenState {
  live: Color;
  idle: Color;
  fleets: Record<Color, ObservedFleet>;
  colors: ColorTargetGroups;
  routes: Route[];
  splits: TrafficSplit[];
  target: DeployTarget;
  /** The live fleet already runs what was asked for. */
  unchanged: boolean;
  /** alarm-names as read in pre-flight (each exists, none in ALARM). */
  alarms: Map<string, AlarmReading>;
}

export const other = (color: Color): Color => (color === 'blue' ? 'green' : 'blue');

/** Both colors and their routes, as read before any change (deploy and rollback alike). */
export interface BlueGreenReading {
  groups: Record<Color, GroupSnapshot>;
  colors: ColorTargetGroups;
  routes: Route[];
  splits: TrafficSplit[];
  health: Record<Color, Map<string, TargetHealth>>;
  /** Every alarm of alarm-names as pre-flight found it. */
  alarms: Map<string, AlarmReading>;
}

/**
 * Reads everything a blue/green deploy depends on and refuses unsafe states,
 * collecting every problem. Read-only: no write is sent from here.
 */
export async function observeBlueGreen(
  config: BlueGreenConfig,
  aws: Aws,
  staged?: StagedReading,
): Promise<BlueGreenState> {
  const problems: string[] = [];
  const { groups, colors, routes, splits, health, alarms } = await readBlueGreen(
    config,
    aws,
    problems,
    previewListenersOf(config, staged),
  );
  const live = liveColor(routes, splits, problems);
  if (problems.length > 0 || !live) throw new PreflightError(problems);

  const idle = other(live);
  const liveGroup = groups[live];
  const idleGroup = groups[idle];
  if (liveGroup.desired === 0) {
    problems.push(
      `${liveGroup.name} (${live}, live) has no capacity (desired 0): there is nothing to size ${idle} after`,
    );
  }
  const target = await resolveTarget(config, aws, liveGroup, idleGroup, problems);
  if (problems.length > 0 || !target) throw new PreflightError(problems);
  await checkIdleGroup(aws, { input: `${idle}-auto-scaling-group`, idle: idleGroup, target }, problems);
  if (problems.length > 0) throw new PreflightError(problems);

  const fleets = fleetsOf({ groups, colors, health });
  const liveLt = liveGroup.launchTemplate;
  const unchanged =
    target.kind === 'version'
      ? liveLt?.id === target.launchTemplateId && liveLt.version === target.version
      : liveLt?.id === target.launchTemplateId && target.sourceImageId === target.imageId;
  return { live, idle, fleets, colors, routes, splits, target, unchanged, alarms };
}

/**
 * Reads both groups, their target groups, the routes and target health;
 * pushes every problem found (routes that cannot be switched, running instance
 * refreshes) and throws PreflightError when the colors cannot be resolved.
 */
export async function readBlueGreen(
  config: BlueGreenConfig,
  aws: Aws,
  problems: string[],
  previewListeners: string[] = config.previewListenerArns,
): Promise<BlueGreenReading> {
  const names = { blue: config.blue.autoScalingGroup, green: config.green.autoScalingGroup };

  const [groups, routes, alarms] = await Promise.all([
    aws.autoScaling.describeGroups([names.blue, names.green]),
    aws.elbv2.describeRoutes(config.listenerArns, config.listenerRuleArns).catch((error: unknown) => {
      problems.push(`listener-arns / listener-rule-arns: ${errorMessage(error)}`);
      return [] as Route[];
    }),
    checkAlarms(aws, config.alarmNames, problems),
  ]);

  const resolved: Partial<Record<Color, { group: GroupSnapshot; targetGroupArn: string }>> = {};
  for (const color of ['blue', 'green'] as const) {
    const input = `${color}-auto-scaling-group`;
    const group = groups.get(names[color]);
    if (!group) {
      problems.push(`${input}: no Auto Scaling group named "${names[color]}" in ${config.region}`);
      continue;
    }
    if (!group.launchTemplate) {
      problems.push(
        `${input}: ${group.name} uses a ${group.launchSource.replace(/-/g, ' ')}; blue/green needs a group with a launch template`,
      );
    }
    const policyIssue = group.mixedInstancesPolicy && policyProblem(group.name, group.mixedInstancesPolicy);
    if (policyIssue) problems.push(`${input}: ${policyIssue}`);
    const tg = resolveTargetGroup(group, config[color].targetGroupArn, color, problems);
    if (tg) resolved[color] = { group, targetGroupArn: tg };
  }
  const blue = resolved.blue;
  const green = resolved.green;
  if (!blue || !green) throw new PreflightError(problems);
  if (blue.targetGroupArn === green.targetGroupArn) {
    problems.push(
      `blue and green use the same target group ${blue.targetGroupArn}: each color needs its own`,
    );
    throw new PreflightError(problems);
  }
  const colors = { blue: blue.targetGroupArn, green: green.targetGroupArn };
  const splits = routes.map((route) => checkRoute(route, colors, problems));
  // A stage's preview listeners send the staged color test traffic by design: stage, promote and abort manage them.
  const previews = new Set(previewListeners);
  await checkEveryRoute(
    aws,
    routes,
    problems,
    [
      { targetGroupArn: colors.blue, label: `blue (${blue.group.name})` },
      { targetGroupArn: colors.green, label: `green (${green.group.name})` },
    ],
    undefined,
    previews,
  );

  const refreshes = await Promise.all(
    [blue.group, green.group].map(async (g) => ({
      g,
      refresh: await aws.autoScaling.activeInstanceRefresh(g.name),
    })),
  );
  for (const { g, refresh } of refreshes) {
    if (refresh) {
      problems.push(
        `${g.name}: instance refresh ${refresh.id} is ${refresh.status}; wait for it to end (or cancel it) before deploying`,
      );
    }
  }
  const [blueHealth, greenHealth] = await Promise.all([
    aws.elbv2.targetHealth(colors.blue),
    aws.elbv2.targetHealth(colors.green),
  ]);
  return {
    groups: { blue: blue.group, green: green.group },
    colors,
    routes,
    splits,
    health: { blue: blueHealth, green: greenHealth },
    alarms,
  };
}

export function fleetsOf(
  reading: Pick<BlueGreenReading, 'groups' | 'colors' | 'health'>,
): Record<Color, ObservedFleet> {
  const fleet = (color: Color): ObservedFleet => ({
    color,
    group: reading.groups[color],
    targetGroupArn: reading.colors[color],
    health: reading.health[color],
  });
  return { blue: fleet('blue'), green: fleet('green') };
}

export function resolveTargetGroup(
  group: GroupSnapshot,
  given: string | undefined,
  color: Color,
  problems: string[],
): string | undefined {
  if (given) {
    if (!group.targetGroupArns.includes(given)) {
      problems.push(
        `${color}-target-group-arn: ${group.name} is not attached to ${shortArn(given)} (attached: ${listOrNone(group.targetGroupArns)})`,
      );
      return undefined;
    }
    return given;
  }
  if (group.targetGroupArns.length === 1) return group.targetGroupArns[0];
  problems.push(
    group.targetGroupArns.length === 0
      ? `${color}-auto-scaling-group: ${group.name} is attached to no target group; attach its target group or set ${color}-target-group-arn`
      : `${color}-target-group-arn: ${group.name} is attached to ${group.targetGroupArns.length} target groups (${listOrNone(group.targetGroupArns)}); say which one is the ${color} color's`,
  );
  return undefined;
}

/**
 * Refuses every route that sends traffic to blue or green but is not named in
 * listener-arns / listener-rule-arns: it would not move with the others, and
 * the old color would be scaled down under it. Looks at every listener and
 * rule of the load balancers that use the target groups or own the listeners.
 */
export async function checkEveryRoute(
  aws: Aws,
  named: Route[],
  problems: string[],
  fleets: { targetGroupArn: string; label: string }[],
  consequence = 'it would keep sending traffic to the old color after the switch, and the old color would be scaled down under it',
  previews: ReadonlySet<string> = new Set(),
): Promise<void> {
  const balancers = named.map((r) => r.loadBalancerArn).filter((arn) => arn !== undefined);
  try {
    const all = await readRoutesReaching(
      aws,
      fleets.map((f) => f.targetGroupArn),
      balancers,
    );
    const known = new Set([...named.map((r) => r.arn), ...previews]);
    problems.push(
      ...unnamedRoutes(
        all.filter((r) => !(r.kind === 'rule' && r.listenerArn !== undefined && previews.has(r.listenerArn))),
        known,
        fleets,
        consequence,
      ),
    );
  } catch (error) {
    problems.push(
      `listener-arns / listener-rule-arns: the load balancers' other routes could not be read to check that none reaches blue or green: ${errorMessage(error)}`,
    );
  }
}

/** A route must forward, once, to blue and/or green only. */
export function checkRoute(route: Route, colors: ColorTargetGroups, problems: string[]): TrafficSplit {
  const reading = readRoute(route.actions, colors);
  const name = `${route.kind} ${shortArn(route.arn)}`;
  const input = route.kind === 'listener' ? 'listener-arns' : 'listener-rule-arns';
  if (route.kind === 'listener' && route.protocol && !['HTTP', 'HTTPS'].includes(route.protocol)) {
    problems.push(
      `${input}: ${name} is a ${route.protocol} listener; only Application Load Balancer listeners are supported`,
    );
  }
  if (reading.forwardActions !== 1) {
    problems.push(
      `${input}: ${name} has ${reading.forwardActions} forward actions; exactly one is needed to move traffic`,
    );
  } else if (reading.foreign.length > 0) {
    problems.push(
      `${input}: ${name} forwards to target groups other than blue and green (${reading.foreign.map(shortArn).join(', ')})`,
    );
  } else if (reading.split.blue + reading.split.green === 0) {
    problems.push(`${input}: ${name} forwards no traffic to blue or green (all weights are 0)`);
  }
  return reading.split;
}

/** Exactly one color must carry all traffic on every route. */
export function liveColor(routes: Route[], splits: TrafficSplit[], problems: string[]): Color | undefined {
  const seen = new Set<Color>();
  splits.forEach((split, i) => {
    if (split.blue > 0 && split.green > 0) {
      const route = routes[i];
      problems.push(
        `${route?.kind ?? 'route'} ${shortArn(route?.arn ?? '')} sends traffic to both colors (blue ${split.blue} %, green ${split.green} %): an earlier deploy was interrupted. Run with mode: rollback to return to the last good color (a first deploy records it with its lock); if the groups carry no deployment record (a first deploy by an earlier version of this action), mode: rollback cannot know it: put this route back on the color that served before by hand (forward to its target group alone, weight 100), then deploy again.`,
      );
    } else if (split.blue > 0) seen.add('blue');
    else if (split.green > 0) seen.add('green');
  });
  if (seen.size > 1) {
    problems.push(
      'the listeners disagree on the live color (some forward to blue, some to green): make them agree first',
    );
  }
  return seen.size === 1 ? [...seen][0] : undefined;
}

async function resolveTarget(
  config: BlueGreenConfig,
  aws: Aws,
  live: GroupSnapshot,
  idle: GroupSnapshot,
  problems: string[],
): Promise<DeployTarget | undefined> {
  const idleLt = idle.launchTemplate;
  if (!idleLt) return undefined;
  // Start from what serves now: the live group's version when both share the template.
  const source = live.launchTemplate?.id === idleLt.id ? live.launchTemplate : idleLt;
  const sourceGroup = source === idleLt ? idle.name : live.name;
  return resolveDeployTarget(
    config,
    aws,
    { template: idleLt, source, groupName: idle.name, sourceGroup },
    problems,
  );
}

function listOrNone(arns: string[]): string {
  return arns.length === 0 ? 'none' : arns.map(shortArn).join(', ');
}

/**
 * The preview routes of a stage: its listeners (given as input, or recorded)
 * and the preview-header rules it recorded on the production listeners. They
 * send the staged color test traffic by design: not a route left behind.
 */
export function previewListenersOf(config: BlueGreenConfig, staged?: StagedReading): string[] {
  const recorded =
    staged?.kind === 'staged'
      ? [...staged.staged.previewListeners.map((l) => l.arn), ...staged.staged.previewRules]
      : [];
  return [...new Set([...config.previewListenerArns, ...recorded])];
}
