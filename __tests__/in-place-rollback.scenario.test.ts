import { StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import { blueGreenFixture } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { singleGroupInputs } from './helpers/single-group.js';

/** mode: rollback for the in-place strategies, from the deployment record or a refresh left running. */
describe('rollback of rolling and recreate deploys', () => {
  test.each(['rolling', 'recreate'] as const)(
    '%s: the group goes back to the recorded previous version; the record swaps',
    async (strategy) => {
      const f = blueGreenFixture({ instances: 2, listeners: 1 });
      const listener = f.sim.listenerActions(f.listenerArns[0]!);
      const deploy = await deployOnSim(
        f.sim,
        singleGroupInputs(f, strategy, {
          'launch-template-version': '2',
          'version-label': 'v2',
          'instance-warmup': '0',
        }),
      );
      expect(deploy.report.result).toBe('deployed');
      expect(deploy.report.outputs['previous-version-label']).toBe('');
      expect(f.sim.groupTags(f.blueGroup)['asg-deploy:launch-template']).toBe(`${f.launchTemplateId}:2`);

      const { report } = await deployOnSim(
        f.sim,
        singleGroupInputs(f, strategy, { mode: 'rollback', 'instance-warmup': '0' }),
        { requestedReason: 'v2 broke checkout' },
      );

      expect(report.result).toBe('rolled-back');
      expect(report.headline).toBe(
        'from v2 (launch template version 2) to unlabelled version (launch template version 1)',
      );
      expect(report.outputs['rollback-reason']).toBe('v2 broke checkout');
      expect(f.sim.group(f.blueGroup).launchTemplate.version).toBe('1');
      f.sim.settle();
      expect(f.sim.group(f.blueGroup).instances.map((i) => i.version)).toEqual([1, 1]);
      const tags = f.sim.groupTags(f.blueGroup);
      expect(tags['asg-deploy:launch-template']).toBe(`${f.launchTemplateId}:1`);
      expect(tags['asg-deploy:previous-launch-template']).toBe(`${f.launchTemplateId}:2`);
      expect(tags['asg-deploy:previous-version-label']).toBe('v2');
      expect(tags['asg-deploy:lock']).toBeUndefined();
      expect(f.sim.listenerActions(f.listenerArns[0]!)).toEqual(listener);
    },
  );

  test('no record and no refresh in progress: a clear failure and no write', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const { report } = await deployOnSim(f.sim, singleGroupInputs(f, 'rolling', { mode: 'rollback' }));
    expect(report.result).toBe('failed');
    expect(report.reason).toMatch(/no deployment record on app-blue .* Nothing was changed/);
    expect(f.sim.writes()).toEqual([]);
  });

  test('a refresh left running by an interrupted deploy is rolled back by AWS', async () => {
    const f = blueGreenFixture({ instances: 2 });
    // what a deploy killed mid-refresh leaves behind: a refresh towards version 2, still running
    const started = await f.sim.clients().autoScaling.send(
      new StartInstanceRefreshCommand({
        AutoScalingGroupName: f.blueGroup,
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: f.launchTemplateId, Version: '2' } },
        Preferences: { MinHealthyPercentage: 50, InstanceWarmup: 0 },
      }),
    );
    const id = started.InstanceRefreshId;
    const { report } = await deployOnSim(f.sim, singleGroupInputs(f, 'rolling', { mode: 'rollback' }));
    expect(report.result).toBe('rolled-back');
    expect(report.outputs['instance-refresh-id']).toBe(id);
    expect(
      f.sim
        .writes()
        .map((w) => w.command)
        .filter((c) => !c.endsWith('Tags')),
    ).toEqual(['StartInstanceRefresh', 'SuspendProcesses', 'RollbackInstanceRefresh', 'ResumeProcesses']);
    f.sim.settle();
    expect(f.sim.group(f.blueGroup).launchTemplate.version).toBe('1');
    expect(f.sim.group(f.blueGroup).instances.map((i) => i.version)).toEqual([1, 1]);
  });
});
