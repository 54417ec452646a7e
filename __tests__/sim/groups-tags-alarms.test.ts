import {
  CreateOrUpdateTagsCommand,
  DeleteTagsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeTagsCommand,
  LimitExceededFault,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeAlarmsCommand, ResourceNotFound, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { blueGreenFixture } from '../../sim/index.js';

describe('UpdateAutoScalingGroup validation', () => {
  it('refuses a desired capacity outside [min, max] after the merge, as AWS does, and changes nothing', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const { autoScaling } = f.sim.clients();
    await expect(
      autoScaling.send(
        new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: f.blueGroup, DesiredCapacity: 3 }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: 'Desired capacity:3 must be between the specified min size:2 and max size:2',
    });
    await expect(
      autoScaling.send(
        new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: f.blueGroup, MinSize: 5, MaxSize: 4 }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Max bound, 4, must be greater than or equal to min bound, 5',
    });
    await expect(
      autoScaling.send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: f.blueGroup,
          LaunchTemplate: { LaunchTemplateId: f.launchTemplateId, Version: '42' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(
      autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'nope', MinSize: 0 })),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    expect(f.sim.calls).toHaveLength(4); // client errors are not retried
    expect(f.sim.group(f.blueGroup)).toMatchObject({
      min: 2,
      max: 2,
      desired: 2,
      launchTemplate: { version: '1' },
    });
  });

  it('a new MinSize above (or MaxSize below) the desired capacity implicitly moves it', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const { autoScaling } = f.sim.clients();
    await autoScaling.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: f.greenGroup, MaxSize: 4, MinSize: 3 }),
    );
    expect(f.sim.group(f.greenGroup)).toMatchObject({ min: 3, max: 4, desired: 3 });
    await autoScaling.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: f.greenGroup, MinSize: 0, MaxSize: 1 }),
    );
    expect(f.sim.group(f.greenGroup)).toMatchObject({ min: 0, max: 1, desired: 1 });
  });
});

describe('Auto Scaling group tags', () => {
  it('creates, updates, filters and deletes tags; they show on the group', async () => {
    const f = blueGreenFixture();
    const { autoScaling } = f.sim.clients();
    const tag = (Key: string, Value: string) => ({
      ResourceId: f.blueGroup,
      ResourceType: 'auto-scaling-group',
      Key,
      Value,
      PropagateAtLaunch: false,
    });
    await autoScaling.send(
      new CreateOrUpdateTagsCommand({
        Tags: [tag('asg-deploy:record', '{"v":1}'), tag('asg-deploy:lock', 'run-1')],
      }),
    );
    await autoScaling.send(new CreateOrUpdateTagsCommand({ Tags: [tag('asg-deploy:record', '{"v":2}')] }));
    const described = await autoScaling.send(
      new DescribeTagsCommand({
        Filters: [
          { Name: 'auto-scaling-group', Values: [f.blueGroup] },
          { Name: 'key', Values: ['asg-deploy:record'] },
        ],
      }),
    );
    expect(described.Tags).toEqual([tag('asg-deploy:record', '{"v":2}')]);
    const groups = await autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [f.blueGroup] }),
    );
    expect(groups.AutoScalingGroups?.[0]?.Tags?.map((t) => t.Key)).toEqual([
      'asg-deploy:lock',
      'asg-deploy:record',
    ]);
    await autoScaling.send(new DeleteTagsCommand({ Tags: [{ ...tag('asg-deploy:lock', '') }] }));
    expect(f.sim.groupTags(f.blueGroup)).toEqual({ 'asg-deploy:record': '{"v":2}' });
  });

  it('enforces the value length and the 50-tag limit', async () => {
    const f = blueGreenFixture();
    const { autoScaling } = f.sim.clients();
    const tag = (Key: string, Value: string) => ({
      ResourceId: f.blueGroup,
      ResourceType: 'auto-scaling-group',
      Key,
      Value,
    });
    await expect(
      autoScaling.send(new CreateOrUpdateTagsCommand({ Tags: [tag('big', 'x'.repeat(257))] })),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    const fifty = Array.from({ length: 50 }, (_, i) => tag(`k${i}`, 'v'));
    await autoScaling.send(new CreateOrUpdateTagsCommand({ Tags: fifty }));
    await expect(
      autoScaling.send(new CreateOrUpdateTagsCommand({ Tags: [tag('one-more', 'v')] })),
    ).rejects.toBeInstanceOf(LimitExceededFault);
    expect(Object.keys(f.sim.groupTags(f.blueGroup))).toHaveLength(50);
  });
});

describe('CloudWatch alarms', () => {
  it('describes alarm states, follows SetAlarmState and scheduled changes', async () => {
    const f = blueGreenFixture();
    f.sim.createAlarm('app-5xx');
    f.sim.createAlarm('app-latency', 'INSUFFICIENT_DATA');
    const { cloudWatch } = f.sim.clients();
    const states = async () =>
      (
        await cloudWatch.send(
          new DescribeAlarmsCommand({ AlarmNames: ['app-5xx', 'app-latency', 'missing'] }),
        )
      ).MetricAlarms?.map((a) => [a.AlarmName, a.StateValue]);
    expect(await states()).toEqual([
      ['app-5xx', 'OK'],
      ['app-latency', 'INSUFFICIENT_DATA'],
    ]);
    f.sim.setAlarmState('app-5xx', 'ALARM', f.sim.clock.now() + 60_000);
    f.sim.clock.advance(59_000);
    expect(await states()).toEqual([
      ['app-5xx', 'OK'],
      ['app-latency', 'INSUFFICIENT_DATA'],
    ]);
    f.sim.clock.advance(1_000);
    expect(f.sim.alarmState('app-5xx')).toBe('ALARM');
    await cloudWatch.send(
      new SetAlarmStateCommand({ AlarmName: 'app-5xx', StateValue: 'OK', StateReason: 'manual' }),
    );
    expect(await states()).toEqual([
      ['app-5xx', 'OK'],
      ['app-latency', 'INSUFFICIENT_DATA'],
    ]);
    await expect(
      cloudWatch.send(new SetAlarmStateCommand({ AlarmName: 'missing', StateValue: 'OK', StateReason: 'x' })),
    ).rejects.toBeInstanceOf(ResourceNotFound);
    await expect(
      cloudWatch.send(
        new DescribeAlarmsCommand({ AlarmNames: Array.from({ length: 101 }, (_, i) => `a${i}`) }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
  });
});

describe('blueGreenFixture', () => {
  it('builds the documented world', () => {
    const f = blueGreenFixture({ instances: 3, listeners: 3, rules: 2, greenDesired: 1 });
    expect([f.goodVersion, f.newVersion, f.badVersion]).toEqual([1, 2, 3]);
    expect(f.sim.launchTemplateVersions(f.launchTemplateId)).toEqual([1, 2, 3]);
    expect(f.sim.group(f.blueGroup)).toMatchObject({
      min: 3,
      max: 3,
      desired: 3,
      launchTemplate: { version: '1' },
    });
    expect(f.sim.group(f.greenGroup)).toMatchObject({ min: 1, max: 1, desired: 1 });
    expect(Object.values(f.sim.targetStates(f.blueTargetGroupArn))).toEqual([
      'healthy',
      'healthy',
      'healthy',
    ]);
    expect(Object.values(f.sim.targetStates(f.greenTargetGroupArn))).toEqual(['healthy']);
    expect(f.listenerArns).toHaveLength(3);
    expect(f.ruleArns).toHaveLength(2);
    expect(f.sim.calls).toEqual([]);
    expect(f.sim.clock.pendingEvents()).toBe(0);
  });
});
