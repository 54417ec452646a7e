/** Ready-made worlds for scenario tests and the demo. */
import type { MixedInstancesPolicy } from '@aws-sdk/client-auto-scaling';
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SimAws } from './sim-aws.js';
import type { SimTiming } from './state.js';

export interface BlueGreenFixture {
  sim: SimAws;
  launchTemplateId: string;
  /** Live on blue. */
  goodVersion: number;
  /** A healthy version to deploy. */
  newVersion: number;
  /** Marked unhealthy: its instances never pass health checks. */
  badVersion: number;
  blueGroup: string;
  greenGroup: string;
  blueTargetGroupArn: string;
  greenTargetGroupArn: string;
  loadBalancerArn: string;
  listenerArns: string[];
  ruleArns: string[];
}

export interface BlueGreenFixtureOptions {
  /** Blue's min = max = desired; default 4. */
  instances?: number;
  /** HTTP listeners on ports 80, 8080, 8081…; default 1. */
  listeners?: number;
  /** Rules on the first listener forwarding to blue; default 0. */
  rules?: number;
  /** TargetGroupStickinessConfig {Enabled: true, DurationSeconds: 300} on every forward. */
  stickiness?: boolean;
  /** Green's min = max = desired; default 0. */
  greenDesired?: number;
  timing?: Partial<SimTiming>;
  /** Both groups use MIXED_POLICY (on version 1) instead of a launch template. */
  mixed?: boolean;
}

/**
 * A Spot mixed instances policy of the fixture's template: three instance
 * types, one override naming the same template, an instances distribution.
 */
export function mixedPolicy(launchTemplateId: string, version: string): MixedInstancesPolicy {
  return {
    LaunchTemplate: {
      LaunchTemplateSpecification: { LaunchTemplateId: launchTemplateId, Version: version },
      Overrides: [
        { InstanceType: 't3.micro', WeightedCapacity: '1' },
        { InstanceType: 't3a.micro', WeightedCapacity: '1' },
        {
          InstanceType: 'm5.large',
          WeightedCapacity: '2',
          LaunchTemplateSpecification: { LaunchTemplateId: launchTemplateId, Version: version },
        },
      ],
    },
    InstancesDistribution: {
      OnDemandAllocationStrategy: 'prioritized',
      OnDemandBaseCapacity: 1,
      OnDemandPercentageAboveBaseCapacity: 25,
      SpotAllocationStrategy: 'price-capacity-optimized',
    },
  };
}

/**
 * One launch template (1 good and live on blue, 2 new, 3 bad), two ASGs each on
 * its own target group, one ALB. Every listener default action (and rule)
 * forwards 100 % to blue with a ForwardConfig that also lists green at weight 0,
 * as weighted blue/green setups do: a target group no action references is not
 * health-checked (its targets are `unused`, Target.NotInUse), in AWS as here.
 */
export function blueGreenFixture(opts: BlueGreenFixtureOptions = {}): BlueGreenFixture {
  const instances = opts.instances ?? 4;
  const greenDesired = opts.greenDesired ?? 0;
  const sim = new SimAws(opts.timing === undefined ? {} : { timing: opts.timing });

  const lt = sim.createLaunchTemplate({
    name: 'app',
    imageId: 'ami-00000000000000001',
    instanceType: 't3.micro',
  });
  const goodVersion = 1;
  const newVersion = sim.addLaunchTemplateVersion(lt.id, { imageId: 'ami-00000000000000002' });
  const badVersion = sim.addLaunchTemplateVersion(lt.id, { imageId: 'ami-00000000000000003' });
  sim.markVersionUnhealthy(lt.id, badVersion);

  const blueTargetGroupArn = sim.createTargetGroup({ name: 'app-blue' });
  const greenTargetGroupArn = sim.createTargetGroup({ name: 'app-green' });
  const loadBalancerArn = sim.createLoadBalancer({ name: 'app' });

  const forward = (): Action[] => [
    {
      Type: 'forward',
      ForwardConfig: {
        TargetGroups: [
          { TargetGroupArn: blueTargetGroupArn, Weight: 100 },
          { TargetGroupArn: greenTargetGroupArn, Weight: 0 },
        ],
        TargetGroupStickinessConfig: opts.stickiness
          ? { Enabled: true, DurationSeconds: 300 }
          : { Enabled: false },
      },
    },
  ];

  const listenerArns: string[] = [];
  for (let i = 0; i < (opts.listeners ?? 1); i++) {
    const port = i === 0 ? 80 : 8079 + i;
    listenerArns.push(
      sim.createListener({ loadBalancerArn, port, protocol: 'HTTP', defaultActions: forward() }),
    );
  }
  const ruleArns: string[] = [];
  const firstListener = listenerArns[0];
  for (let i = 0; i < (opts.rules ?? 0) && firstListener !== undefined; i++) {
    ruleArns.push(
      sim.createRule({
        listenerArn: firstListener,
        priority: (i + 1) * 10,
        conditions: [{ Field: 'path-pattern', Values: [`/app${i + 1}/*`] }],
        actions: forward(),
      }),
    );
  }

  const blueGroup = 'app-blue';
  const greenGroup = 'app-green';
  sim.createAutoScalingGroup({
    name: blueGroup,
    launchTemplate: { id: lt.id, version: String(goodVersion) },
    min: instances,
    max: instances,
    desired: instances,
    targetGroupArns: [blueTargetGroupArn],
    healthCheckType: 'ELB',
    ...(opts.mixed && { mixedInstancesPolicy: mixedPolicy(lt.id, String(goodVersion)) }),
  });
  sim.createAutoScalingGroup({
    name: greenGroup,
    launchTemplate: { id: lt.id, version: String(goodVersion) },
    min: greenDesired,
    max: greenDesired,
    desired: greenDesired,
    targetGroupArns: [greenTargetGroupArn],
    healthCheckType: 'ELB',
    ...(opts.mixed && { mixedInstancesPolicy: mixedPolicy(lt.id, String(goodVersion)) }),
  });

  return {
    sim,
    launchTemplateId: lt.id,
    goodVersion,
    newVersion,
    badVersion,
    blueGroup,
    greenGroup,
    blueTargetGroupArn,
    greenTargetGroupArn,
    loadBalancerArn,
    listenerArns,
    ruleArns,
  };
}
