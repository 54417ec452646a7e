import {
  CreateLaunchTemplateVersionCommand,
  DeleteLaunchTemplateVersionsCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  EC2ServiceException,
} from '@aws-sdk/client-ec2';
import { blueGreenFixture } from '../../sim/index.js';

describe('EC2 launch templates', () => {
  it('resolves $Latest and $Default, by id or by name', async () => {
    const f = blueGreenFixture();
    const { ec2 } = f.sim.clients();
    const out = await ec2.send(
      new DescribeLaunchTemplateVersionsCommand({
        LaunchTemplateName: 'app',
        Versions: ['$Latest', '$Default', '2'],
      }),
    );
    expect(
      out.LaunchTemplateVersions?.map((v) => [
        v.VersionNumber,
        v.DefaultVersion,
        v.LaunchTemplateData?.ImageId,
      ]),
    ).toEqual([
      [3, false, 'ami-00000000000000003'],
      [1, true, 'ami-00000000000000001'],
      [2, false, 'ami-00000000000000002'],
    ]);
    expect(out.LaunchTemplateVersions?.[0]).toMatchObject({
      LaunchTemplateId: f.launchTemplateId,
      LaunchTemplateName: 'app',
      CreatedBy: 'arn:aws:iam::123456789012:root',
    });
    expect(out.LaunchTemplateVersions?.[0]?.CreateTime).toBeInstanceOf(Date);
    const all = await ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: f.launchTemplateId }),
    );
    expect(all.LaunchTemplateVersions?.map((v) => v.VersionNumber)).toEqual([3, 2, 1]);
    const lts = await ec2.send(
      new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [f.launchTemplateId] }),
    );
    expect(lts.LaunchTemplates?.[0]).toMatchObject({ DefaultVersionNumber: 1, LatestVersionNumber: 3 });
  });

  it('unknown versions and templates fail with the EC2 error codes', async () => {
    const f = blueGreenFixture();
    const { ec2 } = f.sim.clients();
    const err = await ec2
      .send(
        new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: f.launchTemplateId, Versions: ['9'] }),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EC2ServiceException);
    expect(err).toMatchObject({
      name: 'InvalidLaunchTemplateId.VersionNotFound',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: 'lt-0ffffffffffffffff' })),
    ).rejects.toMatchObject({ name: 'InvalidLaunchTemplateId.NotFound' });
    await expect(
      ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'nope' })),
    ).rejects.toMatchObject({
      name: 'InvalidLaunchTemplateName.NotFoundException',
    });
  });

  it('CreateLaunchTemplateVersion merges LaunchTemplateData over the source version', async () => {
    const f = blueGreenFixture();
    f.sim.addLaunchTemplateVersion(f.launchTemplateId, { imageId: 'ami-4', instanceType: 'm7g.large' });
    const { ec2 } = f.sim.clients();
    const out = await ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: f.launchTemplateId,
        SourceVersion: '4',
        VersionDescription: 'v1.02',
        LaunchTemplateData: { ImageId: 'ami-5' },
      }),
    );
    expect(out.LaunchTemplateVersion).toMatchObject({
      VersionNumber: 5,
      VersionDescription: 'v1.02',
      DefaultVersion: false,
      LaunchTemplateData: { ImageId: 'ami-5', InstanceType: 'm7g.large' },
    });
    expect(f.sim.launchTemplateVersions(f.launchTemplateId)).toEqual([1, 2, 3, 4, 5]);
  });

  it('ClientToken idempotency: a lost response is retried by the SDK and creates one version', async () => {
    const f = blueGreenFixture();
    const { ec2 } = f.sim.clients();
    f.sim.injectFault({ atCall: 1, kind: 'lost-response' });
    const input = {
      LaunchTemplateId: f.launchTemplateId,
      SourceVersion: '1',
      LaunchTemplateData: { ImageId: 'ami-0123' },
      ClientToken: 'deploy-42',
    };
    const out = await ec2.send(new CreateLaunchTemplateVersionCommand(input));
    expect(out.LaunchTemplateVersion?.VersionNumber).toBe(4);
    expect(f.sim.writes().map((c) => [c.command, c.fault])).toEqual([
      ['CreateLaunchTemplateVersion', 'lost-response'],
      ['CreateLaunchTemplateVersion', undefined],
    ]);
    expect(f.sim.launchTemplateVersions(f.launchTemplateId)).toEqual([1, 2, 3, 4]);

    // A later call with the same token (the action re-running) is answered the same way.
    const again = await ec2.send(new CreateLaunchTemplateVersionCommand(input));
    expect(again.LaunchTemplateVersion).toEqual(out.LaunchTemplateVersion);
    expect(f.sim.launchTemplateVersions(f.launchTemplateId)).toEqual([1, 2, 3, 4]);

    // Same token, different request: refused.
    await expect(
      ec2.send(
        new CreateLaunchTemplateVersionCommand({ ...input, LaunchTemplateData: { ImageId: 'ami-other' } }),
      ),
    ).rejects.toMatchObject({ name: 'IdempotentParameterMismatch' });
  });

  it('without a ClientToken the SDK generates one per send: retries dedupe, separate sends do not', async () => {
    const f = blueGreenFixture();
    const { ec2 } = f.sim.clients();
    f.sim.injectFault({ atCall: 1, kind: 'lost-response' });
    const input = {
      LaunchTemplateId: f.launchTemplateId,
      SourceVersion: '1',
      LaunchTemplateData: { ImageId: 'ami-7' },
    };
    await ec2.send(new CreateLaunchTemplateVersionCommand(input));
    expect(f.sim.calls).toHaveLength(2);
    expect(f.sim.launchTemplateVersions(f.launchTemplateId)).toEqual([1, 2, 3, 4]);
    await ec2.send(new CreateLaunchTemplateVersionCommand(input));
    expect(f.sim.launchTemplateVersions(f.launchTemplateId)).toEqual([1, 2, 3, 4, 5]);
  });

  it('DeleteLaunchTemplateVersions refuses the default version and reports per version', async () => {
    const f = blueGreenFixture();
    const { ec2 } = f.sim.clients();
    const out = await ec2.send(
      new DeleteLaunchTemplateVersionsCommand({
        LaunchTemplateId: f.launchTemplateId,
        Versions: ['1', '3', '9'],
      }),
    );
    expect(out.SuccessfullyDeletedLaunchTemplateVersions?.map((v) => v.VersionNumber)).toEqual([3]);
    expect(
      out.UnsuccessfullyDeletedLaunchTemplateVersions?.map((v) => [v.VersionNumber, v.ResponseError?.Code]),
    ).toEqual([
      [1, 'unexpectedError'],
      [9, 'launchTemplateVersionDoesNotExist'],
    ]);
    expect(f.sim.launchTemplateVersions(f.launchTemplateId)).toEqual([1, 2]);
  });
});
