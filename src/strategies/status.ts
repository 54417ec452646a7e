/**
 * `mode: status`: reads what serves now and reports it, writing nothing and
 * taking no lock. Reads the groups, their target health and Instance Refreshes,
 * the listeners and rules, and the `asg-deploy:` tags (record, lock, staged
 * release). Every call is a Describe*: the same IAM actions a deploy's
 * pre-flight needs.
 */
import type { Aws, GroupSnapshot, Route, TargetHealth } from '../aws/index.js';
import type {
  BlueGreenConfig,
  Color,
  Config,
  SingleGroupConfig,
  TargetGroupsConfig,
} from '../inputs/config.js';
import { readGroupHealth } from '../aws/waits/group-health.js';
import { shortArn } from '../aws/arn.js';
import type { FleetRow, StatusReport, StatusRoute } from '../report/model.js';
import { describeHolder, parseLock } from '../state/lock.js';
import { leftSuspendedNotes } from '../state/lock-suspends.js';
import { findStaged } from './status-staged.js';
import { type DeploymentRecord, describeEntry, newestRecord, TAG_PREFIX } from '../state/record.js';
import { assertNever } from '../util/errors.js';
import { colorFleetRow } from './blue-green-report.js';
import { describeFleet } from './fleet.js';
import { PreflightError } from './prepared.js';
import { describeSplit, readRoute, type TrafficSplit } from './traffic.js';

export interface StatusReading {
  status: StatusReport;
  /** The action's outputs, as a deploy names them, plus `locked` and `staged`. */
  outputs: Record<string, string>;
}

/** What one strategy's reads found: the fleets, the routes, and the live fleet. */
interface Serving {
  fleets: FleetRow[];
  routes: StatusRoute[];
  refreshes: StatusReport['refreshes'];
  notes: string[];
  /** The groups read (their suspended processes). */
  groups: GroupSnapshot[];
  active: { color?: Color; group: string; targetGroupArn: string; launchTemplateVersion: string };
}

/** Reads what serves now, in the groups' region. Throws PreflightError when a named resource does not exist. */
export async function readStatus(
  config: Config,
  p: { aws: Aws; now: number; groups: string[] },
): Promise<StatusReading> {
  const { aws, now, groups } = p;
  const [tags, serving] = await Promise.all([
    aws.autoScaling.readTags(groups, TAG_PREFIX),
    readServing(config, aws),
  ]);
  const record = newestRecord(tags);
  const lock = findLock(groups, tags, now);
  const staged = findStaged(groups, tags, now);
  const notes = [
    ...serving.notes,
    ...recordNotes(record, serving),
    ...leftSuspendedNotes(tags, serving.groups, now),
  ];
  const status: StatusReport = {
    region: config.region,
    serving: describeServing(record, serving),
    fleets: serving.fleets,
    routes: serving.routes,
    ...(record && {
      record: {
        current: describeEntry(record.current),
        ...(record.previous && { previous: describeEntry(record.previous) }),
        time: record.current.time,
        runUrl: record.current.runUrl,
      },
    }),
    ...(lock && { lock }),
    ...(staged && { staged }),
    refreshes: serving.refreshes,
    notes,
  };
  const { active } = serving;
  const outputs: Record<string, string> = {
    result: 'unchanged',
    ...(active.color && { 'active-color': active.color }),
    'active-auto-scaling-group': active.group,
    'active-target-group-arn': active.targetGroupArn,
    'previous-color': record?.previous?.color ?? '',
    'previous-auto-scaling-group': record?.previous?.group ?? '',
    'version-label': record?.current.versionLabel ?? '',
    'previous-version-label': record?.previous?.versionLabel ?? '',
    'launch-template-version': active.launchTemplateVersion,
    'instance-refresh-id': serving.refreshes[0]?.id ?? '',
    'rollback-reason': '',
    locked: String(lock !== undefined && !lock.expired),
    staged: String(staged !== undefined && !staged.expired),
  };
  return { status, outputs };
}

function readServing(config: Config, aws: Aws): Promise<Serving> {
  switch (config.strategy) {
    case 'blue-green':
      return config.targetGroupsOnly ? targetGroupsServing(config, aws) : blueGreenServing(config, aws);
    case 'rolling':
    case 'recreate':
      return singleGroupServing(config, aws);
    default:
      return assertNever(config, 'strategy');
  }
}

