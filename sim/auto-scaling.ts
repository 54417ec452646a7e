/**
 * EC2 Auto Scaling groups: capacity, instance lifecycle on the virtual clock
 * (Pending → InService after bootSeconds → registered in every target group;
 * scale-in → Terminating → draining → gone), tags, instance refreshes.
 */
import {
  LimitExceededFault,
  type AutoScalingGroup,
  type CreateOrUpdateTagsCommandInput,
  type DeleteTagsCommandInput,
  type DescribeAutoScalingGroupsCommandInput,
  type DescribeAutoScalingGroupsCommandOutput,
  type DescribeInstanceRefreshesCommandInput,
  type DescribeInstanceRefreshesCommandOutput,
  type DescribeTagsCommandInput,
  type DescribeTagsCommandOutput,
  type DescribeWarmPoolCommandInput,
  type DescribeWarmPoolCommandOutput,
  type MixedInstancesPolicy,
  type Instance as SdkInstance,
  type SetDesiredCapacityCommandInput,
  type TagDescription,
  type UpdateAutoScalingGroupCommandInput,
} from '@aws-sdk/client-auto-scaling';
import { clientError, modeled } from './errors.js';
import { findLaunchTemplate, resolveVersion, resolveVersionNumber } from './ec2.js';
import type { Handlers } from './handlers.js';
import { acceptPolicy, describePolicy, overrideInstanceType } from './mixed-instances.js';
import { leaving, type Group, type Instance, type SimState } from './state.js';
import { holdLaunch, holdTermination } from './lifecycle-hooks.js';
import { deregisterTarget, registerTarget } from './targets.js';
import {
  failedLaunch,
  launchSucceeded,
  recordLaunch,
  recordTermination,
  suspendedProcesses,
} from './scaling.js';

const AZS = ['a', 'b'];
const MAX_TAGS = 50;

const validation = (message: string): Error => clientError('autoscaling', 'ValidationError', message);

export interface CreateGroupParams {
  name: string;
  launchTemplate: { id: string; version: string };
  min: number;
  max: number;
  desired: number;
  targetGroupArns: string[];
  healthCheckType?: 'EC2' | 'ELB';
  instancesHealthy?: boolean;
  /** The group uses this policy (its launch template replaces `launchTemplate`). */
  mixedInstancesPolicy?: MixedInstancesPolicy;
}

export function createGroup(sim: SimState, p: CreateGroupParams): void {
  if (sim.groups.has(p.name)) throw new Error(`SimAws: group ${p.name} already exists`);
  const lt = sim.launchTemplates.get(p.launchTemplate.id);
  if (!lt || resolveVersionNumber(lt, p.launchTemplate.version) === undefined) {
    throw new Error(
      `SimAws: unknown launch template ${p.launchTemplate.id} version ${p.launchTemplate.version}`,
    );
  }
  for (const arn of p.targetGroupArns) {
    if (!sim.targetGroups.has(arn)) throw new Error(`SimAws: unknown target group ${arn}`);
  }
  if (!(p.min <= p.desired && p.desired <= p.max)) throw new Error(`SimAws: bad capacity for ${p.name}`);
  const uuid = `00000000-0000-4000-8000-${sim.hexId('asg', 12)}`;
  const group: Group = {
    name: p.name,
    arn: sim.arn('autoscaling', `autoScalingGroup:${uuid}:autoScalingGroupName/${p.name}`),
    createdAt: sim.now(),
    min: p.min,
    max: p.max,
    desired: p.desired,
    launchTemplate: { ...p.launchTemplate },
    ...(p.mixedInstancesPolicy && acceptedPolicy(sim, p.mixedInstancesPolicy)),
    targetGroupArns: [...p.targetGroupArns],
    healthCheckType: p.healthCheckType ?? 'ELB',
    healthCheckGracePeriod: 300,
    tags: new Map(),
    instances: [],
    launches: 0,
    refreshes: [],
    suspended: new Map(),
    hooks: new Map(),
    activities: [],
    failNext: [],
  };
  sim.groups.set(p.name, group);
  if (p.instancesHealthy ?? true) {
    for (let i = 0; i < p.desired; i++) launch(sim, group, true);
  } else {
    reconcile(sim, group);
  }
}

