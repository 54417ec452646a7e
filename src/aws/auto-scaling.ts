import {
  type AutoScalingClient,
  type AutoScalingGroup,
  CreateOrUpdateTagsCommand,
  DeleteTagsCommand,
  DescribeAutoScalingGroupsCommand,
  CancelInstanceRefreshCommand,
  DescribeTagsCommand,
  DescribeInstanceRefreshesCommand,
  DescribeScalingActivitiesCommand,
  ResumeProcessesCommand,
  SuspendProcessesCommand,
  DescribeWarmPoolCommand,
  InstanceRefreshInProgressFault,
  type InstanceRefresh,
  type LaunchTemplateSpecification,
  type RefreshPreferences,
  RollbackInstanceRefreshCommand,
  StartInstanceRefreshCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';

import { type LaunchSpec, type MixedInstancesPolicy, policyAtVersion } from './mixed-instances.js';
import { type LifecycleHook, readLifecycleHooks } from './lifecycle-hooks.js';

export type { RefreshPreferences } from '@aws-sdk/client-auto-scaling';
/** Tags to set: the same on every group, or each group's own. */
type TagsFor = Record<string, string> | ((group: string) => Record<string, string>);

export interface LaunchTemplateRef {
  id: string;
  name?: string;
  /** As the group stores it: a number, `$Default` or `$Latest`. */
  version: string;
}

export interface GroupInstance {
  id: string;
  /** Pending, InService, Terminating, … */
  lifecycle: string;
  health: string;
  launchTemplateVersion?: string;
  protectedFromScaleIn?: boolean;
}

/** What a deploy needs to know of an Auto Scaling group, read in one call. */
export interface GroupSnapshot {
  name: string;
  min: number;
  max: number;
  desired: number;
  /** Undefined when the group uses a launch configuration; for a mixed instances policy, the policy's. */
  launchTemplate?: LaunchTemplateRef;
  /** The group's mixed instances policy exactly as read (the version in it is `launchTemplate.version`). */
  mixedInstancesPolicy?: MixedInstancesPolicy;
  /** Why `launchTemplate` is undefined, for a clear refusal. */
  launchSource: 'launch-template' | 'mixed-instances-policy' | 'launch-configuration' | 'none';
  targetGroupArns: string[];
  healthCheckType: string;
  instances: GroupInstance[];
  tags: Record<string, string>;
  /** Processes suspended on the group (SuspendedProcesses), by name. */
  suspendedProcesses: string[];
}

/** One scaling activity, as DescribeScalingActivities reports it. */
export interface ScalingActivity {
  id: string;
  /** `Launching a new EC2 instance: i-…`, `Terminating EC2 instance: i-…`. */
  description: string;
  /** InProgress, Successful, Failed, Cancelled, WaitingForInstanceId, MidLifecycleAction, … */
  status: string;
  /** AWS's reason when it failed, verbatim. */
  statusMessage?: string;
  startedAt: number; // epoch ms
}

export interface GroupUpdate {
  min?: number;
  max?: number;
  desired?: number;
  launchTemplate?: LaunchSpec;
}

/** A group's warm pool as DescribeWarmPool reports it. */
export interface WarmPoolSnapshot {
  minSize?: number;
  maxGroupPreparedCapacity?: number;
  poolState?: string;
  status?: string;
  reuseOnScaleIn: boolean;
  instances: GroupInstance[];
}

export interface InstanceRefreshSummary {
  id: string;
  status: string;
  percentageComplete?: number;
  statusReason?: string;
  instancesToUpdate?: number;
  /** Epoch ms. */
  startedAt?: number;
  endedAt?: number;
  /** Set when AWS rolled the refresh back (on failure with auto rollback, or when asked). */
  rollbackReason?: string;
  percentageCompleteOnRollback?: number;
}

const ACTIVE_REFRESH = new Set(['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking']);

/** AWS refused a StartInstanceRefresh because one is already running on the group. */
export function isRefreshInProgressError(error: unknown): boolean {
  return error instanceof InstanceRefreshInProgressFault;
}

/** A refresh in one of these statuses blocks another one on the group. */
export function isActiveRefresh(status: string): boolean {
  return ACTIVE_REFRESH.has(status);
}

/** Thin gateway over the Auto Scaling API: shapes in, snapshots out. */
export class AutoScalingGateway {
  /** `once`: the client with a single attempt per call (the lock's write); `client` by default. */
  constructor(
    private readonly client: AutoScalingClient,
    private readonly once: AutoScalingClient = client,
  ) {}

  /** Every named group that exists, by name (one call for up to 100 names). */
  async describeGroups(names: string[]): Promise<Map<string, GroupSnapshot>> {
    const found = new Map<string, GroupSnapshot>();
    let token: string | undefined;
    do {
      const out = await this.client.send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: names, NextToken: token }),
      );
      for (const group of out.AutoScalingGroups ?? [])
        found.set(group.AutoScalingGroupName ?? '', toSnapshot(group));
      token = out.NextToken;
    } while (token);
    return found;
  }

  async describeGroup(name: string): Promise<GroupSnapshot | undefined> {
    return (await this.describeGroups([name])).get(name);
  }

  async updateGroup(name: string, update: GroupUpdate): Promise<void> {
    await this.client.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: name,
        MinSize: update.min,
        MaxSize: update.max,
        DesiredCapacity: update.desired,
        ...launchSpecFields(update.launchTemplate),
      }),
    );
  }

  async suspendProcesses(AutoScalingGroupName: string, ScalingProcesses: string[]): Promise<void> {
    await this.client.send(new SuspendProcessesCommand({ AutoScalingGroupName, ScalingProcesses }));
  }

  async resumeProcesses(AutoScalingGroupName: string, ScalingProcesses: string[]): Promise<void> {
    await this.client.send(new ResumeProcessesCommand({ AutoScalingGroupName, ScalingProcesses }));
  }

  /** The newest 100 activities (newest first) started at or after `sinceMs`: one call, whatever the fleet's size. */
  async recentActivities(name: string, sinceMs: number): Promise<ScalingActivity[]> {
    const out = await this.client.send(
      new DescribeScalingActivitiesCommand({ AutoScalingGroupName: name, MaxRecords: 100 }),
    );
    return (out.Activities ?? [])
      .map((a) => ({
        id: a.ActivityId ?? '',
        description: a.Description ?? '',
        status: a.StatusCode ?? '',
        ...(a.StatusMessage ? { statusMessage: a.StatusMessage } : {}),
        startedAt: a.StartTime?.getTime() ?? 0,
      }))
      .filter((a) => a.startedAt >= sinceMs);
  }

  /** The group's lifecycle hooks: one call, read at pre-flight. */
  describeLifecycleHooks(name: string): Promise<LifecycleHook[]> {
    return readLifecycleHooks(this.client, name);
  }

  /** The group's warm pool, or undefined when it has none (one call; paged instances are followed). */
  async describeWarmPool(name: string): Promise<WarmPoolSnapshot | undefined> {
    let token: string | undefined;
    let pool: WarmPoolSnapshot | undefined;
    do {
      const out = await this.client.send(
        new DescribeWarmPoolCommand({ AutoScalingGroupName: name, NextToken: token }),
      );
      const config = out.WarmPoolConfiguration;
      if (!config) return undefined;
      pool ??= {
        minSize: config.MinSize,
        maxGroupPreparedCapacity: config.MaxGroupPreparedCapacity,
        poolState: config.PoolState,
        status: config.Status,
        reuseOnScaleIn: config.InstanceReusePolicy?.ReuseOnScaleIn === true,
        instances: [],
      };
      for (const i of out.Instances ?? []) pool.instances.push(toInstance(i));
      token = out.NextToken;
    } while (token);
    return pool;
  }

  /** The refresh that is still running on the group, if any. */
  async activeInstanceRefresh(name: string): Promise<InstanceRefreshSummary | undefined> {
    return (await this.instanceRefreshes(name)).find((r) => isActiveRefresh(r.status));
  }

  /**
   * Starts an Instance Refresh towards `desired` without changing the group
   * first: on success AWS makes it the group's launch template, on rollback the
   * group is exactly as it was. The client cannot make this idempotent: a
   * retried start after a lost response is refused as InstanceRefreshInProgress.
   */
  async startInstanceRefresh(p: {
    group: string;
    desired: LaunchSpec;
    preferences: RefreshPreferences;
  }): Promise<string> {
    const out = await this.client.send(
      new StartInstanceRefreshCommand({
        AutoScalingGroupName: p.group,
        Strategy: 'Rolling',
        DesiredConfiguration: launchSpecFields(p.desired),
        Preferences: p.preferences,
      }),
    );
    if (!out.InstanceRefreshId) throw new Error('StartInstanceRefresh returned no InstanceRefreshId');
    return out.InstanceRefreshId;
  }

  /** The group's refreshes, newest first (AWS keeps them for a while); one when `id` is given. */
  async instanceRefreshes(group: string, id?: string): Promise<InstanceRefreshSummary[]> {
    const out = await this.client.send(
      new DescribeInstanceRefreshesCommand({
        AutoScalingGroupName: group,
        ...(id === undefined ? { MaxRecords: 10 } : { InstanceRefreshIds: [id] }),
      }),
    );
    return (out.InstanceRefreshes ?? []).map(toRefreshSummary);
  }

  /** Rolls back the group's active refresh: AWS replaces what it changed with the previous configuration. */
  async rollbackInstanceRefresh(group: string): Promise<string | undefined> {
    const out = await this.client.send(new RollbackInstanceRefreshCommand({ AutoScalingGroupName: group }));
    return out.InstanceRefreshId;
  }

  async cancelInstanceRefresh(group: string): Promise<string | undefined> {
    const out = await this.client.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: group }));
    return out.InstanceRefreshId;
  }

  /** Tags of each named group whose key starts with `prefix`, by group (groups without one are absent). */
  async readTags(groups: string[], prefix: string): Promise<Map<string, Record<string, string>>> {
    const found = new Map<string, Record<string, string>>();
    if (groups.length === 0) return found;
    let token: string | undefined;
    do {
      const out = await this.client.send(
        new DescribeTagsCommand({
          Filters: [{ Name: 'auto-scaling-group', Values: groups }],
          NextToken: token,
        }),
      );
      for (const tag of out.Tags ?? []) {
        if (!tag.ResourceId || !tag.Key?.startsWith(prefix)) continue;
        const tags = found.get(tag.ResourceId) ?? {};
        tags[tag.Key] = tag.Value ?? '';
        found.set(tag.ResourceId, tags);
      }
      token = out.NextToken;
    } while (token);
    return found;
  }

  /** Sets the same tags on every named group, in one call; not propagated to instances. */
  async putTags(groups: string[], tags: Record<string, string>): Promise<void> {
    await this.sendTags(this.client, groups, tags);
  }

  /** putTags per group in a single attempt, no SDK retry: the lock's write (it must land soon after its read or not count). */
  async putTagsOnce(groups: string[], tags: (group: string) => Record<string, string>): Promise<void> {
    await this.sendTags(this.once, groups, tags);
  }

  private async sendTags(client: AutoScalingClient, groups: string[], tags: TagsFor) {
    if (groups.length === 0) return;
    await client.send(
      new CreateOrUpdateTagsCommand({
        Tags: groups.flatMap((group) =>
          Object.entries(typeof tags === 'function' ? tags(group) : tags).map(([Key, Value]) => ({
            ResourceId: group,
            ResourceType: 'auto-scaling-group',
            Key,
            Value,
            PropagateAtLaunch: false,
          })),
        ),
      }),
    );
  }

  /** Removes the named tag keys (the same on every group, or each group's own) from the named groups, in one call. */
  async deleteTags(groups: string[], keys: string[] | ((group: string) => string[])): Promise<void> {
    if (groups.length === 0) return;
    const keysOf = typeof keys === 'function' ? keys : () => keys;
    await this.client.send(
      new DeleteTagsCommand({
        Tags: groups.flatMap((group) =>
          keysOf(group).map((Key) => ({ ResourceId: group, ResourceType: 'auto-scaling-group', Key })),
        ),
      }),
    );
  }
}