async function blueGreenServing(config: BlueGreenConfig, aws: Aws): Promise<Serving> {
  const names = { blue: config.blue.autoScalingGroup, green: config.green.autoScalingGroup };
  const [groups, routes] = await Promise.all([
    aws.autoScaling.describeGroups([names.blue, names.green]),
    aws.elbv2.describeRoutes(config.listenerArns, config.listenerRuleArns),
  ]);
  const problems: string[] = [];
  const found = (color: Color): { group: GroupSnapshot; targetGroupArn: string } | undefined => {
    const group = groups.get(names[color]);
    if (!group) {
      problems.push(
        `${color}-auto-scaling-group: no Auto Scaling group named "${names[color]}" in ${config.region}`,
      );
      return undefined;
    }
    const targetGroupArn = config[color].targetGroupArn ?? onlyTargetGroup(group, color, problems);
    return targetGroupArn === undefined ? undefined : { group, targetGroupArn };
  };
  const blue = found('blue');
  const green = found('green');
  if (!blue || !green) throw new PreflightError(problems);
  const colors = { blue: blue.targetGroupArn, green: green.targetGroupArn };
  const [blueHealth, greenHealth, blueRefresh, greenRefresh] = await Promise.all([
    aws.elbv2.targetHealth(colors.blue),
    aws.elbv2.targetHealth(colors.green),
    aws.autoScaling.activeInstanceRefresh(blue.group.name),
    aws.autoScaling.activeInstanceRefresh(green.group.name),
  ]);
  const { splits, routeRows, notes } = readSplits(routes, colors);
  const color = activeColor(splits);
  const fleet = (
    c: Color,
    f: { group: GroupSnapshot; targetGroupArn: string },
    health: Map<string, TargetHealth>,
  ) => colorRow(c, f.group, f.targetGroupArn, describeFleet({ group: f.group, health }), splits);
  const activeFleet = color === 'blue' ? blue : green;
  return {
    fleets: [fleet('blue', blue, blueHealth), fleet('green', green, greenHealth)],
    routes: routeRows,
    refreshes: [
      ...(blueRefresh ? [refreshRow(blue.group.name, blueRefresh)] : []),
      ...(greenRefresh ? [refreshRow(green.group.name, greenRefresh)] : []),
    ],
    notes,
    groups: [blue.group, green.group],
    active: {
      color,
      group: activeFleet.group.name,
      targetGroupArn: activeFleet.targetGroupArn,
      launchTemplateVersion: activeFleet.group.launchTemplate?.version ?? '',
    },
  };
}

async function targetGroupsServing(config: TargetGroupsConfig, aws: Aws): Promise<Serving> {
  const colors = { blue: config.blue.targetGroupArn, green: config.green.targetGroupArn };
  const [routes, blueHealth, greenHealth] = await Promise.all([
    aws.elbv2.describeRoutes(config.listenerArns, config.listenerRuleArns),
    aws.elbv2.targetHealth(colors.blue),
    aws.elbv2.targetHealth(colors.green),
  ]);
  const { splits, routeRows, notes } = readSplits(routes, colors);
  const color = activeColor(splits);
  const row = (c: Color, health: Map<string, TargetHealth>): FleetRow => {
    const healthy = [...health.values()].filter((h) => h.state === 'healthy').length;
    return {
      name: c,
      group: '-',
      targetGroupArn: colors[c],
      launchTemplateVersion: '-',
      capacity: '-',
      health: `${healthy}/${health.size} healthy`,
      traffic: Math.min(...splits.map((s) => s[c])),
      live: splits.some((s) => s[c] > 0),
    };
  };
  return {
    fleets: [row('blue', blueHealth), row('green', greenHealth)],
    routes: routeRows,
    refreshes: [],
    notes,
    groups: [],
    active: { color, group: '', targetGroupArn: colors[color], launchTemplateVersion: '' },
  };
}

async function singleGroupServing(config: SingleGroupConfig, aws: Aws): Promise<Serving> {
  const name = config.autoScalingGroup;
  const group = await aws.autoScaling.describeGroup(name);
  if (!group) {
    throw new PreflightError([
      `auto-scaling-group: no Auto Scaling group named "${name}" in ${config.region}`,
    ]);
  }
  const listenerArns = config.strategy === 'recreate' ? config.listenerArns : [];
  const [health, refresh, routes] = await Promise.all([
    readGroupHealth(aws, name, group.targetGroupArns),
    aws.autoScaling.activeInstanceRefresh(name),
    aws.elbv2.describeRoutes(listenerArns, []),
  ]);
  const g = health.group;
  const routeRows = routes.map((r) => ({ kind: r.kind, arn: r.arn, traffic: describeActions(r) }));
  const notes = routeRows
    .filter((r) => r.traffic.startsWith('fixed-response'))
    .map(
      (r) =>
        `listener ${shortArn(r.arn)} serves a ${r.traffic}: a recreate is running, or one was interrupted`,
    );
  if (g.desired === 0) notes.push(`${name} has no capacity (desired 0)`);
  return {
    fleets: [
      {
        name: 'fleet',
        group: g.name,
        targetGroupArn: g.targetGroupArns[0] ?? '',
        launchTemplateVersion: g.launchTemplate?.version ?? '-',
        capacity: `${g.min}/${g.desired}/${g.max}`,
        health: health.summary,
        live: g.desired > 0,
      },
    ],
    routes: routeRows,
    refreshes: refresh ? [refreshRow(name, refresh)] : [],
    notes,
    groups: [group],
    active: {
      group: g.name,
      targetGroupArn: g.targetGroupArns[0] ?? '',
      launchTemplateVersion: g.launchTemplate?.version ?? '',
    },
  };
}

