/**
 * The project's moto world (test/moto/server.py) does what the action's tests
 * need and moto lacks, proved through the SDK against the launcher:
 * target health that takes time, target groups held unhealthy, scale-in that
 * drains, a launch that fails with AWS's activity and message, lifecycle hooks
 * that hold instances in Pending:Wait, a MixedInstancesPolicy kept by an update
 * and taken by an Instance Refresh, DeleteLaunchTemplateVersions, ClientToken
 * idempotency, several regions from one server, writes refused as AWS refuses
 * them (failingWrites), and switches reset with moto.
 */
import {
  AutoScalingClient,
  CompleteLifecycleActionCommand,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribeScalingActivitiesCommand,
  PutLifecycleHookCommand,
  StartInstanceRefreshCommand,
  UpdateAutoScalingGroupCommand,
  type MixedInstancesPolicy,
} from '@aws-sdk/client-auto-scaling';
import {
  CreateLaunchTemplateVersionCommand,
  DeleteLaunchTemplateVersionsCommand,
  DescribeLaunchTemplateVersionsCommand,
} from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeTargetHealthCommand,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { buildInfrastructure, type Infrastructure } from './fixture.js';
import { describeWithMoto, useMoto } from './use-moto.js';

const TEST_TIMEOUT = 30_000;
const MISSING_IMAGE = 'ami-0123456789abcdef0';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const describeE2E = describeWithMoto('moto world', { bundle: false });

