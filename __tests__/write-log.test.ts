import {
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { type SentWrite, targetOf } from '../src/aws/write-log.js';
import { blueGreenFixture } from '../sim/index.js';

function recorded() {
  const f = blueGreenFixture({ instances: 2 });
  const writes: SentWrite[] = [];
  const clients = f.sim.clients({ onWrite: (w) => writes.push(w) });
  return { f, writes, clients };
}

test('one entry per write sent, after the SDK retries, naming the target and never the body; reads are not recorded', async () => {
  const { f, writes, clients } = recorded();
  f.sim.injectFault({ atCall: 2, kind: 'throttle', repeat: 2 });
  await clients.autoScaling.send(new DescribeAutoScalingGroupsCommand({}));
  await clients.elbv2.send(
    new ModifyListenerCommand({
      ListenerArn: f.listenerArns[0]!,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: f.blueTargetGroupArn }],
    }),
  );
  expect(writes).toEqual([
    {
      service: 'elbv2',
      action: 'ModifyListener',
      target: f.listenerArns[0],
      at: f.sim.clock.now(),
      ok: true,
    },
  ]);
});

test('a refused write is recorded as refused, with the error name only', async () => {
  const { writes, clients } = recorded();
  await expect(
    clients.autoScaling.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'no-such-group', MinSize: 1 }),
    ),
  ).rejects.toThrow();
  expect(writes).toHaveLength(1);
  expect(writes[0]).toMatchObject({ action: 'UpdateAutoScalingGroup', target: 'no-such-group', ok: false });
  expect(writes[0]?.error).toMatch(/^\w+$/);
});

test('targets: the identifier the input names, tagged resources for tag commands', () => {
  expect(targetOf({ RuleArn: 'arn:rule', ListenerArn: 'arn:listener', Actions: [] })).toBe('arn:rule');
  expect(
    targetOf({
      Tags: [
        { ResourceId: 'app-blue', Key: 'k', Value: 'secret-ish' },
        { ResourceId: 'app-green', Key: 'k' },
        { ResourceId: 'app-blue', Key: 'k2' },
      ],
    }),
  ).toBe('app-blue, app-green');
  expect(targetOf({ LaunchTemplateId: 'lt-1', LaunchTemplateData: { UserData: 'x' } })).toBe('lt-1');
  expect(targetOf(undefined)).toBe('-');
});
