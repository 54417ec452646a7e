import {
  CreateLaunchTemplateVersionCommand,
  DeleteLaunchTemplateVersionsCommand,
  DescribeImagesCommand,
  DescribeLaunchTemplateVersionsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';

export interface LaunchTemplateVersionInfo {
  launchTemplateId: string;
  launchTemplateName?: string;
  version: number;
  isDefault: boolean;
  imageId?: string;
  description?: string;
}

/** Thin gateway over the EC2 launch template API. */
export class Ec2Gateway {
  constructor(private readonly client: EC2Client) {}

  /** One version (`3`, `$Default`, `$Latest`), or undefined when it does not exist. */
  async launchTemplateVersion(
    launchTemplateId: string,
    version: string,
  ): Promise<LaunchTemplateVersionInfo | undefined> {
    try {
      const out = await this.client.send(
        new DescribeLaunchTemplateVersionsCommand({
          LaunchTemplateId: launchTemplateId,
          Versions: [version],
        }),
      );
      const v = out.LaunchTemplateVersions?.[0];
      return v ? toInfo(v) : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** An AMI's State (`available`, `pending`, `failed`…) and why; undefined when EC2 does not know it. */
  async image(imageId: string): Promise<{ state: string; reason?: string } | undefined> {
    try {
      const out = await this.client.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
      const image = out.Images?.find((i) => i.ImageId === imageId);
      if (!image) return undefined;
      return {
        state: image.State ?? 'unknown',
        ...(image.StateReason?.Message && { reason: image.StateReason.Message }),
      };
    } catch (error) {
      if (((error as { name?: string }).name ?? '').startsWith('InvalidAMIID.')) return undefined;
      throw error;
    }
  }

  /** Versions numbered above `after`, newest first (to find the ones a run created). */
  async versionsAfter(launchTemplateId: string, after: number): Promise<LaunchTemplateVersionInfo[]> {
    const out = await this.client.send(
      new DescribeLaunchTemplateVersionsCommand({
        LaunchTemplateId: launchTemplateId,
        MinVersion: String(after + 1),
      }),
    );
    return (out.LaunchTemplateVersions ?? []).map(toInfo).sort((a, b) => b.version - a.version);
  }

  /**
   * A new version copied from `sourceVersion` with only the image replaced. The
   * client token makes a retried call (response lost) return the same version.
   */
  async createVersionWithImage(p: {
    launchTemplateId: string;
    sourceVersion: number;
    imageId: string;
    description: string;
    clientToken: string;
  }): Promise<number> {
    const out = await this.client.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: p.launchTemplateId,
        SourceVersion: String(p.sourceVersion),
        LaunchTemplateData: { ImageId: p.imageId },
        VersionDescription: p.description,
        ClientToken: p.clientToken,
      }),
    );
    const version = out.LaunchTemplateVersion?.VersionNumber;
    if (version === undefined) throw new Error('CreateLaunchTemplateVersion returned no version number');
    return version;
  }

  async deleteVersion(launchTemplateId: string, version: number): Promise<void> {
    const out = await this.client.send(
      new DeleteLaunchTemplateVersionsCommand({
        LaunchTemplateId: launchTemplateId,
        Versions: [String(version)],
      }),
    );
    const failed = out.UnsuccessfullyDeletedLaunchTemplateVersions?.[0];
    if (failed && failed.ResponseError?.Code !== 'launchTemplateVersionDoesNotExist') {
      throw new Error(
        `Could not delete launch template ${launchTemplateId} version ${version}: ${failed.ResponseError?.Message ?? failed.ResponseError?.Code ?? 'no reason given'}`,
      );
    }
  }
}

function toInfo(v: {
  LaunchTemplateId?: string;
  LaunchTemplateName?: string;
  VersionNumber?: number;
  DefaultVersion?: boolean;
  VersionDescription?: string;
  LaunchTemplateData?: { ImageId?: string };
}): LaunchTemplateVersionInfo {
  return {
    launchTemplateId: v.LaunchTemplateId ?? '',
    launchTemplateName: v.LaunchTemplateName,
    version: v.VersionNumber ?? 0,
    isDefault: v.DefaultVersion ?? false,
    imageId: v.LaunchTemplateData?.ImageId,
    description: v.VersionDescription,
  };
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string }).name ?? '';
  return (
    name.startsWith('InvalidLaunchTemplateId.') || name === 'InvalidLaunchTemplateName.NotFoundException'
  );
}
