/** Pre-flight, rows and outputs shared by the strategies that deploy one group in place (rolling, recreate). */
import {
  type Aws,
  type GroupSnapshot,
  type InstanceRefreshSummary,
  isActiveRefresh,
  type LaunchTemplateRef,
  type Route,
  type WarmPoolSnapshot,
} from '../aws/index.js';
import type { HeldInstances, SingleGroupConfig } from '../inputs/config.js';
import { instanceVersions, warnOffVersion } from './fleet-versions.js';
import type { Logger } from '../engine/log.js';
import { readGroupHealth } from '../aws/waits/group-health.js';
import { shortArn } from '../aws/arn.js';
import { type LaunchSpec, policyProblem } from '../aws/mixed-instances.js';
import type { FleetRow, Result } from '../report/model.js';
import { type DeployTarget, describeWhat, resolveDeployTarget } from './deploy-target.js';
import type { DeploymentRecord } from '../state/record.js';
import type { RecordPlan } from '../state/record-step.js';
import type { Step } from '../engine/plan.js';
import { describeRefresh } from '../aws/waits/instance-refresh.js';
import { checkAlarms } from './gates.js';
import { PreflightError, type PreparedDeployment } from './prepared.js';
import { readRoutesReaching, recreateRoutes } from './route-check.js';
import { HEALTH_RULE_HEADER } from './health-check-rule.js';
import { errorMessage } from '../util/errors.js';

export interface SingleGroupState {
  group: GroupSnapshot;
  launchTemplate: LaunchTemplateRef;
  target: DeployTarget;
  /** recreate: the listeners (then their rules that reach the group) that serve the maintenance response, as found. */
  routes: Route[];
  health: string;
  unchanged: boolean;
  /** Refreshes the group already had: a refresh not among them is this run's. */
  refreshesBefore: string[];
  /** The group's warm pool, when it has one: the refresh replaces its instances too. */
  warmPool?: WarmPoolSnapshot;
}

const isAlias = (version: string) => version === '$Latest' || version === '$Default';

/** The group's launch template at `version`, inside its mixed instances policy when it has one. */
export function launchSpecAt(
  state: Pick<SingleGroupState, 'group'>,
  id: string,
  version: string,
): LaunchSpec {
  const policy = state.group.mixedInstancesPolicy;
  return { id, version, ...(policy && { mixedInstancesPolicy: policy }) };
}

/** Reads the group (and listeners) and refuses what Instance Refresh would refuse or could not undo. Read-only. */
export async function observeSingleGroup(
  config: SingleGroupConfig,
  aws: Aws,
  log: Logger,
): Promise<SingleGroupState> {
  const problems: string[] = [];
  const name = config.autoScalingGroup;
  // rolling moves no traffic: it reads no listener
  const listenerArns = config.strategy === 'recreate' ? config.listenerArns : [];
  const [group, routes] = await Promise.all([
    aws.autoScaling.describeGroup(name),
    aws.elbv2.describeRoutes(listenerArns, []).catch((error: unknown) => {
      problems.push(`listener-arns: ${errorMessage(error)}`);
      return [] as Route[];
    }),
  ]);
  if (!group)
    throw new PreflightError([
      `auto-scaling-group: no Auto Scaling group named "${name}" in ${config.region}`,
    ]);
  const lt = group.launchTemplate;
  if (!lt) {
    problems.push(
      `auto-scaling-group: ${group.name} uses a ${group.launchSource.replace(/-/g, ' ')}; ${config.strategy} needs a group with a launch template`,
    );
    throw new PreflightError(problems);
  }
  const policyIssue = group.mixedInstancesPolicy && policyProblem(group.name, group.mixedInstancesPolicy);
  if (policyIssue) problems.push(`auto-scaling-group: ${policyIssue}`);
  for (const route of routes) {
    if (route.protocol && !['HTTP', 'HTTPS'].includes(route.protocol)) {
      problems.push(
        `listener-arns: listener ${shortArn(route.arn)} is a ${route.protocol} listener; a fixed maintenance response needs an Application Load Balancer listener`,
      );
    }
  }
  if (routes.length > 0) routes.push(...(await recreateRules(aws, routes, group.targetGroupArns, problems)));
  // Alarms must exist (rolling hands them to AWS as AlarmSpecification; recreate watches them while baking).
  await checkAlarms(aws, config.alarmNames, problems);
  const [refreshes, warmPool] = await Promise.all([
    aws.autoScaling.instanceRefreshes(group.name),
    aws.autoScaling.describeWarmPool(group.name),
  ]);
  if (warmPool)
    log.info(
      `${group.name} has a warm pool (${warmPool.instances.length} instance(s), ${warmPool.poolState ?? 'Stopped'}): the Instance Refresh replaces its instances too, after the InService ones`,
    );
  const refresh = refreshes.find((r) => isActiveRefresh(r.status));
  if (refresh) {
    problems.push(
      `auto-scaling-group: instance refresh ${refresh.id} is ${refresh.status} on ${group.name}; wait for it to end (or cancel it) before deploying`,
    );
  }
  if (config.autoRollback && isAlias(lt.version)) {
    problems.push(
      `auto-scaling-group: ${group.name} uses launch template version ${lt.version}; Instance Refresh cannot roll back a group on $Latest or $Default: set a version number on the group, or auto-rollback: false`,
    );
  }
  if (group.instances.length === 0 || group.desired === 0) {
    problems.push(
      `auto-scaling-group: ${group.name} has no instances (desired ${group.desired}): there is nothing to replace; update its launch template and capacity instead`,
    );
  }
  const target = await resolveDeployTarget(
    config,
    aws,
    { template: lt, source: lt, groupName: group.name },
    problems,
  );
  if (problems.length > 0 || !target) throw new PreflightError(problems);

  if (group.healthCheckType === 'EC2' && group.targetGroupArns.length > 0) {
    log.warning(
      `${group.name} uses the EC2 health check type while attached to ${group.targetGroupArns.length} target group(s): Instance Refresh will not see load balancer health, so a replacement failing its target group health checks will not stop it. Set the group's health check type to ELB.`,
    );
  }
  const health = (await readGroupHealth(aws, group.name, group.targetGroupArns)).summary;
  const unchanged =
    target.kind === 'version'
      ? lt.version === target.version &&
        group.instances.every(
          (i) => i.launchTemplateVersion === undefined || i.launchTemplateVersion === lt.version,
        )
      : target.sourceImageId === target.imageId;
  return {
    group,
    launchTemplate: lt,
    target,
    routes,
    health,
    unchanged,
    refreshesBefore: refreshes.map((r) => r.id),
    ...(warmPool && { warmPool }),
  };
}

