import type { AlarmReading, Aws, Route, TargetHealth } from '../aws/index.js';
import type { Color, TargetGroupsConfig } from '../inputs/config.js';
import { shortArn } from '../aws/arn.js';
import { errorMessage } from '../util/errors.js';
import { checkEveryRoute, checkRoute, liveColor } from './blue-green-preflight.js';
import { checkAlarms } from './gates.js';
import { PreflightError } from './prepared.js';
import type { ColorTargetGroups, TrafficSplit } from './traffic.js';

/** Blue/green between two target groups whose fleets are managed by other means. */
export interface TargetGroupsState {
  live: Color;
  idle: Color;
  colors: ColorTargetGroups;
  routes: Route[];
  splits: TrafficSplit[];
  health: Record<Color, Map<string, TargetHealth>>;
  alarms: Map<string, AlarmReading>;
}

const other = (color: Color): Color => (color === 'blue' ? 'green' : 'blue');

/**
 * Reads the routes, both target groups and the alarms, and refuses what is
 * unsafe: routes forwarding elsewhere, no single live color, an idle group with
 * no targets. Read-only.
 */
export async function observeTargetGroups(config: TargetGroupsConfig, aws: Aws): Promise<TargetGroupsState> {
  const problems: string[] = [];
  const colors = { blue: config.blue.targetGroupArn, green: config.green.targetGroupArn };
  const health = async (color: Color) =>
    aws.elbv2.targetHealth(colors[color]).catch((error: unknown) => {
      problems.push(`${color}-target-group-arn: ${shortArn(colors[color])}: ${errorMessage(error)}`);
      return undefined;
    });
  const [routes, blue, green, alarms] = await Promise.all([
    aws.elbv2.describeRoutes(config.listenerArns, config.listenerRuleArns).catch((error: unknown) => {
      problems.push(`listener-arns / listener-rule-arns: ${errorMessage(error)}`);
      return [] as Route[];
    }),
    health('blue'),
    health('green'),
    checkAlarms(aws, config.alarmNames, problems),
  ]);
  const splits = routes.map((route) => checkRoute(route, colors, problems));
  await checkEveryRoute(
    aws,
    routes,
    problems,
    [
      { targetGroupArn: colors.blue, label: 'blue' },
      { targetGroupArn: colors.green, label: 'green' },
    ],
    'it would keep sending traffic to the old color after the switch',
  );
  const live = liveColor(routes, splits, problems);
  if (problems.length > 0 || !live || !blue || !green) throw new PreflightError(problems);

  const idle = other(live);
  const idleHealth = idle === 'blue' ? blue : green;
  if (idleHealth.size === 0) {
    problems.push(
      `${idle}-target-group-arn: ${shortArn(colors[idle])} (${idle}, idle) has no registered targets: register the new fleet in it before moving traffic to it`,
    );
    throw new PreflightError(problems);
  }
  return { live, idle, colors, routes, splits, health: { blue, green }, alarms };
}