function onlyTargetGroup(group: GroupSnapshot, color: Color, problems: string[]): string | undefined {
  if (group.targetGroupArns.length === 1) return group.targetGroupArns[0];
  problems.push(
    `${color}-target-group-arn: ${group.name} is attached to ${group.targetGroupArns.length} target groups; say which one is the ${color} color's`,
  );
  return undefined;
}

/** Each route's split between the colors, as rows, with a note for what a deploy would refuse. */
function readSplits(routes: Route[], colors: { blue: string; green: string }) {
  const notes: string[] = [];
  const splits: TrafficSplit[] = [];
  const routeRows: StatusRoute[] = routes.map((route) => {
    const reading = readRoute(route.actions, colors);
    splits.push(reading.split);
    const name = `${route.kind} ${shortArn(route.arn)}`;
    if (reading.forwardActions !== 1) {
      notes.push(`${name} has ${reading.forwardActions} forward actions (${describeActions(route)})`);
    } else if (reading.split.blue > 0 && reading.split.green > 0) {
      notes.push(
        `${name} sends traffic to both colors (${describeSplit(reading.split)}): a deploy is shifting traffic, or one was interrupted`,
      );
    }
    if (reading.foreign.length > 0) {
      notes.push(`${name} also forwards to ${reading.foreign.map(shortArn).join(', ')}`);
    }
    return { kind: route.kind, arn: route.arn, traffic: describeSplit(reading.split) };
  });
  const live = new Set(splits.map((s) => (s.blue > s.green ? 'blue' : s.green > s.blue ? 'green' : '')));
  if (live.has('blue') && live.has('green')) {
    notes.push('the routes disagree on the live color (some send most traffic to blue, some to green)');
  }
  return { splits, routeRows, notes };
}

/** The color that carries the most traffic over all routes (blue on a tie). */
function activeColor(splits: TrafficSplit[]): Color {
  const total = (c: Color) => splits.reduce((sum, s) => sum + s[c], 0);
  return total('green') > total('blue') ? 'green' : 'blue';
}

function colorRow(
  color: Color,
  group: GroupSnapshot,
  targetGroupArn: string,
  health: string,
  splits: TrafficSplit[],
): FleetRow {
  const traffic = splits.length === 0 ? 0 : Math.min(...splits.map((s) => s[color]));
  // live when any route sends it traffic, though the least of them be 0
  return {
    ...colorFleetRow(color, group, targetGroupArn, health, traffic),
    live: splits.some((s) => s[color] > 0),
  };
}

function refreshRow(group: string, r: { id: string; status: string; percentageComplete?: number }) {
  return {
    group,
    id: r.id,
    status: r.status,
    ...(r.percentageComplete !== undefined && { percentComplete: r.percentageComplete }),
  };
}

/** `forward to app-tg`, `fixed-response 503`, `redirect`. */
function describeActions(route: Route): string {
  return (
    route.actions
      .map((a) => {
        if (a.Type === 'fixed-response')
          return `fixed-response ${a.FixedResponseConfig?.StatusCode ?? ''}`.trim();
        if (a.Type !== 'forward') return a.Type ?? '?';
        const arns = a.ForwardConfig?.TargetGroups?.filter((t) => (t.Weight ?? 1) > 0).map(
          (t) => t.TargetGroupArn,
        );
        const targets = arns && arns.length > 0 ? arns : [a.TargetGroupArn];
        return `forward to ${targets.map((t) => shortArn(t ?? '')).join(', ')}`;
      })
      .join(', ') || 'no action'
  );
}

function findLock(groups: string[], tags: Map<string, Record<string, string>>, now: number) {
  for (const group of groups) {
    const held = parseLock(tags.get(group));
    if (held) return { holder: describeHolder(held), expired: held.expiresAt <= now, group };
  }
  return undefined;
}

function describeServing(record: DeploymentRecord | undefined, serving: Serving): string {
  const { active } = serving;
  const where = [
    active.group,
    active.launchTemplateVersion && `launch template version ${active.launchTemplateVersion}`,
  ]
    .filter(Boolean)
    .join(', ');
  const on = active.color ? ` on ${active.color}` : '';
  const label = record ? record.current.versionLabel || 'unlabelled version' : 'no recorded release';
  return `${label}${on}${where ? ` (${where})` : ''}`;
}

/** Where the record and what was read disagree. */
function recordNotes(record: DeploymentRecord | undefined, serving: Serving): string[] {
  if (!record) return [];
  const { active } = serving;
  const notes: string[] = [];
  if (record.current.color && active.color && record.current.color !== active.color) {
    notes.push(
      `the deployment record says ${describeEntry(record.current)} serves, but most traffic goes to ${active.color}`,
    );
  }
  if (
    active.launchTemplateVersion &&
    record.current.group === active.group &&
    record.current.launchTemplateVersion !== active.launchTemplateVersion
  ) {
    notes.push(
      `${active.group} now uses launch template version ${active.launchTemplateVersion}, but the record names ${record.current.launchTemplateVersion}`,
    );
  }
  return notes;
}
