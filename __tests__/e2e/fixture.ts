/**
 * The blue/green infrastructure the end-to-end tests deploy to, built on moto
 * with the AWS SDK v3: VPC, two subnets in two AZs, a launch template with two
 * versions (different AMIs), blue and green target groups, an ALB with two
 * listeners and a listener rule all forwarding to blue, a blue ASG serving and
 * an idle green ASG, two CloudWatch alarms in OK.
 *
 * MOTO FINDINGS (moto 5.2.1 here, via test/moto/server.py; pinned by
 * harness.e2e.test.ts, which fails if one stops being true):
 * 1. Target health. ASG instances are registered in the group's target groups
 *    when launched and DescribeTargetHealth reports them (with the default
 *    switches of test/moto: healthSeconds 0) at once, exactly as
 *    { Target: { Id, Port: 80 (the TG port) }, HealthCheckPort: 'traffic-port',
 *      TargetHealth: { State: 'healthy' } } — no Reason/Description, never
 *    `initial`. ASG instances are InService/Healthy at once; all land in the
 *    first subnet's AZ (us-east-1a). HealthCheckGracePeriod: 0 reads back 300.
 * 2. ModifyListener with ForwardConfig { TargetGroups: [blue 90, green 10] } and
 *    no stickiness reads back as [{ Type: 'forward', ForwardConfig: {
 *    TargetGroups: [{ TargetGroupArn, Weight: 90 }, { TargetGroupArn, Weight: 10 }],
 *    TargetGroupStickinessConfig: { Enabled: false } } }] — no top-level
 *    TargetGroupArn, stickiness filled in; sent stickiness { Enabled: true,
 *    DurationSeconds: 300 } reads back unchanged. A plain { Type: 'forward',
 *    TargetGroupArn } reads back as just that, with no ForwardConfig (AWS returns
 *    both). ModifyRule behaves the same. Read both shapes (summarizeForward).
 * 3. UpdateAutoScalingGroup 0→2: instances appear InService at once and are
 *    registered `healthy` in the group's target group; ImageId is that of the
 *    requested launch template version. 2→0: Instances [] at once (no
 *    Terminating), EC2 state `terminated`; test/moto deregisters them (plain
 *    moto does not), so they are listed `draining` for the deregistration delay
 *    (300 s unless the drainSeconds switch is set); 0→2 again lists 4 targets.
 *    So: match targets to the ASG's current InstanceIds, never count them.
 * 4. DescribeInstanceRefreshes on a group with none: { InstanceRefreshes: [] },
 *    no NextToken. test/moto keeps refreshes on the group, so a reset forgets
 *    them (names are unique per fixture all the same).
 * 5. Launch template version of an instance: DescribeAutoScalingGroups
 *    Instances[].LaunchTemplate.Version is the template's *current default*
 *    version (read live, changes with ModifyLaunchTemplate DefaultVersion), and
 *    the EC2 tag aws:ec2launchtemplate:version is the default at launch — not
 *    the version the group launched from (equal only when that is the default). The group's own
 *    LaunchTemplate.Version is right ('2', '$Latest' kept as given), and so is
 *    the instance ImageId: tell versions apart by AMI (imageIds) on moto.
 * 6. Protocols: EC2/ASG/ELBv2 are Query (Action= in the form body); CloudWatch
 *    (@aws-sdk/client-cloudwatch 3.11xx) is JSON 1.0 (X-Amz-Target
 *    GraniteServiceVersion20100801.DescribeAlarms), served by moto. New alarms
 *    are set to OK here with SetAlarmState.
 * 7. Timing on this machine: startMoto ~3.5 s (python import), a fixture ~1 s
 *    (~2 s the first), reset ~0.4 s, stop ~1 s.
 */
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  type AutoScalingGroup,
  type MixedInstancesPolicy,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
  type Action,
  type TargetGroupStickinessConfig,
} from '@aws-sdk/client-elastic-load-balancing-v2';

