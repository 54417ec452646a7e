import {
  type AutoScalingClient,
  type AutoScalingGroup,
  CreateOrUpdateTagsCommand,
  DeleteTagsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeTagsCommand,
  DescribeInstanceRefreshesCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';

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
}

/** What a deploy needs to know of an Auto Scaling group, read in one call. */
export interface GroupSnapshot {
  name: string;
  min: number;
  max: number;
  desired: number;
  /** Undefined when the group uses a launch configuration or a mixed instances policy. */
  launchTemplate?: LaunchTemplateRef;
  /** Why `launchTemplate` is undefined, for a clear refusal. */
  launchSource: 'launch-template' | 'mixed-instances-policy' | 'launch-configuration' | 'none';
  targetGroupArns: string[];
  healthCheckType: string;
  instances: GroupInstance[];
  tags: Record<string, string>;
}

export interface GroupUpdate {
  min?: number;
  max?: number;
  desired?: number;
  launchTemplate?: { id: string; version: string };
}

export interface InstanceRefreshSummary {
  id: string;
  status: string;
  percentageComplete?: number;
  statusReason?: string;
}

const ACTIVE_REFRESH = new Set(['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking']);

/** Thin gateway over the Auto Scaling API: shapes in, snapshots out. */
export class AutoScalingGateway {
  constructor(private readonly client: AutoScalingClient) {}

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
        LaunchTemplate: update.launchTemplate
          ? { LaunchTemplateId: update.launchTemplate.id, Version: update.launchTemplate.version }
          : undefined,
      }),
    );
  }

  /** The refresh that is still running on the group, if any. */
  async activeInstanceRefresh(name: string): Promise<InstanceRefreshSummary | undefined> {
    const out = await this.client.send(
      new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: name, MaxRecords: 10 }),
    );
    const active = (out.InstanceRefreshes ?? []).find((r) => ACTIVE_REFRESH.has(r.Status ?? ''));
    if (!active) return undefined;
    return {
      id: active.InstanceRefreshId ?? '',
      status: active.Status ?? '',
      percentageComplete: active.PercentageComplete,
      statusReason: active.StatusReason,
    };
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
    if (groups.length === 0) return;
    await this.client.send(
      new CreateOrUpdateTagsCommand({
        Tags: groups.flatMap((group) =>
          Object.entries(tags).map(([Key, Value]) => ({
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

  /** Removes the named tag keys from every named group, in one call. */
  async deleteTags(groups: string[], keys: string[]): Promise<void> {
    if (groups.length === 0) return;
    await this.client.send(
      new DeleteTagsCommand({
        Tags: groups.flatMap((group) =>
          keys.map((Key) => ({ ResourceId: group, ResourceType: 'auto-scaling-group', Key })),
        ),
      }),
    );
  }
}

function toSnapshot(group: AutoScalingGroup): GroupSnapshot {
  const lt = group.LaunchTemplate;
  const launchSource: GroupSnapshot['launchSource'] = lt?.LaunchTemplateId
    ? 'launch-template'
    : group.MixedInstancesPolicy
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
    targetGroupArns: group.TargetGroupARNs ?? [],
    healthCheckType: group.HealthCheckType ?? 'EC2',
    instances: (group.Instances ?? []).map((i) => ({
      id: i.InstanceId ?? '',
      lifecycle: i.LifecycleState ?? '',
      health: i.HealthStatus ?? '',
      launchTemplateVersion: i.LaunchTemplate?.Version,
    })),
    tags,
  };
}
