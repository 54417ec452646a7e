import type { Aws, GroupSnapshot } from '../aws/index.js';
import type { Color, Config } from '../inputs/config.js';
import type { FleetRow, Result } from '../report/model.js';
import type { BlueGreenState } from './blue-green-preflight.js';
import { describeFleet, readFleet } from './fleet.js';
import { readRoute } from './traffic.js';
import type { Logger } from '../engine/log.js';
import { instanceVersions, warnOffVersion } from './fleet-versions.js';

/** DESIGN's outputs for a blue/green ending. The active color is the new one only once deployed. */
export function blueGreenOutputs(
  config: Config,
  state: BlueGreenState,
  result: Result,
): Record<string, string> {
  const active: Color = result === 'deployed' ? state.idle : state.live;
  const activeFleet = state.fleets[active];
  return {
    result,
    'active-color': active,
    'active-auto-scaling-group': activeFleet.group.name,
    'active-target-group-arn': activeFleet.targetGroupArn,
    'previous-color': state.live,
    'previous-auto-scaling-group': state.fleets[state.live].group.name,
    'version-label': result === 'deployed' ? config.versionLabel : '',
    'previous-version-label': '',
    'launch-template-version': activeFleet.group.launchTemplate?.version ?? '',
    'rollback-reason': '',
  };
}

export function blueGreenRowsBefore(state: BlueGreenState): FleetRow[] {
  return (['blue', 'green'] as const).map((color) => {
    const fleet = state.fleets[color];
    const traffic = Math.min(...state.splits.map((s) => s[color]));
    return colorFleetRow(
      color,
      fleet.group,
      fleet.targetGroupArn,
      describeFleet({ group: fleet.group, health: fleet.health }),
      traffic,
    );
  });
}

export async function blueGreenRowsAfter(aws: Aws, state: BlueGreenState, log?: Logger): Promise<FleetRow[]> {
  const listeners = state.routes.filter((r) => r.kind === 'listener').map((r) => r.arn);
  const rules = state.routes.filter((r) => r.kind === 'rule').map((r) => r.arn);
  const [routes, blue, green] = await Promise.all([
    aws.elbv2.describeRoutes(listeners, rules),
    readFleet(aws, state.fleets.blue.group.name, state.colors.blue),
    readFleet(aws, state.fleets.green.group.name, state.colors.green),
  ]);
  const splits = routes.map((r) => readRoute(r.actions, state.colors).split);
  if (log) for (const fleet of [blue, green]) warnOffVersion(fleet.group, log);
  return [
    colorFleetRow(
      'blue',
      blue.group,
      state.colors.blue,
      describeFleet(blue),
      Math.min(...splits.map((s) => s.blue)),
      true,
    ),
    colorFleetRow(
      'green',
      green.group,
      state.colors.green,
      describeFleet(green),
      Math.min(...splits.map((s) => s.green)),
      true,
    ),
  ];
}

/** One color's row of a fleet table (`after`: with its instances by version). */
export function colorFleetRow(
  color: Color,
  group: GroupSnapshot,
  targetGroupArn: string,
  health: string,
  traffic: number,
  after = false,
): FleetRow {
  return {
    name: color,
    group: group.name,
    targetGroupArn,
    launchTemplateVersion: group.launchTemplate?.version ?? '-',
    ...(after && instanceVersions(group) !== undefined && { instances: instanceVersions(group) }),
    capacity: `${group.min}/${group.desired}/${group.max}`,
    health,
    traffic,
    live: traffic > 0,
  };
}