export const REGION = 'us-east-1';
const CREDENTIALS = {
  accessKeyId: 'AKIAE2ETESTEXAMPLE00',
  secretAccessKey: 'e2e-test-secret-access-key-not-real',
};

export interface AwsClients {
  ec2: EC2Client;
  autoScaling: AutoScalingClient;
  elbv2: ElasticLoadBalancingV2Client;
  cloudWatch: CloudWatchClient;
  destroy(): void;
}

/** SDK clients for moto (or the recording proxy): us-east-1 unless told, dummy keys, `endpoint`. */
export function awsClients(endpoint: string, region: string = REGION): AwsClients {
  const config = { region, endpoint, credentials: CREDENTIALS, maxAttempts: 2 };
  const clients = {
    ec2: new EC2Client(config),
    autoScaling: new AutoScalingClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    cloudWatch: new CloudWatchClient(config),
  };
  return {
    ...clients,
    destroy: () => Object.values(clients).forEach((client) => client.destroy()),
  };
}

export interface Capacity {
  min: number;
  max: number;
  desired: number;
}

export interface InfrastructureOptions {
  /** Prefix of every name; a counter is appended so names never repeat in a process. */
  name?: string;
  /** Blue (live) ASG size. Default 2/2/2. */
  blueCapacity?: Capacity;
  /** Green (idle) ASG size. Default 0/0/0. */
  greenCapacity?: Capacity;
  /** Region to build in (moto keeps each region apart, by the signing region). Default us-east-1. */
  region?: string;
  /** Use `name` exactly, without the counter: the same names in two regions. */
  exactName?: boolean;
  /** Both groups use mixedInstancesPolicy(template, '1') instead of a launch template. */
  mixed?: boolean;
}

/**
 * A Spot mixed instances policy of the fixture's launch template at `version`:
 * two instance types and an instances distribution.
 */
export function mixedInstancesPolicy(launchTemplateId: string, version: string): MixedInstancesPolicy {
  return {
    LaunchTemplate: {
      LaunchTemplateSpecification: { LaunchTemplateId: launchTemplateId, Version: version },
      Overrides: [
        { InstanceType: 't3.micro', WeightedCapacity: '1' },
        { InstanceType: 't3a.micro', WeightedCapacity: '1' },
      ],
    },
    // 50 % of 2: moto rounds a fractional Spot share down and launches fewer instances than desired
    // (base 1 + 25 % of 2 gives 1 instance), AWS does not.
    InstancesDistribution: {
      OnDemandBaseCapacity: 0,
      OnDemandPercentageAboveBaseCapacity: 50,
      SpotAllocationStrategy: 'price-capacity-optimized',
    },
  };
}

export interface Infrastructure {
  region: string;
  /** Unique prefix of every name in this fixture. */
  name: string;
  vpcId: string;
  subnetIds: [string, string];
  availabilityZones: [string, string];
  /** AMIs of launch template versions 1 and 2. */
  imageIds: { v1: string; v2: string };
  launchTemplate: { id: string; name: string };
  targetGroupArns: { blue: string; green: string };
  targetGroupNames: { blue: string; green: string };
  loadBalancerArn: string;
  /** [port 80 (plain forward), port 8080 (ForwardConfig with stickiness 300 s)] */
  listenerArns: [string, string];
  /** Rule on the port-80 listener (path /api/*) forwarding to blue. */
  listenerRuleArn: string;
  autoScalingGroups: { blue: string; green: string };
  alarmNames: [string, string];
}

let fixtureCount = 0;