function acceptedPolicy(
  sim: SimState,
  policy: MixedInstancesPolicy,
): { mixedInstancesPolicy: MixedInstancesPolicy; launchTemplate: { id: string; version: string } } {
  const accepted = acceptPolicy(sim, policy);
  return { mixedInstancesPolicy: accepted.policy, launchTemplate: accepted.launchTemplate };
}

export function getGroup(sim: SimState, name: string | undefined): Group {
  const g = name === undefined ? undefined : sim.groups.get(name);
  if (!g) throw validation(`AutoScalingGroup name not found - ${name ?? 'null'}`);
  return g;
}

export function findInstance(sim: SimState, instanceId: string): Instance | undefined {
  for (const g of sim.groups.values()) {
    const inst = g.instances.find((i) => i.id === instanceId);
    if (inst) return inst;
  }
  return undefined;
}

/** Launches one instance from the group's launch template, or from `from` (an Instance Refresh's desired one). */
export function launch(
  sim: SimState,
  group: Group,
  alreadyInService = false,
  from: { id: string; version: string } = group.launchTemplate,
): Instance | undefined {
  const warm = from === group.launchTemplate ? group.warmPool?.instances.shift() : undefined;
  if (warm) {
    // As AWS: a scale-out draws on the warm pool first, whatever version the warm instance was prepared from.
    warm.lifecycle = 'Pending';
    group.instances.push(warm);
    warm.bootTimer = sim.clock.schedule(sim.now() + sim.timing.bootSeconds * 1000, () => {
      warm.bootTimer = undefined;
      if (warm.lifecycle === 'Pending') inService(sim, group, warm, false);
    });
    return warm;
  }
  const lt = sim.launchTemplates.get(from.id);
  const version = lt === undefined ? undefined : resolveVersionNumber(lt, from.version);
  if (lt === undefined || version === undefined) return undefined; // AWS: the launch activity fails; capacity stays short
  const az = `${sim.region}${AZS[group.launches % AZS.length] ?? 'a'}`;
  const imageId = lt.versions.get(version)?.data.ImageId;
  const failed = failedLaunch(sim, group, typeof imageId === 'string' ? imageId : '', az);
  if (failed) {
    group.launches++; // the next attempt goes to the next Availability Zone
    if (failed.retryAfterSeconds === 0) return launch(sim, group, alreadyInService, from);
    group.retryTimer ??= sim.clock.schedule(sim.now() + failed.retryAfterSeconds * 1000, () => {
      group.retryTimer = undefined;
      reconcile(sim, group);
    });
    return undefined;
  }
  const instance: Instance = {
    id: `i-${sim.hexId('instance', 16)}`,
    group: group.name,
    az,
    ltId: lt.id,
    version,
    lifecycle: 'Pending',
    launchedAt: sim.now(),
    failing: lt.versions.get(version)?.bad ?? false,
  };
  group.launches++;
  recordLaunch(sim, group, instance, alreadyInService);
  group.instances.push(instance);
  if (alreadyInService) {
    inService(sim, group, instance, true);
    return instance;
  }
  // A launching hook holds it in Pending:Wait from launch; it boots meanwhile.
  holdLaunch(sim, group, instance);
  instance.bootTimer = sim.clock.schedule(sim.now() + sim.timing.bootSeconds * 1000, () => {
    instance.bootTimer = undefined;
    if (instance.lifecycle === 'Pending' || instance.lifecycle === 'Pending:Proceed')
      inService(sim, group, instance, false);
  });
  return instance;
}

export function inService(sim: SimState, group: Group, instance: Instance, alreadyHealthy: boolean): void {
  instance.lifecycle = 'InService';
  launchSucceeded(sim, instance);
  for (const arn of group.targetGroupArns) {
    const tg = sim.targetGroups.get(arn);
    if (tg) registerTarget(sim, tg, instance, alreadyHealthy);
  }
}

