import {
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { blueGreenFixture, SimAws } from '../../sim/index.js';

const S = 1000;

describe('instances on the virtual clock', () => {
  it('boot → InService + initial → healthy, on the configured timing', async () => {
    const f = blueGreenFixture();
    const { autoScaling, elbv2 } = f.sim.clients();
    await autoScaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: f.greenGroup,
        LaunchTemplate: { LaunchTemplateId: f.launchTemplateId, Version: String(f.newVersion) },
        MinSize: 2,
        MaxSize: 2,
        DesiredCapacity: 2,
      }),
    );
    let green = f.sim.group(f.greenGroup);
    expect(green.instances).toEqual([
      { id: 'i-0000000000000005', lifecycle: 'Pending', version: 2 },
      { id: 'i-0000000000000006', lifecycle: 'Pending', version: 2 },
    ]);
    expect(f.sim.targetStates(f.greenTargetGroupArn)).toEqual({});

    f.sim.clock.advance(29 * S);
    expect(f.sim.group(f.greenGroup).instances.map((i) => i.lifecycle)).toEqual(['Pending', 'Pending']);
    f.sim.clock.advance(1 * S); // bootSeconds = 30
    green = f.sim.group(f.greenGroup);
    expect(green.instances.map((i) => i.lifecycle)).toEqual(['InService', 'InService']);
    const health = await elbv2.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: f.greenTargetGroupArn }),
    );
    expect(health.TargetHealthDescriptions).toEqual([
      {
        Target: { Id: 'i-0000000000000005', Port: 80 },
        HealthCheckPort: '80',
        TargetHealth: {
          State: 'initial',
          Reason: 'Elb.RegistrationInProgress',
          Description: 'Target registration is in progress',
        },
      },
      {
        Target: { Id: 'i-0000000000000006', Port: 80 },
        HealthCheckPort: '80',
        TargetHealth: {
          State: 'initial',
          Reason: 'Elb.RegistrationInProgress',
          Description: 'Target registration is in progress',
        },
      },
    ]);

    f.sim.clock.advance(29 * S);
    expect(Object.values(f.sim.targetStates(f.greenTargetGroupArn))).toEqual(['initial', 'initial']);
    f.sim.clock.advance(1 * S); // interval 10 s × healthy threshold 3
    const after = await elbv2.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: f.greenTargetGroupArn }),
    );
    expect(after.TargetHealthDescriptions?.map((d) => d.TargetHealth)).toEqual([
      { State: 'healthy' },
      { State: 'healthy' },
    ]);
  });

  it('DescribeAutoScalingGroups has the full shape, instance versions as strings, AZs round-robin', async () => {
    const f = blueGreenFixture({ instances: 3 });
    const { autoScaling } = f.sim.clients();
    const out = await autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [f.blueGroup] }),
    );
    const g = out.AutoScalingGroups?.[0];
    expect(g).toMatchObject({
      AutoScalingGroupName: 'app-blue',
      AutoScalingGroupARN: expect.stringMatching(
        /^arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/app-blue$/,
      ),
      MinSize: 3,
      MaxSize: 3,
      DesiredCapacity: 3,
      LaunchTemplate: { LaunchTemplateId: f.launchTemplateId, LaunchTemplateName: 'app', Version: '1' },
      TargetGroupARNs: [f.blueTargetGroupArn],
      HealthCheckType: 'ELB',
      HealthCheckGracePeriod: 300,
      Tags: [],
    });
    expect(g?.CreatedTime).toBeInstanceOf(Date);
    expect(g?.Instances).toEqual([
      {
        InstanceId: 'i-0000000000000001',
        InstanceType: 't3.micro',
        AvailabilityZone: 'us-east-1a',
        LifecycleState: 'InService',
        HealthStatus: 'Healthy',
        LaunchTemplate: { LaunchTemplateId: f.launchTemplateId, LaunchTemplateName: 'app', Version: '1' },
        ProtectedFromScaleIn: false,
      },
      expect.objectContaining({ InstanceId: 'i-0000000000000002', AvailabilityZone: 'us-east-1b' }),
      expect.objectContaining({ InstanceId: 'i-0000000000000003', AvailabilityZone: 'us-east-1a' }),
    ]);
    const missing = await autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['nope'] }),
    );
    expect(missing.AutoScalingGroups).toEqual([]);
  });

  it('scale-in: Terminating and draining for the deregistration delay, then gone from the TG and the group', async () => {
    const f = blueGreenFixture({ instances: 4 });
    const { autoScaling } = f.sim.clients();
    await autoScaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: f.blueGroup,
        MinSize: 0,
        DesiredCapacity: 1,
      }),
    );
    expect(f.sim.group(f.blueGroup).instances.map((i) => i.lifecycle)).toEqual([
      'Terminating',
      'Terminating',
      'Terminating',
      'InService',
    ]);
    expect(f.sim.targetStates(f.blueTargetGroupArn)).toEqual({
      'i-0000000000000001': 'draining',
      'i-0000000000000002': 'draining',
      'i-0000000000000003': 'draining',
      'i-0000000000000004': 'healthy',
    });
    f.sim.clock.advance(29 * S);
    expect(f.sim.group(f.blueGroup).instances).toHaveLength(4);
    f.sim.clock.advance(1 * S); // deregistration delay 30 s
    expect(f.sim.group(f.blueGroup).instances.map((i) => i.id)).toEqual(['i-0000000000000004']);
    expect(f.sim.targetStates(f.blueTargetGroupArn)).toEqual({ 'i-0000000000000004': 'healthy' });
  });

  it('scale-in removes instances not on the current launch template version first, then the oldest', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const { autoScaling } = f.sim.clients();
    await autoScaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: f.blueGroup,
        LaunchTemplate: { LaunchTemplateId: f.launchTemplateId, Version: '$Latest' },
        MaxSize: 4,
        DesiredCapacity: 4,
      }),
    );
    f.sim.settle();
    // $Latest resolved at launch: version 3 (the bad one) is latest in the fixture.
    expect(f.sim.group(f.blueGroup).instances.map((i) => i.version)).toEqual([1, 1, 3, 3]);
    await autoScaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: f.blueGroup,
        MinSize: 0,
        DesiredCapacity: 1,
      }),
    );
    expect(
      f.sim.group(f.blueGroup).instances.map((i) => `${i.id.slice(-1)}:v${i.version}:${i.lifecycle}`),
    ).toEqual(['1:v1:Terminating', '2:v1:Terminating', '3:v3:Terminating', '4:v3:InService']);
  });

  it('a version marked unhealthy never becomes healthy: unhealthy after interval × unhealthyThreshold, and stays', async () => {
    const f = blueGreenFixture();
    const { autoScaling, elbv2 } = f.sim.clients();
    await autoScaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: f.greenGroup,
        LaunchTemplate: { LaunchTemplateId: f.launchTemplateId, Version: String(f.badVersion) },
        MaxSize: 1,
        DesiredCapacity: 1,
      }),
    );
    f.sim.clock.advance(30 * S + 19 * S);
    expect(Object.values(f.sim.targetStates(f.greenTargetGroupArn))).toEqual(['initial']);
    f.sim.clock.advance(1 * S);
    expect(Object.values(f.sim.targetStates(f.greenTargetGroupArn))).toEqual(['unhealthy']);
    f.sim.clock.advance(3_600 * S);
    const health = await elbv2.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: f.greenTargetGroupArn }),
    );
    expect(health.TargetHealthDescriptions?.[0]?.TargetHealth).toEqual({
      State: 'unhealthy',
      Reason: 'Target.FailedHealthChecks',
      Description: 'Health checks failed',
    });
    const groups = await autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [f.greenGroup] }),
    );
    expect(groups.AutoScalingGroups?.[0]?.Instances?.[0]?.HealthStatus).toBe('Unhealthy');
  });

  it('markInstanceUnhealthy turns a healthy target unhealthy after unhealthyThreshold × interval', () => {
    const f = blueGreenFixture({ instances: 2 });
    f.sim.markInstanceUnhealthy('i-0000000000000002');
    f.sim.clock.advance(19 * S);
    expect(f.sim.targetStates(f.blueTargetGroupArn)['i-0000000000000002']).toBe('healthy');
    f.sim.clock.advance(1 * S);
    expect(f.sim.targetStates(f.blueTargetGroupArn)).toEqual({
      'i-0000000000000001': 'healthy',
      'i-0000000000000002': 'unhealthy',
    });
  });

  it('a target group no listener or rule forwards to is not health-checked (unused / Target.NotInUse)', async () => {
    const sim = new SimAws();
    const lt = sim.createLaunchTemplate({ name: 'solo', imageId: 'ami-1' });
    const tg = sim.createTargetGroup({ name: 'solo' });
    sim.createAutoScalingGroup({
      name: 'solo',
      launchTemplate: { id: lt.id, version: '1' },
      min: 1,
      max: 1,
      desired: 1,
      targetGroupArns: [tg],
    });
    const { elbv2 } = sim.clients();
    const out = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }));
    expect(out.TargetHealthDescriptions?.[0]?.TargetHealth).toEqual({
      State: 'unused',
      Reason: 'Target.NotInUse',
      Description: 'Target group is not configured to receive traffic from the load balancer',
    });
    // Once a listener forwards to it, health checks start from scratch.
    const lb = sim.createLoadBalancer({ name: 'solo' });
    sim.createListener({
      loadBalancerArn: lb,
      port: 80,
      defaultActions: [{ Type: 'forward', TargetGroupArn: tg }],
    });
    expect(Object.values(sim.targetStates(tg))).toEqual(['initial']);
    sim.clock.advance(30 * S);
    expect(Object.values(sim.targetStates(tg))).toEqual(['healthy']);
  });

  it('DescribeInstanceRefreshes is empty until a refresh is started', async () => {
    const f = blueGreenFixture();
    const { autoScaling } = f.sim.clients();
    const none = await autoScaling.send(
      new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: f.blueGroup }),
    );
    expect(none.InstanceRefreshes).toEqual([]);
    const id = f.sim.startInstanceRefreshForTest(f.blueGroup);
    const one = await autoScaling.send(
      new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: f.blueGroup }),
    );
    expect(one.InstanceRefreshes).toEqual([
      expect.objectContaining({
        InstanceRefreshId: id,
        Status: 'InProgress',
        PercentageComplete: 0,
        InstancesToUpdate: 4,
      }),
    ]);
  });
});