export async function buildInfrastructure(
  endpoint: string,
  options: InfrastructureOptions = {},
): Promise<Infrastructure> {
  const name =
    options.exactName && options.name
      ? options.name
      : `${options.name ?? 'e2e'}-${process.pid % 10000}-${++fixtureCount}`;
  const region = options.region ?? REGION;
  const blueCapacity = options.blueCapacity ?? { min: 2, max: 2, desired: 2 };
  const greenCapacity = options.greenCapacity ?? { min: 0, max: 0, desired: 0 };
  const aws = awsClients(endpoint, region);
  try {
    const [imageV1, imageV2] = await twoImages(aws.ec2);

    const vpc = await aws.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    const vpcId = required(vpc.Vpc?.VpcId, 'VpcId');
    const availabilityZones: [string, string] = [`${region}a`, `${region}b`];
    const subnetIds: [string, string] = [
      await subnet(aws.ec2, vpcId, '10.0.1.0/24', availabilityZones[0]),
      await subnet(aws.ec2, vpcId, '10.0.2.0/24', availabilityZones[1]),
    ];

    const template = await aws.ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: `${name}-app`,
        VersionDescription: 'v1',
        LaunchTemplateData: { ImageId: imageV1, InstanceType: 't3.micro' },
      }),
    );
    const launchTemplateId = required(template.LaunchTemplate?.LaunchTemplateId, 'LaunchTemplateId');
    await aws.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: launchTemplateId,
        SourceVersion: '1',
        VersionDescription: 'v2',
        LaunchTemplateData: { ImageId: imageV2, InstanceType: 't3.micro' },
      }),
    );

    const targetGroupNames = { blue: `${name}-blue`, green: `${name}-green` };
    const targetGroupArns = {
      blue: await targetGroup(aws.elbv2, targetGroupNames.blue, vpcId),
      green: await targetGroup(aws.elbv2, targetGroupNames.green, vpcId),
    };

    const balancer = await aws.elbv2.send(
      new CreateLoadBalancerCommand({
        Name: `${name}-alb`,
        Subnets: subnetIds,
        Scheme: 'internet-facing',
        Type: 'application',
      }),
    );
    const loadBalancerArn = required(balancer.LoadBalancers?.[0]?.LoadBalancerArn, 'LoadBalancerArn');

    const plainForward: Action[] = [{ Type: 'forward', TargetGroupArn: targetGroupArns.blue }];
    const stickyForward: Action[] = [
      {
        Type: 'forward',
        ForwardConfig: {
          TargetGroups: [{ TargetGroupArn: targetGroupArns.blue, Weight: 100 }],
          TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 },
        },
      },
    ];
    const listenerArns: [string, string] = [
      await listener(aws.elbv2, loadBalancerArn, 80, plainForward),
      await listener(aws.elbv2, loadBalancerArn, 8080, stickyForward),
    ];
    const rule = await aws.elbv2.send(
      new CreateRuleCommand({
        ListenerArn: listenerArns[0],
        Priority: 10,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: targetGroupArns.blue }],
      }),
    );
    const listenerRuleArn = required(rule.Rules?.[0]?.RuleArn, 'RuleArn');

    const autoScalingGroups = { blue: `${name}-blue`, green: `${name}-green` };
    const group = (groupName: string, capacity: Capacity, targetGroupArn: string) =>
      aws.autoScaling.send(
        new CreateAutoScalingGroupCommand({
          AutoScalingGroupName: groupName,
          ...(options.mixed
            ? { MixedInstancesPolicy: mixedInstancesPolicy(launchTemplateId, '1') }
            : { LaunchTemplate: { LaunchTemplateId: launchTemplateId, Version: '1' } }),
          MinSize: capacity.min,
          MaxSize: capacity.max,
          DesiredCapacity: capacity.desired,
          VPCZoneIdentifier: subnetIds.join(','),
          TargetGroupARNs: [targetGroupArn],
          HealthCheckType: 'ELB',
          HealthCheckGracePeriod: 0,
        }),
      );
    await group(autoScalingGroups.blue, blueCapacity, targetGroupArns.blue);
    await group(autoScalingGroups.green, greenCapacity, targetGroupArns.green);
    const created = await aws.autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: Object.values(autoScalingGroups) }),
    );
    if (created.AutoScalingGroups?.length !== 2) throw new Error(`fixture: ASGs not created (${name})`);

    const alarmNames: [string, string] = [`${name}-5xx`, `${name}-latency`];
    for (const [alarmName, metric] of [
      [alarmNames[0], 'HTTPCode_Target_5XX_Count'],
      [alarmNames[1], 'TargetResponseTime'],
    ] as const) {
      await aws.cloudWatch.send(
        new PutMetricAlarmCommand({
          AlarmName: alarmName,
          Namespace: 'AWS/ApplicationELB',
          MetricName: metric,
          Dimensions: [{ Name: 'LoadBalancer', Value: loadBalancerArn.split(':loadbalancer/')[1] ?? name }],
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 10,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      );
      await aws.cloudWatch.send(
        new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: 'OK', StateReason: 'e2e fixture' }),
      );
    }

    return {
      region,
      name,
      vpcId,
      subnetIds,
      availabilityZones,
      imageIds: { v1: imageV1, v2: imageV2 },
      launchTemplate: { id: launchTemplateId, name: `${name}-app` },
      targetGroupArns,
      targetGroupNames,
      loadBalancerArn,
      listenerArns,
      listenerRuleArn,
      autoScalingGroups,
      alarmNames,
    };
  } finally {
    aws.destroy();
  }
}

