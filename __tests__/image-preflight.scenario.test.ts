import { UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { blueGreenFixture } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { blueGreenInputs, snapshot } from './helpers/blue-green.js';

/** Pre-flight of an image deploy: the image must exist and be available; the fleet must name a version. */
describe('image-id pre-flight', () => {
  test('an image EC2 does not know is refused before any write, naming image-id', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const before = snapshot(f);
    const { report } = await deployOnSim(f.sim, blueGreenInputs(f, { 'image-id': 'ami-0000000000000dead' }));
    expect(report.result).toBe('failed');
    expect(report.problems).toContainEqual(
      expect.stringMatching(/^image-id: EC2 has no image ami-0000000000000dead in this region and account/),
    );
    expect(f.sim.writes()).toEqual([]);
    expect(snapshot(f)).toEqual(before);
  });

  test('an image that is not available (pending, failed) is refused with its state', async () => {
    const f = blueGreenFixture({ instances: 2 });
    f.sim.registerImage('ami-0aaaaaaaaaaaaaaa1', 'pending');
    f.sim.registerImage('ami-0aaaaaaaaaaaaaaa2', 'failed');
    const pending = await deployOnSim(f.sim, blueGreenInputs(f, { 'image-id': 'ami-0aaaaaaaaaaaaaaa1' }));
    expect(pending.report.problems).toContainEqual(
      'image-id: image ami-0aaaaaaaaaaaaaaa1 is pending, not available: instances cannot launch from it; wait until it is available or use another image',
    );
    const failed = await deployOnSim(f.sim, blueGreenInputs(f, { 'image-id': 'ami-0aaaaaaaaaaaaaaa2' }));
    expect(failed.report.problems).toContainEqual(
      expect.stringContaining(
        'image-id: image ami-0aaaaaaaaaaaaaaa2 is failed (The snapshot does not exist)',
      ),
    );
    expect(f.sim.writes()).toEqual([]);
  });

  test.each(['$Latest', '$Default'])(
    'the live fleet on %s: an image deploy is refused (a new version would move it), with the fix',
    async (version) => {
      const f = blueGreenFixture({ instances: 2 });
      await f.sim.clients().autoScaling.send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: f.blueGroup,
          LaunchTemplate: { LaunchTemplateId: f.launchTemplateId, Version: version },
        }),
      );
      const writesBefore = f.sim.writes().length;
      const versionsBefore = f.sim.launchTemplateVersions(f.launchTemplateId);

      const { report } = await deployOnSim(
        f.sim,
        blueGreenInputs(f, { 'image-id': 'ami-0123456789abcdef0' }),
      );

      expect(report.result).toBe('failed');
      const problem = report.problems.find((p) => p.startsWith('image-id: app-blue uses launch template'));
      expect(problem).toContain(`at ${version}`);
      expect(problem).toContain(
        `Pin the group to the version it runs (aws autoscaling update-auto-scaling-group --auto-scaling-group-name app-blue --launch-template LaunchTemplateId=${f.launchTemplateId},Version=<number>), or deploy a version you created with launch-template-version instead of image-id.`,
      );
      expect(f.sim.writes().length).toBe(writesBefore);
      expect(f.sim.launchTemplateVersions(f.launchTemplateId)).toEqual(versionsBefore);
    },
  );

  test('a launch-template-version deploy of a fleet on $Latest is not refused for it', async () => {
    const f = blueGreenFixture({ instances: 2 });
    await f.sim.clients().autoScaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: f.blueGroup,
        LaunchTemplate: { LaunchTemplateId: f.launchTemplateId, Version: '$Latest' },
      }),
    );
    const { report } = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }));
    expect(report.problems.filter((p) => p.startsWith('image-id'))).toEqual([]);
  });
});
