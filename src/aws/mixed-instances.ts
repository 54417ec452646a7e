/**
 * Groups with a MixedInstancesPolicy (Spot, several instance types): the
 * launch template version lives inside the policy. An update that names a
 * policy replaces it whole, so the action always sends the whole policy as it
 * was read, with only the version changed.
 */
import type { LaunchTemplateSpecification, MixedInstancesPolicy } from '@aws-sdk/client-auto-scaling';

export type { MixedInstancesPolicy } from '@aws-sdk/client-auto-scaling';

/**
 * A launch template version to put on a group. With `mixedInstancesPolicy`
 * (the group's policy as read) the version goes into the policy and the whole
 * policy is sent; without it, the group's LaunchTemplate is set.
 */
export interface LaunchSpec {
  id: string;
  version: string;
  mixedInstancesPolicy?: MixedInstancesPolicy;
}

/** True when the specification names the template `main` names (by id or by name). */
export function sameTemplate(
  spec: LaunchTemplateSpecification | undefined,
  main: LaunchTemplateSpecification | undefined,
): boolean {
  if (!spec || !main) return false;
  if (spec.LaunchTemplateId && main.LaunchTemplateId) return spec.LaunchTemplateId === main.LaunchTemplateId;
  return spec.LaunchTemplateName !== undefined && spec.LaunchTemplateName === main.LaunchTemplateName;
}

/**
 * A specification as a request may carry it: the id or the name, not both
 * (DescribeAutoScalingGroups reports both; AWS refuses a request with both).
 */
function sendable(spec: LaunchTemplateSpecification): LaunchTemplateSpecification {
  return spec.LaunchTemplateId
    ? {
        LaunchTemplateId: spec.LaunchTemplateId,
        ...(spec.Version !== undefined && { Version: spec.Version }),
      }
    : {
        LaunchTemplateName: spec.LaunchTemplateName,
        ...(spec.Version !== undefined && { Version: spec.Version }),
      };
}

/**
 * The policy to send for `spec`: the policy as read, its launch template (and
 * every override naming the same template) at `spec.version`, every other
 * field (overrides, instances distribution) exactly as read.
 */
export function policyAtVersion(
  spec: LaunchSpec & { mixedInstancesPolicy: MixedInstancesPolicy },
): MixedInstancesPolicy {
  const policy = JSON.parse(JSON.stringify(spec.mixedInstancesPolicy)) as MixedInstancesPolicy;
  const lt = policy.LaunchTemplate ?? {};
  const main = lt.LaunchTemplateSpecification;
  const atVersion: LaunchTemplateSpecification = { LaunchTemplateId: spec.id, Version: spec.version };
  return {
    ...policy,
    LaunchTemplate: {
      ...lt,
      LaunchTemplateSpecification: atVersion,
      ...(lt.Overrides && {
        Overrides: lt.Overrides.map((o) =>
          o.LaunchTemplateSpecification
            ? {
                ...o,
                LaunchTemplateSpecification: sameTemplate(o.LaunchTemplateSpecification, main)
                  ? atVersion
                  : sendable(o.LaunchTemplateSpecification),
              }
            : o,
        ),
      }),
    },
  };
}

/**
 * Why the policy cannot be deployed by changing its version, or undefined:
 * an override naming another launch template, or the same template at another
 * version (the undo could not restore it exactly).
 */
export function policyProblem(groupName: string, policy: MixedInstancesPolicy): string | undefined {
  const main = policy.LaunchTemplate?.LaunchTemplateSpecification;
  if (!main) return `${groupName}: its mixed instances policy names no launch template`;
  const overrides = policy.LaunchTemplate?.Overrides ?? [];
  for (const [i, o] of overrides.entries()) {
    const spec = o.LaunchTemplateSpecification;
    if (!spec) continue;
    const name = `override ${i + 1}${o.InstanceType ? ` (${o.InstanceType})` : ''}`;
    const template = spec.LaunchTemplateName ?? spec.LaunchTemplateId ?? '?';
    if (!sameTemplate(spec, main)) {
      return `${groupName}: mixed instances policy ${name} names its own launch template ${template}; the action deploys one launch template: remove the override's launch template, or give it the group's (${main.LaunchTemplateName ?? main.LaunchTemplateId ?? '?'})`;
    }
    if ((spec.Version ?? '$Default') !== (main.Version ?? '$Default')) {
      return `${groupName}: mixed instances policy ${name} names launch template ${template} at version ${spec.Version ?? '$Default'}, the policy at ${main.Version ?? '$Default'}; give the override the policy's version (or none) first`;
    }
  }
  return undefined;
}