/** Two distinct AMIs moto ships (it refuses to launch unknown ones), chosen deterministically. */
async function twoImages(ec2: EC2Client): Promise<[string, string]> {
  const images = await ec2.send(
    new DescribeImagesCommand({
      Owners: ['amazon'],
      Filters: [{ Name: 'architecture', Values: ['x86_64'] }],
    }),
  );
  const ids = (images.Images ?? [])
    .map((image) => image.ImageId)
    .filter((id): id is string => typeof id === 'string')
    .sort();
  const [first, second] = ids;
  if (!first || !second) throw new Error('fixture: moto lists fewer than two AMIs');
  return [first, second];
}

async function subnet(ec2: EC2Client, vpcId: string, cidr: string, zone: string): Promise<string> {
  const created = await ec2.send(
    new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: zone }),
  );
  return required(created.Subnet?.SubnetId, 'SubnetId');
}

async function targetGroup(
  elbv2: ElasticLoadBalancingV2Client,
  name: string,
  vpcId: string,
): Promise<string> {
  const created = await elbv2.send(
    new CreateTargetGroupCommand({
      Name: name,
      Protocol: 'HTTP',
      Port: 80,
      VpcId: vpcId,
      TargetType: 'instance',
      HealthCheckPath: '/health',
    }),
  );
  return required(created.TargetGroups?.[0]?.TargetGroupArn, 'TargetGroupArn');
}

async function listener(
  elbv2: ElasticLoadBalancingV2Client,
  loadBalancerArn: string,
  port: number,
  defaultActions: Action[],
): Promise<string> {
  const created = await elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: loadBalancerArn,
      Protocol: 'HTTP',
      Port: port,
      DefaultActions: defaultActions,
    }),
  );
  return required(created.Listeners?.[0]?.ListenerArn, 'ListenerArn');
}

export interface ForwardSummary {
  /** Share of traffic per target group ARN, in percent (rounded). */
  shares: Record<string, number>;
  stickiness?: TargetGroupStickinessConfig;
}

/**
 * What a forward action sends where. Reads both shapes moto (and AWS) return:
 * a bare `TargetGroupArn` (100 %) and a weighted `ForwardConfig`.
 */
export function summarizeForward(actions: Action[] | undefined): ForwardSummary {
  const forward = actions?.find((action) => action.Type === 'forward');
  if (!forward) return { shares: {} };
  const groups = forward.ForwardConfig?.TargetGroups;
  if (!groups?.length) return { shares: forward.TargetGroupArn ? { [forward.TargetGroupArn]: 100 } : {} };
  const total = groups.reduce((sum, group) => sum + (group.Weight ?? 1), 0);
  const shares: Record<string, number> = {};
  for (const group of groups) {
    // a group listed at weight 0 gets no traffic (blue/green keeps the idle color listed so it is health-checked)
    if (group.TargetGroupArn && (group.Weight ?? 1) > 0)
      shares[group.TargetGroupArn] = Math.round((100 * (group.Weight ?? 1)) / (total || 1));
  }
  const stickiness = forward.ForwardConfig?.TargetGroupStickinessConfig;
  return { shares, ...(stickiness ? { stickiness } : {}) };
}

