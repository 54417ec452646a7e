/**
 * What a deploy puts on a group: an existing launch template version, or a new
 * version made from the one that runs now with another image. Shared by every
 * strategy: resolved (read-only) in pre-flight, created by a plan step.
 */
import type { Aws, LaunchTemplateRef } from '../aws/index.js';
import type { WhatToDeploy } from '../inputs/config.js';
import type { PlannedWrite, Step } from '../engine/plan.js';

export type DeployTarget =
  | { kind: 'version'; launchTemplateId: string; version: string; resolvedVersion: number }
  | {
      kind: 'image';
      launchTemplateId: string;
      sourceVersion: number;
      imageId: string;
      /** The image the source version runs: equal to imageId means nothing to deploy. */
      sourceImageId?: string;
      /** Highest version before this run: versions above it with this run's marker are ours. */
      latestVersion: number;
    };

/** `launch template version 7` or `image ami-…`. */
export function describeWhat(target: DeployTarget): string {
  return target.kind === 'version' ? `launch template version ${target.version}` : `image ${target.imageId}`;
}

/**
 * Reads the version to deploy on `template` (the group's launch template), or,
 * for an image, the `source` version to copy. Adds a problem and returns
 * undefined when it does not exist.
 */
export async function resolveDeployTarget(
  config: WhatToDeploy,
  aws: Aws,
  p: {
    template: LaunchTemplateRef;
    source: LaunchTemplateRef;
    groupName: string;
    /** The group `source` is read from (the live one in blue/green); `groupName` by default. */
    sourceGroup?: string;
  },
  problems: string[],
): Promise<DeployTarget | undefined> {
  const lt = p.template;
  if (config.launchTemplateVersion) {
    const found = await aws.ec2.launchTemplateVersion(lt.id, config.launchTemplateVersion);
    if (!found) {
      problems.push(
        `launch-template-version: launch template ${lt.name ?? lt.id} (used by ${p.groupName}) has no version ${config.launchTemplateVersion}`,
      );
      return undefined;
    }
    return {
      kind: 'version',
      launchTemplateId: lt.id,
      version: config.launchTemplateVersion,
      resolvedVersion: found.version,
    };
  }
  if (!config.imageId) return undefined;
  const moving = movingReference(p.source, p.sourceGroup ?? p.groupName);
  if (moving) problems.push(moving);
  const [sourceVersion, latest, image] = await Promise.all([
    aws.ec2.launchTemplateVersion(lt.id, p.source.version),
    aws.ec2.launchTemplateVersion(lt.id, '$Latest'),
    aws.ec2.image(config.imageId),
  ]);
  if (!image)
    problems.push(
      `image-id: EC2 has no image ${config.imageId} in this region and account (DescribeImages: InvalidAMIID.NotFound): check the id, the region, and that the image is shared with this account`,
    );
  else if (image.state !== 'available')
    problems.push(
      `image-id: image ${config.imageId} is ${image.state}${image.reason ? ` (${image.reason})` : ''}, not available: instances cannot launch from it; wait until it is available or use another image`,
    );
  if (moving || !image || image.state !== 'available') return undefined;
  if (!sourceVersion || !latest) {
    problems.push(`launch template ${lt.id}: version ${p.source.version} could not be read`);
    return undefined;
  }
  return {
    kind: 'image',
    launchTemplateId: lt.id,
    sourceVersion: sourceVersion.version,
    imageId: config.imageId,
    sourceImageId: sourceVersion.imageId,
    latestVersion: latest.version,
  };
}

/**
 * A group that names its launch template version as `$Latest` or `$Default`
 * does not say which version it runs: a version this run creates becomes its
 * `$Latest` at once (the serving or kept fleet would launch the new image, and
 * a rollback could not go back), and `$Default` moves whenever anyone changes
 * the default. Refused for an image deploy, with the fix.
 */
function movingReference(source: LaunchTemplateRef, groupName: string): string | undefined {
  if (source.version !== '$Latest' && source.version !== '$Default') return undefined;
  const effect =
    source.version === '$Latest'
      ? 'the new version this deploy creates would become what it launches at once, so the fleet that serves (or is kept for rollback) would start running the new image, and a rollback could not return to the old one'
      : 'it follows whatever version is made the default, so what it runs is not recorded by a version number and a rollback could not name it';
  return `image-id: ${groupName} uses launch template ${source.name ?? source.id} at ${source.version}: ${effect}. Pin the group to the version it runs (aws autoscaling update-auto-scaling-group --auto-scaling-group-name ${groupName} --launch-template LaunchTemplateId=${source.id},Version=<number>), or deploy a version you created with launch-template-version instead of image-id.`;
}

/** What the description of a launch template version this run creates carries. */
export function versionMarker(runToken: string): string {
  return `asg-deploy ${runToken}`;
}

/**
 * The step that creates the launch template version of an image deploy. Its
 * undo deletes only versions carrying this run's marker; `created` receives
 * the new number for the steps after it.
 */
export function createVersionStep(
  target: Extract<DeployTarget, { kind: 'image' }>,
  options: { runToken: string; runLabel: string; groupName: string },
): Step {
  const marker = versionMarker(options.runToken);
  const write: PlannedWrite = {
    service: 'ec2',
    action: 'CreateLaunchTemplateVersion',
    target: target.launchTemplateId,
    detail: `source ${target.sourceVersion}, ImageId ${target.imageId}`,
  };
  return {
    id: 'create-launch-template-version',
    title: `Create a launch template version from version ${target.sourceVersion} with image ${target.imageId}`,
    phase: 'deploy',
    writes: [write],
    undo: [
      {
        kind: 'delete-created-versions',
        launchTemplateId: target.launchTemplateId,
        after: target.latestVersion,
        marker,
      },
    ],
    run: async (ctx) => {
      const version = await ctx.aws.ec2.createVersionWithImage({
        launchTemplateId: target.launchTemplateId,
        sourceVersion: target.sourceVersion,
        imageId: target.imageId,
        description: `${marker}: ${target.imageId} for ${options.groupName} (${options.runLabel})`.slice(
          0,
          255,
        ),
        clientToken: options.runToken,
      });
      ctx.learn({ createdVersion: String(version) });
      return `version ${version}`;
    },
  };
}