describeE2E('the moto world of test/moto/server.py', () => {
  const world = useMoto();

  const targets = async (targetGroupArn: string) => {
    const { TargetHealthDescriptions = [] } = await world.aws.elbv2.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }),
    );
    return TargetHealthDescriptions.map((t) => ({
      id: t.Target?.Id,
      state: t.TargetHealth?.State,
      reason: t.TargetHealth?.Reason,
    }));
  };
  const group = async (name: string) => {
    const { AutoScalingGroups = [] } = await world.aws.autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
    );
    const found = AutoScalingGroups[0];
    if (!found) throw new Error(`no group ${name}`);
    return found;
  };
  const scale = (name: string, size: number, version?: string, infra?: Infrastructure) =>
    world.aws.autoScaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: name,
        MinSize: size,
        MaxSize: size,
        DesiredCapacity: size,
        ...(version && infra
          ? { LaunchTemplate: { LaunchTemplateId: infra.launchTemplate.id, Version: version } }
          : {}),
      }),
    );
  const activities = async (name: string) =>
    (await world.aws.autoScaling.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: name })))
      .Activities ?? [];
  /** Polls until `done` (real time: this is moto's clock), failing after `withinMs`. */
  const waitFor = async <T>(read: () => Promise<T>, done: (value: T) => boolean, withinMs: number) => {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline)
        throw new Error(`not reached within ${withinMs} ms: ${JSON.stringify(value)}`);
      await sleep(200);
    }
  };

  it(
    'health takes time: new targets are initial (Elb.RegistrationInProgress) for healthSeconds, then healthy',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint, { name: 'w-health' });
      await world.moto.setSwitches({ healthSeconds: 2 });
      const registeredAt = Date.now();
      await scale(infra.autoScalingGroups.green, 2);
      const first = await targets(infra.targetGroupArns.green);
      expect(first).toHaveLength(2);
      expect(first.map((t) => [t.state, t.reason])).toEqual([
        ['initial', 'Elb.RegistrationInProgress'],
        ['initial', 'Elb.RegistrationInProgress'],
      ]);
      await waitFor(
        () => targets(infra.targetGroupArns.green),
        (all) => all.every((t) => t.state === 'healthy'),
        6_000,
      );
      expect(Date.now() - registeredAt).toBeGreaterThanOrEqual(1_800);
      // the fixture's blue targets were registered before the switch: not affected
      expect((await targets(infra.targetGroupArns.blue)).map((t) => t.state)).toEqual(['healthy', 'healthy']);
    },
    TEST_TIMEOUT,
  );

  it(
    'a target group named in unhealthyTargetGroups stays unhealthy; a reset puts the switches back',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint, { name: 'w-sick' });
      await world.moto.setSwitches({ unhealthyTargetGroups: [infra.targetGroupNames.blue] });
      await sleep(500);
      const blue = await targets(infra.targetGroupArns.blue);
      expect(blue.map((t) => [t.state, t.reason])).toEqual([
        ['unhealthy', 'Target.FailedHealthChecks'],
        ['unhealthy', 'Target.FailedHealthChecks'],
      ]);
      await world.moto.reset();
      expect((await world.moto.setSwitches({})).unhealthyTargetGroups).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'scale-in deregisters the removed instance: draining (Target.DeregistrationInProgress) for the delay, then gone',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint, { name: 'w-drain' });
      await world.moto.setSwitches({ drainSeconds: 1 });
      await scale(infra.autoScalingGroups.blue, 1);
      const [kept] = (await group(infra.autoScalingGroups.blue)).Instances ?? [];
      const during = await targets(infra.targetGroupArns.blue);
      expect(during).toHaveLength(2);
      expect(during.find((t) => t.id === kept?.InstanceId)?.state).toBe('healthy');
      expect(during.find((t) => t.id !== kept?.InstanceId)).toMatchObject({
        state: 'draining',
        reason: 'Target.DeregistrationInProgress',
      });
      const after = await waitFor(
        () => targets(infra.targetGroupArns.blue),
        (all) => all.length === 1,
        4_000,
      );
      expect(after).toEqual([{ id: kept?.InstanceId, state: 'healthy', reason: undefined }]);
      const [terminated] = await activities(infra.autoScalingGroups.blue);
      expect(terminated?.Description).toMatch(/^Terminating EC2 instance: i-/);
      expect(terminated?.Cause).toMatch(/shrinking the capacity from 2 to 1\.$/);
    },
    TEST_TIMEOUT,
  );

  it(
    "a launch from an image that does not exist is a Failed activity with AWS's message, and no instance",
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint, { name: 'w-ami' });
      const created = await world.aws.ec2.send(
        new CreateLaunchTemplateVersionCommand({
          LaunchTemplateId: infra.launchTemplate.id,
          SourceVersion: '1',
          LaunchTemplateData: { ImageId: MISSING_IMAGE },
        }),
      );
      const version = String(created.LaunchTemplateVersion?.VersionNumber);
      await scale(infra.autoScalingGroups.green, 2, version, infra);
      expect((await group(infra.autoScalingGroups.green)).Instances).toEqual([]);
      const [failed] = await activities(infra.autoScalingGroups.green);
      const message = `The image id '[${MISSING_IMAGE}]' does not exist. Launching EC2 instance failed.`;
      expect(failed).toMatchObject({ StatusCode: 'Failed', StatusMessage: message, Progress: 100 });
      expect(failed?.Description).toBe(`Launching a new EC2 instance.  Status Reason: ${message}`);
      expect(failed?.Cause).toMatch(/increasing the capacity from 0 to 2\.$/);

      // the failingImages switch fails an image moto knows, the same way
      await world.moto.setSwitches({ failingImages: [infra.imageIds.v2] });
      await scale(infra.autoScalingGroups.blue, 3, '2', infra);
      const [again] = await activities(infra.autoScalingGroups.blue);
      expect(again?.StatusMessage).toBe(
        `The image id '[${infra.imageIds.v2}]' does not exist. Launching EC2 instance failed.`,
      );
    },
    TEST_TIMEOUT,
  );

  it(
    'a launching lifecycle hook holds instances in Pending:Wait, unregistered, until CompleteLifecycleAction or the heartbeat timeout',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint, { name: 'w-hook' });
      const green = infra.autoScalingGroups.green;
      await world.aws.autoScaling.send(
        new PutLifecycleHookCommand({
          AutoScalingGroupName: green,
          LifecycleHookName: 'boot',
          LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
          HeartbeatTimeout: 3, // AWS's minimum is 30 s; moto's world takes a short one for tests
          DefaultResult: 'CONTINUE',
        }),
      );
      await scale(green, 2);
      const held = (await group(green)).Instances ?? [];
      expect(held.map((i) => i.LifecycleState)).toEqual(['Pending:Wait', 'Pending:Wait']);
      expect(await targets(infra.targetGroupArns.green)).toEqual([]);
      const [first, second] = held.map((i) => i.InstanceId ?? '');
      await world.aws.autoScaling.send(
        new CompleteLifecycleActionCommand({
          AutoScalingGroupName: green,
          LifecycleHookName: 'boot',
          LifecycleActionResult: 'CONTINUE',
          InstanceId: first,
        }),
      );
      const states = async () =>
        Object.fromEntries(
          ((await group(green)).Instances ?? []).map((i) => [i.InstanceId ?? '', i.LifecycleState] as const),
        );
      expect(await states()).toEqual({ [first!]: 'InService', [second!]: 'Pending:Wait' });
      expect((await targets(infra.targetGroupArns.green)).map((t) => t.id)).toEqual([first]);
      // the second is released by the heartbeat timeout, with the hook's default result
      await waitFor(states, (all) => all[second!] === 'InService', 6_000);
      expect((await targets(infra.targetGroupArns.green)).map((t) => t.id).sort()).toEqual(
        [first, second].sort(),
      );
      await expect(
        world.aws.autoScaling.send(
          new CompleteLifecycleActionCommand({
            AutoScalingGroupName: green,
            LifecycleHookName: 'boot',
            LifecycleActionResult: 'CONTINUE',
            InstanceId: first,
          }),
        ),
      ).rejects.toThrow(`No active Lifecycle Action found with instance ID ${first!}`);
    },
    TEST_TIMEOUT,
  );

  it(
    'an update that names no MixedInstancesPolicy keeps it; an Instance Refresh with one makes it the group’s',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint, { name: 'w-mip' });
      await world.moto.setSwitches({ refreshSeconds: 1 });
      const policy = (version: string): MixedInstancesPolicy => ({
        LaunchTemplate: {
          LaunchTemplateSpecification: { LaunchTemplateId: infra.launchTemplate.id, Version: version },
          Overrides: [{ InstanceType: 't3.micro' }, { InstanceType: 't3.small' }],
        },
        InstancesDistribution: { OnDemandBaseCapacity: 1, OnDemandPercentageAboveBaseCapacity: 50 },
      });
      const name = `${infra.name}-mixed`;
      await world.aws.autoScaling.send(
        new CreateAutoScalingGroupCommand({
          AutoScalingGroupName: name,
          MixedInstancesPolicy: policy('1'),
          MinSize: 1,
          MaxSize: 4,
          DesiredCapacity: 1,
          VPCZoneIdentifier: infra.subnetIds.join(','),
        }),
      );
      await world.aws.autoScaling.send(
        new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, DesiredCapacity: 2, MaxSize: 5 }),
      );
      const kept = (await group(name)).MixedInstancesPolicy;
      expect(kept?.LaunchTemplate?.Overrides?.map((o) => o.InstanceType)).toEqual(['t3.micro', 't3.small']);
      expect(kept?.LaunchTemplate?.LaunchTemplateSpecification?.Version).toBe('1');
      expect(kept?.InstancesDistribution?.OnDemandBaseCapacity).toBe(1);

      const { InstanceRefreshId } = await world.aws.autoScaling.send(
        new StartInstanceRefreshCommand({
          AutoScalingGroupName: name,
          DesiredConfiguration: { MixedInstancesPolicy: policy('2') },
          Preferences: { AutoRollback: true },
        }),
      );
      await waitFor(
        async () =>
          (
            await world.aws.autoScaling.send(
              new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: name }),
            )
          ).InstanceRefreshes?.[0]?.Status,
        (status) => status === 'Successful',
        6_000,
      );
      expect(InstanceRefreshId).toBeTruthy();
      const refreshed = (await group(name)).MixedInstancesPolicy;
      expect(refreshed?.LaunchTemplate?.LaunchTemplateSpecification?.Version).toBe('2');
      expect(refreshed?.LaunchTemplate?.Overrides).toHaveLength(2);
    },
    TEST_TIMEOUT,
  );

  it(
    'CreateLaunchTemplateVersion copies its SourceVersion and is idempotent by ClientToken; DeleteLaunchTemplateVersions deletes (the default version refused, as AWS does)',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint, { name: 'w-ltv' });
      const create = (token: string, image: string) =>
        world.aws.ec2.send(
          new CreateLaunchTemplateVersionCommand({
            LaunchTemplateId: infra.launchTemplate.id,
            SourceVersion: '1',
            ClientToken: token,
            LaunchTemplateData: { ImageId: image },
          }),
        );
      const once = await create('deploy-7f3c', infra.imageIds.v2);
      const twice = await create('deploy-7f3c', infra.imageIds.v2);
      expect(once.LaunchTemplateVersion?.VersionNumber).toBe(3);
      expect(twice.LaunchTemplateVersion?.VersionNumber).toBe(3);
      // SourceVersion: the source's parameters, with the request's LaunchTemplateData over them.
      expect(once.LaunchTemplateVersion?.LaunchTemplateData).toMatchObject({
        ImageId: infra.imageIds.v2,
        InstanceType: 't3.micro',
      });
      await expect(create('deploy-7f3c', infra.imageIds.v1)).rejects.toThrow(
        /IdempotentParameterMismatch|client token/,
      );

      const deleted = await world.aws.ec2.send(
        new DeleteLaunchTemplateVersionsCommand({
          LaunchTemplateId: infra.launchTemplate.id,
          Versions: ['3', '1'],
        }),
      );
      expect(deleted.SuccessfullyDeletedLaunchTemplateVersions?.map((v) => v.VersionNumber)).toEqual([3]);
      expect(deleted.UnsuccessfullyDeletedLaunchTemplateVersions?.map((v) => v.VersionNumber)).toEqual([1]);
      const { LaunchTemplateVersions = [] } = await world.aws.ec2.send(
        new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: infra.launchTemplate.id }),
      );
      expect(LaunchTemplateVersions.map((v) => v.VersionNumber).sort()).toEqual([1, 2]);
      const next = await create('deploy-8a1d', infra.imageIds.v2);
      expect(next.LaunchTemplateVersion?.VersionNumber).toBe(4); // numbers are never reused
    },
    TEST_TIMEOUT,
  );

  it(
    'failingWrites: a ModifyListener on one listener refused with AccessDenied (not applied, not retried) `times` times, the other listener written',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint, { name: 'w-deny' });
      const [open, denied] = infra.listenerArns;
      const forwardTo = (targetGroupArn: string) => [
        {
          Type: 'forward' as const,
          ForwardConfig: { TargetGroups: [{ TargetGroupArn: targetGroupArn, Weight: 1 }] },
        },
      ];
      const forwardsOf = async (listenerArn: string) => {
        const { Listeners = [] } = await world.aws.elbv2.send(
          new DescribeListenersCommand({ ListenerArns: [listenerArn] }),
        );
        return (Listeners[0]?.DefaultActions ?? []).flatMap((a) =>
          (a.ForwardConfig?.TargetGroups ?? []).map((g) => g.TargetGroupArn),
        );
      };
      const modify = (listenerArn: string) =>
        world.aws.elbv2.send(
          new ModifyListenerCommand({
            ListenerArn: listenerArn,
            DefaultActions: forwardTo(infra.targetGroupArns.green),
          }),
        );
      const switches = await world.moto.setSwitches({
        failingWrites: [{ action: 'ModifyListener', resource: denied, times: 2 }],
      });
      expect(switches.failingWrites).toEqual([{ action: 'ModifyListener', resource: denied, times: 2 }]);

      for (let i = 0; i < 2; i++) {
        const error = await modify(denied).then(
          () => undefined,
          (e: unknown) =>
            e as { name: string; message: string; $metadata: { httpStatusCode?: number; attempts?: number } },
        );
        expect(error).toMatchObject({
          name: 'AccessDenied',
          message: `User: arn:aws:sts::123456789012:assumed-role/deploy/asg-deploy is not authorized to perform: elasticloadbalancing:ModifyListener on resource: ${denied} with an explicit deny in an identity-based policy`,
          $metadata: { httpStatusCode: 403, attempts: 1 },
        });
        expect(await forwardsOf(denied)).toEqual([infra.targetGroupArns.blue]);
      }
      // the other listener is not matched
      await modify(open);
      expect(await forwardsOf(open)).toEqual([infra.targetGroupArns.green]);
      // spent: the third write goes through
      expect((await world.moto.setSwitches({})).failingWrites).toEqual([
        { action: 'ModifyListener', resource: denied, times: 0 },
      ]);
      await modify(denied);
      expect(await forwardsOf(denied)).toEqual([infra.targetGroupArns.green]);

      // without `times`, every time, with the code and message given; a malformed entry is refused
      await world.moto.setSwitches({
        failingWrites: [{ action: 'ModifyListener', code: 'ResourceInUse', status: 400, message: 'busy' }],
      });
      for (let i = 0; i < 3; i++)
        await expect(modify(open)).rejects.toMatchObject({ name: 'ResourceInUseException', message: 'busy' }); // the SDK's modeled error for the code;
      await expect(
        world.moto.setSwitches({ failingWrites: [{ resource: denied } as never] }),
      ).rejects.toThrow(/failingWrites\[0\]: must be an object with an action \(a string\)/);
      await world.moto.reset();
      expect((await world.moto.setSwitches({})).failingWrites).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'one server serves several regions apart',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint, { name: 'w-region' });
      const europe = new AutoScalingClient({
        region: 'eu-west-1',
        endpoint: world.moto.endpoint,
        credentials: { accessKeyId: 'AKIAE2ETESTEXAMPLE00', secretAccessKey: 'e2e-not-real' },
      });
      try {
        const { AutoScalingGroups = [] } = await europe.send(
          new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [infra.autoScalingGroups.blue] }),
        );
        expect(AutoScalingGroups).toEqual([]);
      } finally {
        europe.destroy();
      }
      expect((await group(infra.autoScalingGroups.blue)).Instances).toHaveLength(2);
    },
    TEST_TIMEOUT,
  );
});
