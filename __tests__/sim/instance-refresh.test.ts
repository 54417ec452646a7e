import { DescribeInstanceRefreshesCommand, StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import { blueGreenFixture } from '../../sim/index.js';

/** Instance Refresh in the simulator: statuses, bounds, refusals. */
describe('simulated Instance Refresh', () => {
  const setup = (instances = 4) => {
    const f = blueGreenFixture({ instances });
    const { autoScaling } = f.sim.clients();
    const describe = async () =>
      (await autoScaling.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: f.blueGroup })))
        .InstanceRefreshes?.[0];
    return { f, autoScaling, describe };
  };

  test('Pending → InProgress → Successful; the group takes the desired configuration only at the end', async () => {
    const { f, autoScaling, describe } = setup(4);
    await autoScaling.send(
      new StartInstanceRefreshCommand({
        AutoScalingGroupName: f.blueGroup,
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: f.launchTemplateId, Version: '2' } },
        Preferences: { MinHealthyPercentage: 50, InstanceWarmup: 0, AutoRollback: true },
      }),
    );
    expect((await describe())?.Status).toBe('Pending');
    const seen = new Set<string>();
    for (let t = 0; t < 600 && (await describe())?.Status !== 'Successful'; t += 5) {
      seen.add((await describe())?.Status ?? '');
      expect(f.sim.group(f.blueGroup).launchTemplate.version).toBe('1');
      await f.sim.clock.sleep(5000);
    }
    expect([...seen]).toEqual(['Pending', 'InProgress']);
    expect(await describe()).toMatchObject({ Status: 'Successful', PercentageComplete: 100 });
    expect(f.sim.group(f.blueGroup).launchTemplate.version).toBe('2');
    f.sim.settle();
    expect(f.sim.group(f.blueGroup).instances.map((i) => i.version)).toEqual([2, 2, 2, 2]);
  });

  test('refuses a second refresh, and auto rollback with $Latest', async () => {
    const { f, autoScaling } = setup(2);
    await expect(
      autoScaling.send(
        new StartInstanceRefreshCommand({
          AutoScalingGroupName: f.blueGroup,
          DesiredConfiguration: {
            LaunchTemplate: { LaunchTemplateId: f.launchTemplateId, Version: '$Latest' },
          },
          Preferences: { AutoRollback: true },
        }),
      ),
    ).rejects.toThrow(/AutoRollback/);
    await autoScaling.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: f.blueGroup }));
    await expect(
      autoScaling.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: f.blueGroup })),
    ).rejects.toMatchObject({ name: 'InstanceRefreshInProgressFault' });
  });
});
