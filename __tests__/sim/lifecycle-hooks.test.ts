import {
  CompleteLifecycleActionCommand,
  DescribeLifecycleHooksCommand,
  EnterStandbyCommand,
  ExitStandbyCommand,
  PutLifecycleHookCommand,
  RecordLifecycleActionHeartbeatCommand,
  SetInstanceProtectionCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { blueGreenFixture } from '../../sim/index.js';

const S = 1000;
const LAUNCHING = 'autoscaling:EC2_INSTANCE_LAUNCHING';

async function withHook(
  hook: { HeartbeatTimeout?: number; DefaultResult?: string; transition?: string } = {},
) {
  const f = blueGreenFixture();
  const { autoScaling } = f.sim.clients();
  await autoScaling.send(
    new PutLifecycleHookCommand({
      AutoScalingGroupName: f.greenGroup,
      LifecycleHookName: 'boot',
      LifecycleTransition: hook.transition ?? LAUNCHING,
      ...(hook.HeartbeatTimeout !== undefined && { HeartbeatTimeout: hook.HeartbeatTimeout }),
      ...(hook.DefaultResult !== undefined && { DefaultResult: hook.DefaultResult }),
    }),
  );
  const scale = (desired: number) =>
    autoScaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: f.greenGroup,
        LaunchTemplate: { LaunchTemplateId: f.launchTemplateId, Version: String(f.newVersion) },
        MinSize: desired,
        MaxSize: desired,
        DesiredCapacity: desired,
      }),
    );
  const lifecycles = () => f.sim.group(f.greenGroup).instances.map((i) => i.lifecycle);
  return { f, autoScaling, scale, lifecycles };
}