export function terminate(sim: SimState, group: Group, instance: Instance, scaleIn = false): void {
  if (instance.bootTimer !== undefined) sim.clock.cancel(instance.bootTimer);
  instance.bootTimer = undefined;
  const pool = group.warmPool;
  if (scaleIn && pool?.reuseOnScaleIn && instance.lifecycle === 'InService') {
    // ReuseOnScaleIn: the instance goes back to the warm pool as it is (its version too).
    for (const arn of group.targetGroupArns) {
      const tg = sim.targetGroups.get(arn);
      if (tg) deregisterTarget(sim, tg, instance.id);
    }
    group.instances = group.instances.filter((i) => i !== instance);
    instance.lifecycle = 'Warmed:Stopped';
    pool.instances.push(instance);
    return;
  }
  instance.lifecycle = 'Terminating';
  recordTermination(sim, group, instance);
  let delay = 0;
  for (const arn of group.targetGroupArns) {
    const tg = sim.targetGroups.get(arn);
    if (tg) delay = Math.max(delay, deregisterTarget(sim, tg, instance.id));
  }
  // A terminating hook holds it in Terminating:Wait (out of its target groups) until completed or timed out.
  if (holdTermination(sim, group, instance, sim.now() + delay)) return;
  sim.clock.schedule(sim.now() + delay, () => {
    group.instances = group.instances.filter((i) => i !== instance);
  });
}

/** Launches or terminates until the group's non-terminating instances match desired. */
export function reconcile(sim: SimState, group: Group): void {
  // Standby instances stay in the group but are not part of its desired capacity.
  const active = group.instances.filter((i) => !leaving(i) && i.lifecycle !== 'Standby');
  for (let n = active.length; n < group.desired; n++) launch(sim, group);
  const excess = active.length - group.desired;
  if (excess <= 0) return;
  const lt = sim.launchTemplates.get(group.launchTemplate.id);
  const current = lt === undefined ? undefined : resolveVersionNumber(lt, group.launchTemplate.version);
  const isCurrent = (i: Instance): number =>
    i.ltId === group.launchTemplate.id && i.version === current ? 1 : 0;
  // Not on the current launch template version first, then oldest (stable sort keeps launch order).
  // Instances protected from scale in are never chosen: the group stays above desired (as AWS).
  const victims = active
    .filter((i) => !i.protectedFromScaleIn)
    .sort((a, b) => isCurrent(a) - isCurrent(b))
    .slice(0, excess);
  for (const v of victims) terminate(sim, group, v, true);
}

export function healthStatus(sim: SimState, group: Group, instance: Instance): string {
  if (group.healthCheckType !== 'ELB' || instance.lifecycle !== 'InService') return 'Healthy';
  for (const arn of group.targetGroupArns) {
    if (sim.targetGroups.get(arn)?.targets.get(instance.id)?.state === 'unhealthy') return 'Unhealthy';
  }
  return 'Healthy';
}

function tagDescriptions(group: Group): TagDescription[] {
  return [...group.tags.values()]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((t) => ({
      ResourceId: group.name,
      ResourceType: 'auto-scaling-group',
      Key: t.key,
      Value: t.value,
      PropagateAtLaunch: t.propagateAtLaunch,
    }));
}

