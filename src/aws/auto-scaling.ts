import {
  type AutoScalingClient,
  type AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
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