/**
 * Recreate: the rules of the named listeners that send traffic to the group
 * (they get the maintenance response too); a route of a listener not named
 * that reaches the group is a problem.
 */
async function recreateRules(
  aws: Aws,
  listeners: Route[],
  targetGroupArns: string[],
  problems: string[],
): Promise<Route[]> {
  try {
    const balancers = listeners.map((r) => r.loadBalancerArn).filter((arn) => arn !== undefined);
    const all = await readRoutesReaching(aws, targetGroupArns, balancers);
    const named = new Set(listeners.map((r) => r.arn));
    const found = recreateRoutes(all, named, targetGroupArns, HEALTH_RULE_HEADER);
    problems.push(...found.problems);
    return found.covered;
  } catch (error) {
    problems.push(
      `listener-arns: the load balancers' other routes could not be read to check that none reaches ${targetGroupArns.map(shortArn).join(', ')}: ${errorMessage(error)}`,
    );
    return [];
  }
}

export function singleGroupRow(group: GroupSnapshot, health: string, after = false): FleetRow {
  return {
    name: 'fleet',
    group: group.name,
    targetGroupArn: group.targetGroupArns[0] ?? '',
    launchTemplateVersion: group.launchTemplate?.version ?? '-',
    ...(after && instanceVersions(group) !== undefined && { instances: instanceVersions(group) }),
    capacity: `${group.min}/${group.desired}/${group.max}`,
    health,
    live: true,
  };
}

export async function singleGroupRowAfter(
  aws: Aws,
  state: SingleGroupState,
  log: Logger,
  choices: HeldInstances,
): Promise<FleetRow[]> {
  const reading = await readGroupHealth(aws, state.group.name, state.group.targetGroupArns);
  warnOffVersion(reading.group, log, choices);
  return [singleGroupRow(reading.group, reading.summary, true)];
}

export function singleGroupOutputs(
  config: SingleGroupConfig,
  state: SingleGroupState,
  result: Result,
  refreshId: string | undefined,
): Record<string, string> {
  return {
    result,
    'active-auto-scaling-group': state.group.name,
    'active-target-group-arn': state.group.targetGroupArns[0] ?? '',
    'previous-auto-scaling-group': state.group.name,
    'version-label': result === 'deployed' ? config.versionLabel : '',
    'previous-version-label': '',
    'launch-template-version': state.launchTemplate.version,
    'instance-refresh-id': refreshId ?? '',
    'rollback-reason': '',
  };
}

/**
 * The deployment record of an in-place deploy: one group; the previous entry
 * is the recorded current one, or the group as found when it has no record yet.
 */
export function singleGroupRecord(
  config: SingleGroupConfig,
  state: SingleGroupState,
  options: { record?: DeploymentRecord; now: number },
): RecordPlan {
  const { group, launchTemplate: lt } = state;
  const recorded = options.record?.current;
  return {
    groups: [group.name],
    serving: { group: group.name, versionLabel: config.versionLabel },
    previous:
      recorded && recorded.group === group.name
        ? recorded
        : {
            versionLabel: '',
            launchTemplateId: lt.id,
            launchTemplateVersion: lt.version,
            group: group.name,
            time: new Date(options.now).toISOString(),
            runUrl: '',
          },
  };
}

/**
 * What rolling and recreate hand the pipeline: the same rows, outputs, record
 * and "what AWS did" line, around their own steps.
 */
export function singleGroupPrepared(
  config: SingleGroupConfig,
  state: SingleGroupState,
  options: { aws: Aws; record?: DeploymentRecord; now: number; log: Logger },
  p: { verb: string; steps: Step[]; lastRefresh: () => InstanceRefreshSummary | undefined },
): PreparedDeployment {
  const { group } = state;
  const what = describeWhat(state.target);
  return {
    headline: state.unchanged
      ? `${group.name} already runs ${what}`
      : `${config.versionLabel ? `${config.versionLabel}, ` : ''}${what}, ${p.verb} ${group.name}`,
    plan: { steps: p.steps },
    before: [singleGroupRow(group, state.health)],
    unchanged: state.unchanged,
    outputs: (result) => singleGroupOutputs(config, state, result, p.lastRefresh()?.id),
    readAfter: () => singleGroupRowAfter(options.aws, state, options.log, config),
    record: singleGroupRecord(config, state, options),
    groups: [group],
    details: () => {
      const last = p.lastRefresh();
      const pool = state.warmPool;
      return [
        ...(last ? [`Instance refresh ${last.id}: ${describeRefresh(last)}`] : []),
        ...(pool
          ? [
              `Warm pool of ${group.name} (${pool.instances.length} instance(s) before the run): the Instance Refresh covers it, AWS replaces warm instances with the new configuration after the InService ones`,
            ]
          : []),
      ];
    },
  };
}