function describeGroup(sim: SimState, group: Group): AutoScalingGroup {
  const lt = sim.launchTemplates.get(group.launchTemplate.id);
  const instances: SdkInstance[] = group.instances.map((i) => {
    const data = lt?.versions.get(i.version)?.data;
    return {
      InstanceId: i.id,
      InstanceType:
        overrideInstanceType(group.mixedInstancesPolicy, group.instances.indexOf(i)) ??
        (typeof data?.InstanceType === 'string' ? data.InstanceType : 't3.micro'),
      AvailabilityZone: i.az,
      LifecycleState: i.lifecycle,
      HealthStatus: healthStatus(sim, group, i),
      LaunchTemplate: {
        LaunchTemplateId: i.ltId,
        LaunchTemplateName: sim.launchTemplates.get(i.ltId)?.name,
        Version: String(i.version),
      },
      ProtectedFromScaleIn: i.protectedFromScaleIn === true,
    };
  });
  return {
    AutoScalingGroupName: group.name,
    AutoScalingGroupARN: group.arn,
    ...(group.mixedInstancesPolicy
      ? { MixedInstancesPolicy: describePolicy(sim, group.mixedInstancesPolicy) }
      : {
          LaunchTemplate: {
            LaunchTemplateId: group.launchTemplate.id,
            LaunchTemplateName: lt?.name,
            Version: group.launchTemplate.version,
          },
        }),
    MinSize: group.min,
    MaxSize: group.max,
    DesiredCapacity: group.desired,
    DefaultCooldown: 300,
    AvailabilityZones: AZS.map((z) => `${sim.region}${z}`),
    LoadBalancerNames: [],
    TargetGroupARNs: [...group.targetGroupArns],
    HealthCheckType: group.healthCheckType,
    HealthCheckGracePeriod: group.healthCheckGracePeriod,
    Instances: instances,
    CreatedTime: new Date(group.createdAt),
    SuspendedProcesses: suspendedProcesses(group),
    VPCZoneIdentifier: 'subnet-00000000000000001,subnet-00000000000000002',
    EnabledMetrics: [],
    Tags: tagDescriptions(group),
    TerminationPolicies: ['Default'],
    NewInstancesProtectedFromScaleIn: false,
    ServiceLinkedRoleARN: `arn:aws:iam::${sim.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    TrafficSources: group.targetGroupArns.map((arn) => ({ Identifier: arn, Type: 'elbv2' })),
  };
}

function matchesFilters(group: Group, filters: DescribeAutoScalingGroupsCommandInput['Filters']): boolean {
  for (const f of filters ?? []) {
    const values = f.Values ?? [];
    const tags = [...group.tags.values()];
    let ok: boolean;
    if (f.Name === 'tag-key') ok = tags.some((t) => values.includes(t.key));
    else if (f.Name === 'tag-value') ok = tags.some((t) => values.includes(t.value));
    else if (f.Name?.startsWith('tag:')) {
      const v = group.tags.get(f.Name.slice(4))?.value;
      ok = v !== undefined && values.includes(v);
    } else throw validation(`Filter name ${f.Name ?? ''} is not supported`);
    if (!ok) return false;
  }
  return true;
}

function describeAutoScalingGroups(
  sim: SimState,
  input: DescribeAutoScalingGroupsCommandInput,
): Omit<DescribeAutoScalingGroupsCommandOutput, '$metadata'> {
  const names = input.AutoScalingGroupNames;
  const groups =
    names && names.length > 0
      ? names.flatMap((n) => {
          const g = sim.groups.get(n);
          return g ? [g] : [];
        })
      : [...sim.groups.values()];
  return {
    AutoScalingGroups: groups
      .filter((g) => matchesFilters(g, input.Filters))
      .map((g) => describeGroup(sim, g)),
  };
}

function updateAutoScalingGroup(sim: SimState, input: UpdateAutoScalingGroupCommandInput): object {
  const group = getGroup(sim, input.AutoScalingGroupName);
  let launchTemplate = group.launchTemplate;
  let policy = group.mixedInstancesPolicy;
  if (input.LaunchTemplate && input.MixedInstancesPolicy) {
    throw validation(
      'Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.',
    );
  }
  if (input.MixedInstancesPolicy) {
    // An update that names a policy replaces the group's whole.
    ({ launchTemplate, mixedInstancesPolicy: policy } = acceptedPolicy(sim, input.MixedInstancesPolicy));
  }
  if (input.LaunchTemplate) {
    policy = undefined; // the group now uses this launch template alone
    const spec = input.LaunchTemplate;
    try {
      const lt = findLaunchTemplate(sim, spec);
      const version = spec.Version ?? '$Default';
      resolveVersion(lt, version);
      launchTemplate = { id: lt.id, version };
    } catch (e) {
      throw validation(`You must use a valid fully-formed launch template. ${(e as Error).message}`);
    }
  }
  const min = input.MinSize ?? group.min;
  const max = input.MaxSize ?? group.max;
  if (min > max) throw validation(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
  let desired = input.DesiredCapacity ?? group.desired;
  if (input.DesiredCapacity === undefined) {
    // As AWS: a new MinSize above (or MaxSize below) the current size implicitly sets the desired capacity.
    if (input.MinSize !== undefined && min > desired) desired = min;
    if (input.MaxSize !== undefined && max < desired) desired = max;
  }
  if (desired < min || desired > max) {
    throw validation(
      `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`,
    );
  }
  if (input.HealthCheckType !== undefined) {
    if (input.HealthCheckType !== 'EC2' && input.HealthCheckType !== 'ELB') {
      throw validation(`Invalid health check type ${input.HealthCheckType}`);
    }
    group.healthCheckType = input.HealthCheckType;
  }
  if (input.HealthCheckGracePeriod !== undefined) group.healthCheckGracePeriod = input.HealthCheckGracePeriod;
  group.launchTemplate = launchTemplate;
  if (policy) group.mixedInstancesPolicy = policy;
  else delete group.mixedInstancesPolicy;
  group.min = min;
  group.max = max;
  group.desired = desired;
  reconcile(sim, group);
  return {};
}

function setDesiredCapacity(sim: SimState, input: SetDesiredCapacityCommandInput): object {
  const group = getGroup(sim, input.AutoScalingGroupName);
  const d = input.DesiredCapacity ?? group.desired;
  if (d > group.max) {
    throw validation(
      `New SetDesiredCapacity value ${d} is above max value ${group.max} for the AutoScalingGroup.`,
    );
  }
  if (d < group.min) {
    throw validation(
      `New SetDesiredCapacity value ${d} is below min value ${group.min} for the AutoScalingGroup.`,
    );
  }
  group.desired = d;
  reconcile(sim, group);
  return {};
}

function tagGroup(sim: SimState, t: { ResourceId?: string; ResourceType?: string }): Group {
  if (t.ResourceType !== 'auto-scaling-group') {
    throw validation(`Invalid resource type ${t.ResourceType ?? 'null'}; expected auto-scaling-group`);
  }
  return getGroup(sim, t.ResourceId);
}

function createOrUpdateTags(sim: SimState, input: CreateOrUpdateTagsCommandInput): object {
  const tags = input.Tags ?? [];
  // Validate everything first: the call is all or nothing.
  const counts = new Map<Group, Set<string>>();
  for (const t of tags) {
    const group = tagGroup(sim, t);
    const key = t.Key ?? '';
    const value = t.Value ?? '';
    // AWS counts Unicode characters (code points): an emoji is one, not two UTF-16 units.
    const keyLength = Array.from(key).length;
    if (keyLength < 1 || keyLength > 128) throw validation(`Tag key must be 1 to 128 characters: ${key}`);
    if (Array.from(value).length > 256) throw validation(`Tag value for key ${key} exceeds 256 characters`);
    if (key.toLowerCase().startsWith('aws:'))
      throw validation(`Tag keys starting with aws: are reserved: ${key}`);
    const keys = counts.get(group) ?? new Set(group.tags.keys());
    keys.add(key);
    counts.set(group, keys);
  }
  for (const [group, keys] of counts) {
    if (keys.size > MAX_TAGS) {
      throw modeled(
        LimitExceededFault,
        `The number of tags for ${group.name} would exceed the limit of ${MAX_TAGS} tags per Auto Scaling group.`,
      );
    }
  }
  for (const t of tags) {
    const group = tagGroup(sim, t);
    const key = t.Key ?? '';
    group.tags.set(key, { key, value: t.Value ?? '', propagateAtLaunch: t.PropagateAtLaunch ?? false });
  }
  return {};
}

function deleteTags(sim: SimState, input: DeleteTagsCommandInput): object {
  for (const t of input.Tags ?? []) tagGroup(sim, t);
  for (const t of input.Tags ?? []) tagGroup(sim, t).tags.delete(t.Key ?? '');
  return {};
}

function describeTags(
  sim: SimState,
  input: DescribeTagsCommandInput,
): Omit<DescribeTagsCommandOutput, '$metadata'> {
  let all = [...sim.groups.values()].flatMap((g) => tagDescriptions(g));
  for (const f of input.Filters ?? []) {
    const values = f.Values ?? [];
    const field = (d: TagDescription): string | undefined => {
      switch (f.Name) {
        case 'auto-scaling-group':
          return d.ResourceId;
        case 'key':
          return d.Key;
        case 'value':
          return d.Value;
        case 'propagate-at-launch':
          return String(d.PropagateAtLaunch);
        default:
          throw validation(`Filter type ${f.Name ?? 'null'} is not supported`);
      }
    };
    all = all.filter((d) => values.includes(field(d) ?? ''));
  }
  return { Tags: all };
}

export function startInstanceRefresh(sim: SimState, groupName: string): string {
  const group = getGroup(sim, groupName);
  const id = `00000000-0000-4000-9000-${sim.hexId('refresh', 12)}`;
  group.refreshes.unshift({
    id,
    status: 'InProgress',
    startedAt: sim.now(),
    percentageComplete: 0,
    instancesToUpdate: group.instances.filter((i) => !leaving(i)).length,
  });
  return id;
}

function describeInstanceRefreshes(
  sim: SimState,
  input: DescribeInstanceRefreshesCommandInput,
): Omit<DescribeInstanceRefreshesCommandOutput, '$metadata'> {
  const group = sim.groups.get(input.AutoScalingGroupName ?? '');
  const ids = input.InstanceRefreshIds;
  const refreshes = (group?.refreshes ?? []).filter((r) => !ids || ids.length === 0 || ids.includes(r.id));
  return {
    InstanceRefreshes: refreshes.map((r) => ({
      InstanceRefreshId: r.id,
      AutoScalingGroupName: input.AutoScalingGroupName,
      Status: r.status as never,
      StatusReason: r.statusReason ?? '',
      StartTime: new Date(r.startedAt),
      ...(r.endedAt === undefined ? {} : { EndTime: new Date(r.endedAt) }),
      PercentageComplete: r.percentageComplete,
      InstancesToUpdate: r.instancesToUpdate,
      Strategy: 'Rolling',
      ...(r.preferences ? { Preferences: r.preferences } : {}),
      ...(r.desired
        ? {
            DesiredConfiguration: {
              LaunchTemplate: { LaunchTemplateId: r.desired.id, Version: r.desired.version },
            },
          }
        : {}),
      ...(r.rollback
        ? {
            RollbackDetails: {
              RollbackReason: r.rollback.reason,
              RollbackStartTime: new Date(r.rollback.startedAt),
              PercentageCompleteOnRollback: r.rollback.percentageComplete,
              InstancesToUpdateOnRollback: r.rollback.instancesToUpdate,
            },
          }
        : {}),
    })),
  };
}

/** DescribeWarmPool: no WarmPoolConfiguration for a group without a warm pool. */
function describeWarmPool(
  sim: SimState,
  input: DescribeWarmPoolCommandInput,
): Omit<DescribeWarmPoolCommandOutput, '$metadata'> {
  const group = getGroup(sim, input.AutoScalingGroupName);
  const pool = group.warmPool;
  if (!pool) return { Instances: [] };
  return {
    WarmPoolConfiguration: {
      MinSize: pool.minSize,
      MaxGroupPreparedCapacity: pool.maxGroupPreparedCapacity,
      PoolState: pool.poolState,
      InstanceReusePolicy: { ReuseOnScaleIn: pool.reuseOnScaleIn },
    },
    Instances: pool.instances.map((i) => ({
      InstanceId: i.id,
      InstanceType: 't3.micro',
      AvailabilityZone: i.az,
      LifecycleState: 'Warmed:Stopped',
      HealthStatus: 'Healthy',
      ProtectedFromScaleIn: false,
      LaunchTemplate: {
        LaunchTemplateId: i.ltId,
        LaunchTemplateName: sim.launchTemplates.get(i.ltId)?.name,
        Version: String(i.version),
      },
    })),
  };
}

export const autoScalingHandlers: Handlers = {
  DescribeWarmPool: (sim, input) => describeWarmPool(sim, input as DescribeWarmPoolCommandInput),
  DescribeAutoScalingGroups: (sim, input) =>
    describeAutoScalingGroups(sim, input as DescribeAutoScalingGroupsCommandInput),
  UpdateAutoScalingGroup: (sim, input) =>
    updateAutoScalingGroup(sim, input as UpdateAutoScalingGroupCommandInput),
  SetDesiredCapacity: (sim, input) => setDesiredCapacity(sim, input as SetDesiredCapacityCommandInput),
  DescribeInstanceRefreshes: (sim, input) =>
    describeInstanceRefreshes(sim, input as DescribeInstanceRefreshesCommandInput),
  CreateOrUpdateTags: (sim, input) => createOrUpdateTags(sim, input as CreateOrUpdateTagsCommandInput),
  DeleteTags: (sim, input) => deleteTags(sim, input as DeleteTagsCommandInput),
  DescribeTags: (sim, input) => describeTags(sim, input as DescribeTagsCommandInput),
};
