import {
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeListenersCommand, ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { blueGreenFixture } from '../../sim/index.js';

describe('fault injection through the SDK retry loop', () => {
  it('a throttle is retried by the SDK: two attempts recorded, the second succeeds', async () => {
    const f = blueGreenFixture();
    const { autoScaling } = f.sim.clients();
    f.sim.injectFault({ atCall: 1, kind: 'throttle' });
    const out = await autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [f.blueGroup] }),
    );
    expect(out.AutoScalingGroups).toHaveLength(1);
    expect(out.$metadata.attempts).toBe(2);
    expect(f.sim.calls.map((c) => [c.seq, c.service, c.command, c.fault])).toEqual([
      [1, 'autoscaling', 'DescribeAutoScalingGroups', 'throttle'],
      [2, 'autoscaling', 'DescribeAutoScalingGroups', undefined],
    ]);
    expect(f.sim.calls[0]?.input).toEqual({ AutoScalingGroupNames: [f.blueGroup] });
    expect(f.sim.calls[0]?.at).toBe(f.sim.clock.now());
  });

  it('a server error on a write is retried and applied once', async () => {
    const f = blueGreenFixture();
    const { autoScaling } = f.sim.clients();
    f.sim.injectFault({ atCall: 1, kind: 'server-error', repeat: 2 });
    await autoScaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: f.greenGroup,
        MaxSize: 2,
        DesiredCapacity: 2,
      }),
    );
    expect(f.sim.writes().map((c) => c.fault)).toEqual(['server-error', 'server-error', undefined]);
    expect(f.sim.group(f.greenGroup).instances).toHaveLength(2);
  });

  it('a lost response applies the command, then the SDK retries it (applied twice)', async () => {
    const f = blueGreenFixture();
    const { elbv2 } = f.sim.clients();
    f.sim.injectFault({ atCall: 1, kind: 'lost-response' });
    const actions = [{ Type: 'forward' as const, TargetGroupArn: f.greenTargetGroupArn }];
    await elbv2.send(new ModifyListenerCommand({ ListenerArn: f.listenerArns[0], DefaultActions: actions }));
    expect(f.sim.writes().map((c) => [c.command, c.fault])).toEqual([
      ['ModifyListener', 'lost-response'],
      ['ModifyListener', undefined],
    ]);
    expect(f.sim.listenerActions(f.listenerArns[0] as string)[0]?.TargetGroupArn).toBe(f.greenTargetGroupArn);
  });

  it('a timeout costs virtual time, is not applied, and is retried by the SDK', async () => {
    const f = blueGreenFixture();
    const { elbv2 } = f.sim.clients();
    const start = f.sim.clock.now();
    f.sim.injectFault({ atCall: 1, kind: 'timeout' });
    const actions = [{ Type: 'forward' as const, TargetGroupArn: f.greenTargetGroupArn }];
    const out = await elbv2.send(
      new ModifyListenerCommand({ ListenerArn: f.listenerArns[0], DefaultActions: actions }),
    );
    expect(out.$metadata.attempts).toBe(2);
    expect(f.sim.writes().map((c) => [c.command, c.fault, c.at - start])).toEqual([
      ['ModifyListener', 'timeout', 0],
      ['ModifyListener', undefined, 5_000],
    ]);
  });

  it('faults beyond maxAttempts surface as the AWS error', async () => {
    const f = blueGreenFixture();
    const { elbv2 } = f.sim.clients({ maxAttempts: 3 });
    f.sim.injectFault({ atCall: 1, kind: 'throttle', repeat: 5 });
    const err = await elbv2
      .send(new DescribeListenersCommand({ ListenerArns: f.listenerArns }))
      .catch((e: unknown) => e as Error & { $metadata: { attempts?: number } });
    expect(err).toMatchObject({
      name: 'Throttling',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, attempts: 3 },
    });
    expect(f.sim.calls).toHaveLength(3);
  });

  it('counts attempts across services, and only reads are not writes', async () => {
    const f = blueGreenFixture();
    const { autoScaling, elbv2 } = f.sim.clients();
    f.sim.injectFault({ atCall: 2, kind: 'throttle' });
    await autoScaling.send(new DescribeAutoScalingGroupsCommand({}));
    await elbv2.send(new DescribeListenersCommand({ ListenerArns: f.listenerArns }));
    await autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: f.greenGroup }));
    expect(
      f.sim.calls.map((c) => `${c.seq}:${c.command}:${c.fault ?? '-'}:${c.mutating ? 'w' : 'r'}`),
    ).toEqual([
      '1:DescribeAutoScalingGroups:-:r',
      '2:DescribeListeners:throttle:r',
      '3:DescribeListeners:-:r',
      '4:UpdateAutoScalingGroup:-:w',
    ]);
    expect(f.sim.writes().map((c) => c.seq)).toEqual([4]);
  });

  it('an unsimulated command fails loudly, naming it, without retries', async () => {
    const f = blueGreenFixture();
    const { ec2 } = f.sim.clients();
    await expect(ec2.send(new DescribeInstancesCommand({}))).rejects.toThrow(
      'SimAws: ec2 DescribeInstances is not simulated',
    );
    expect(f.sim.calls).toHaveLength(1);
  });
});