function toRefreshSummary(r: InstanceRefresh): InstanceRefreshSummary {
  return {
    id: r.InstanceRefreshId ?? '',
    status: r.Status ?? '',
    percentageComplete: r.PercentageComplete,
    statusReason: r.StatusReason || undefined,
    instancesToUpdate: r.InstancesToUpdate,
    startedAt: r.StartTime?.getTime(),
    endedAt: r.EndTime?.getTime(),
    rollbackReason: r.RollbackDetails?.RollbackReason,
    percentageCompleteOnRollback: r.RollbackDetails?.PercentageCompleteOnRollback,
  };
}

/** `LaunchTemplate`, or for a group with a mixed instances policy the whole policy at the version. */
function launchSpecFields(spec: LaunchSpec | undefined): {
  LaunchTemplate?: LaunchTemplateSpecification;
  MixedInstancesPolicy?: MixedInstancesPolicy;
} {
  if (!spec) return {};
  if (spec.mixedInstancesPolicy)
    return {
      MixedInstancesPolicy: policyAtVersion({ ...spec, mixedInstancesPolicy: spec.mixedInstancesPolicy }),
    };
  return { LaunchTemplate: { LaunchTemplateId: spec.id, Version: spec.version } };
}

function toInstance(i: {
  InstanceId?: string;
  LifecycleState?: string;
  HealthStatus?: string;
  LaunchTemplate?: LaunchTemplateSpecification;
  ProtectedFromScaleIn?: boolean;
}): GroupInstance {
  return {
    id: i.InstanceId ?? '',
    lifecycle: i.LifecycleState ?? '',
    health: i.HealthStatus ?? '',
    launchTemplateVersion: i.LaunchTemplate?.Version,
    ...(i.ProtectedFromScaleIn === true && { protectedFromScaleIn: true }),
  };
}