describe('lifecycle hooks in the simulator', () => {
  it("PutLifecycleHook takes AWS's defaults (heartbeat 3600 s, ABANDON); DescribeLifecycleHooks lists them", async () => {
    const { f, autoScaling } = await withHook();
    const out = await autoScaling.send(
      new DescribeLifecycleHooksCommand({ AutoScalingGroupName: f.greenGroup }),
    );
    expect(out.LifecycleHooks).toEqual([
      {
        LifecycleHookName: 'boot',
        AutoScalingGroupName: f.greenGroup,
        LifecycleTransition: LAUNCHING,
        HeartbeatTimeout: 3600,
        GlobalTimeout: 172_800,
        DefaultResult: 'ABANDON',
      },
    ]);
    const blue = await autoScaling.send(
      new DescribeLifecycleHooksCommand({ AutoScalingGroupName: f.blueGroup }),
    );
    expect(blue.LifecycleHooks).toEqual([]);
    await expect(
      autoScaling.send(
        new PutLifecycleHookCommand({
          AutoScalingGroupName: f.greenGroup,
          LifecycleHookName: 'x',
          LifecycleTransition: LAUNCHING,
          HeartbeatTimeout: 10,
        }),
      ),
    ).rejects.toThrow(/HeartbeatTimeout must be between 30 and 7200/);
  });

  it('holds a new instance in Pending:Wait, unregistered, until CONTINUE; then InService and registered', async () => {
    const { f, autoScaling, scale, lifecycles } = await withHook({ HeartbeatTimeout: 300 });
    await scale(1);
    expect(lifecycles()).toEqual(['Pending:Wait']);
    expect(f.sim.activities(f.greenGroup)[0]?.status).toBe('MidLifecycleAction');
    f.sim.clock.advance(120 * S); // booted long ago, still held
    expect(lifecycles()).toEqual(['Pending:Wait']);
    expect(f.sim.targetStates(f.greenTargetGroupArn)).toEqual({});
    const id = f.sim.group(f.greenGroup).instances[0]!.id;
    await autoScaling.send(
      new CompleteLifecycleActionCommand({
        AutoScalingGroupName: f.greenGroup,
        LifecycleHookName: 'boot',
        InstanceId: id,
        LifecycleActionResult: 'CONTINUE',
      }),
    );
    expect(lifecycles()).toEqual(['InService']);
    expect(f.sim.targetStates(f.greenTargetGroupArn)).toEqual({ [id]: 'initial' });
    expect(f.sim.activities(f.greenGroup)[0]?.status).toBe('Successful');
    await expect(
      autoScaling.send(
        new CompleteLifecycleActionCommand({
          AutoScalingGroupName: f.greenGroup,
          LifecycleHookName: 'boot',
          InstanceId: id,
          LifecycleActionResult: 'CONTINUE',
        }),
      ),
    ).rejects.toThrow(`No active Lifecycle Action found with instance ID ${id}`);
  });

  it('CONTINUE before the boot ends: Pending:Proceed, InService once booted', async () => {
    const { f, autoScaling, scale, lifecycles } = await withHook();
    await scale(1);
    const id = f.sim.group(f.greenGroup).instances[0]!.id;
    f.sim.clock.advance(5 * S);
    await autoScaling.send(
      new CompleteLifecycleActionCommand({
        AutoScalingGroupName: f.greenGroup,
        LifecycleHookName: 'boot',
        InstanceId: id,
        LifecycleActionResult: 'CONTINUE',
      }),
    );
    expect(lifecycles()).toEqual(['Pending:Proceed']);
    f.sim.clock.advance(25 * S);
    expect(lifecycles()).toEqual(['InService']);
  });

  it("ABANDON: the launch is Cancelled with AWS's message, the instance is gone and a replacement launches", async () => {
    const { f, autoScaling, scale, lifecycles } = await withHook();
    await scale(1);
    const first = f.sim.group(f.greenGroup).instances[0]!.id;
    await autoScaling.send(
      new CompleteLifecycleActionCommand({
        AutoScalingGroupName: f.greenGroup,
        LifecycleHookName: 'boot',
        InstanceId: first,
        LifecycleActionResult: 'ABANDON',
      }),
    );
    const [replacement, cancelled] = f.sim.activities(f.greenGroup);
    expect(cancelled?.status).toBe('Cancelled');
    expect(cancelled?.statusMessage).toMatch(
      /^Instance failed to complete user's Lifecycle Action: Lifecycle Action with token [0-9a-f-]{36} was abandoned: Lifecycle Action Completed with ABANDON Result$/,
    );
    expect(cancelled?.description).toMatch(
      new RegExp(`^Launching a new EC2 instance: ${first}\\.  Status Reason: Instance failed`),
    );
    expect(replacement).toMatchObject({ status: 'MidLifecycleAction' });
    const ids = f.sim.group(f.greenGroup).instances.map((i) => i.id);
    expect(ids).toHaveLength(1);
    expect(ids).not.toContain(first);
    expect(lifecycles()).toEqual(['Pending:Wait']);
  });

  it('the heartbeat timeout applies DefaultResult; RecordLifecycleActionHeartbeat restarts it', async () => {
    const { f, autoScaling, scale, lifecycles } = await withHook({ HeartbeatTimeout: 60 });
    await scale(1);
    const id = f.sim.group(f.greenGroup).instances[0]!.id;
    f.sim.clock.advance(50 * S);
    await autoScaling.send(
      new RecordLifecycleActionHeartbeatCommand({
        AutoScalingGroupName: f.greenGroup,
        LifecycleHookName: 'boot',
        InstanceId: id,
      }),
    );
    f.sim.clock.advance(59 * S); // 109 s after launch: past the first heartbeat, not the second
    expect(f.sim.group(f.greenGroup).instances.map((i) => i.id)).toEqual([id]);
    f.sim.clock.advance(1 * S);
    expect(f.sim.group(f.greenGroup).instances.map((i) => i.id)).not.toContain(id);
    expect(f.sim.activities(f.greenGroup)[1]?.statusMessage).toMatch(/was abandoned: Heartbeat Timeout$/);
    expect(lifecycles()).toEqual(['Pending:Wait']);
  });

  it('DefaultResult CONTINUE: the timeout lets the instance in', async () => {
    const { f, scale, lifecycles } = await withHook({ HeartbeatTimeout: 60, DefaultResult: 'CONTINUE' });
    await scale(1);
    f.sim.clock.advance(60 * S);
    expect(lifecycles()).toEqual(['InService']);
  });

  it('a terminating hook holds Terminating:Wait (deregistered) until completed', async () => {
    const { f, autoScaling, lifecycles } = await withHook({
      transition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      HeartbeatTimeout: 120,
    });
    const blueLike = f.sim.group(f.greenGroup); // green starts empty: grow it, then shrink
    expect(blueLike.instances).toEqual([]);
    await autoScaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: f.greenGroup,
        MinSize: 0,
        MaxSize: 1,
        DesiredCapacity: 1,
      }),
    );
    f.sim.settle();
    const id = f.sim.group(f.greenGroup).instances[0]!.id;
    await autoScaling.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: f.greenGroup, DesiredCapacity: 0 }),
    );
    expect(lifecycles()).toEqual(['Terminating:Wait']);
    f.sim.clock.advance(100 * S);
    expect(lifecycles()).toEqual(['Terminating:Wait']);
    await autoScaling.send(
      new CompleteLifecycleActionCommand({
        AutoScalingGroupName: f.greenGroup,
        LifecycleHookName: 'boot',
        InstanceId: id,
        LifecycleActionResult: 'CONTINUE',
      }),
    );
    f.sim.settle();
    expect(lifecycles()).toEqual([]);
  });

  it('SetInstanceProtection, EnterStandby and ExitStandby', async () => {
    const f = blueGreenFixture();
    const { autoScaling } = f.sim.clients();
    const [a, b] = f.sim.group(f.blueGroup).instances.map((i) => i.id);
    await autoScaling.send(
      new SetInstanceProtectionCommand({
        AutoScalingGroupName: f.blueGroup,
        InstanceIds: [a!],
        ProtectedFromScaleIn: true,
      }),
    );
    expect(f.sim.group(f.blueGroup).instances.find((i) => i.id === a)?.protectedFromScaleIn).toBe(true);
    await expect(
      autoScaling.send(
        new EnterStandbyCommand({
          AutoScalingGroupName: f.blueGroup,
          InstanceIds: [b!],
          ShouldDecrementDesiredCapacity: true,
        }),
      ),
    ).rejects.toThrow(/below the group's minimum size/);
    await autoScaling.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: f.blueGroup, MinSize: 0 }),
    );
    const desired = f.sim.group(f.blueGroup).desired;
    await autoScaling.send(
      new EnterStandbyCommand({
        AutoScalingGroupName: f.blueGroup,
        InstanceIds: [b!],
        ShouldDecrementDesiredCapacity: true,
      }),
    );
    expect(f.sim.group(f.blueGroup).instances.find((i) => i.id === b)?.lifecycle).toBe('Standby');
    expect(f.sim.group(f.blueGroup).desired).toBe(desired - 1);
    expect(f.sim.targetStates(f.blueTargetGroupArn)[b!]).toBe('draining');
    await autoScaling.send(new ExitStandbyCommand({ AutoScalingGroupName: f.blueGroup, InstanceIds: [b!] }));
    expect(f.sim.group(f.blueGroup).instances.find((i) => i.id === b)?.lifecycle).toBe('InService');
    expect(f.sim.group(f.blueGroup).desired).toBe(desired);
    await expect(
      autoScaling.send(new ExitStandbyCommand({ AutoScalingGroupName: f.blueGroup, InstanceIds: [b!] })),
    ).rejects.toThrow(`The instance ${b!} is not in Standby.`);
  });
});