/** The forward of each listener's default action, in the order given. */
export async function readListenerForwards(
  endpoint: string,
  listenerArns: string[],
  region: string = REGION,
): Promise<ForwardSummary[]> {
  const aws = awsClients(endpoint, region);
  try {
    const { Listeners = [] } = await aws.elbv2.send(
      new DescribeListenersCommand({ ListenerArns: listenerArns }),
    );
    return listenerArns.map((arn) =>
      summarizeForward(Listeners.find((listener) => listener.ListenerArn === arn)?.DefaultActions),
    );
  } finally {
    aws.destroy();
  }
}

/**
 * Every route's actions exactly as ELB returns them, in the fixture's order:
 * [listener 80 default, listener 8080 default, the /api/* rule]. Compare these
 * before and after a rollback: stickiness and shape included, nothing summarised.
 */
export async function readRouteActions(endpoint: string, infra: Infrastructure): Promise<Action[][]> {
  const aws = awsClients(endpoint, infra.region);
  try {
    const { Listeners = [] } = await aws.elbv2.send(
      new DescribeListenersCommand({ ListenerArns: infra.listenerArns }),
    );
    const { Rules = [] } = await aws.elbv2.send(
      new DescribeRulesCommand({ RuleArns: [infra.listenerRuleArn] }),
    );
    return [
      ...infra.listenerArns.map(
        (arn) => Listeners.find((listener) => listener.ListenerArn === arn)?.DefaultActions ?? [],
      ),
      Rules[0]?.Actions ?? [],
    ];
  } finally {
    aws.destroy();
  }
}

/** The forward of a listener rule. */
export async function readRuleForward(endpoint: string, ruleArn: string): Promise<ForwardSummary> {
  const aws = awsClients(endpoint);
  try {
    const { Rules = [] } = await aws.elbv2.send(new DescribeRulesCommand({ RuleArns: [ruleArn] }));
    return summarizeForward(Rules[0]?.Actions);
  } finally {
    aws.destroy();
  }
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`fixture: moto returned no ${what}`);
  return value;
}

/** Blue's and green's groups as Auto Scaling describes them now. */
export async function readColorGroups(
  aws: AwsClients,
  infra: Infrastructure,
): Promise<{ blue: AutoScalingGroup; green: AutoScalingGroup }> {
  const { AutoScalingGroups = [] } = await aws.autoScaling.send(
    new DescribeAutoScalingGroupsCommand({
      AutoScalingGroupNames: [infra.autoScalingGroups.blue, infra.autoScalingGroups.green],
    }),
  );
  const byName = (name: string) => {
    const group = AutoScalingGroups.find((g) => g.AutoScalingGroupName === name);
    if (!group) throw new Error(`no group ${name}`);
    return group;
  };
  return { blue: byName(infra.autoScalingGroups.blue), green: byName(infra.autoScalingGroups.green) };
}

/** The parts of a group a deploy may change (the tags apart: the record may stay). */
export function groupShape(group: AutoScalingGroup) {
  return {
    MinSize: group.MinSize,
    MaxSize: group.MaxSize,
    DesiredCapacity: group.DesiredCapacity,
    LaunchTemplate: group.LaunchTemplate,
    Instances: (group.Instances ?? []).map((i) => i.InstanceId).sort(),
  };
}

/** The values of the group's `asg-deploy:lock` tag (none when unlocked). */
export function lockTagValues(group: AutoScalingGroup): (string | undefined)[] {
  return (group.Tags ?? []).filter((tag) => tag.Key === 'asg-deploy:lock').map((tag) => tag.Value);
}