function toSnapshot(group: AutoScalingGroup): GroupSnapshot {
  const policy = group.MixedInstancesPolicy;
  const lt = group.LaunchTemplate ?? policy?.LaunchTemplate?.LaunchTemplateSpecification;
  const launchSource: GroupSnapshot['launchSource'] = group.LaunchTemplate?.LaunchTemplateId
    ? 'launch-template'
    : policy
      ? 'mixed-instances-policy'
      : group.LaunchConfigurationName
        ? 'launch-configuration'
        : 'none';
  const tags: Record<string, string> = {};
  for (const tag of group.Tags ?? []) if (tag.Key) tags[tag.Key] = tag.Value ?? '';
  return {
    name: group.AutoScalingGroupName ?? '',
    min: group.MinSize ?? 0,
    max: group.MaxSize ?? 0,
    desired: group.DesiredCapacity ?? 0,
    launchTemplate: lt?.LaunchTemplateId
      ? { id: lt.LaunchTemplateId, name: lt.LaunchTemplateName, version: lt.Version ?? '$Default' }
      : undefined,
    launchSource,
    ...(policy && !group.LaunchTemplate && { mixedInstancesPolicy: policy }),
    targetGroupArns: group.TargetGroupARNs ?? [],
    healthCheckType: group.HealthCheckType ?? 'EC2',
    instances: (group.Instances ?? []).map(toInstance),
    tags,
    suspendedProcesses: (group.SuspendedProcesses ?? []).flatMap((p) =>
      p.ProcessName ? [p.ProcessName] : [],
    ),
  };
}
