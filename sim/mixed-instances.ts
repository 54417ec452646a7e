/**
 * Mixed instances policies as EC2 Auto Scaling takes and reports them: a
 * request's launch template specifications carry the id or the name (not
 * both), every template and version must exist, and an update that names a
 * policy replaces the group's whole (overrides and instances distribution
 * included). DescribeAutoScalingGroups reports the policy with both the id and
 * the name of each template, and no group-level LaunchTemplate.
 */
import type { LaunchTemplateSpecification, MixedInstancesPolicy } from '@aws-sdk/client-auto-scaling';
import { clientError } from './errors.js';
import { findLaunchTemplate, resolveVersionNumber } from './ec2.js';
import { clone, type SimState } from './state.js';

const validation = (message: string): Error => clientError('autoscaling', 'ValidationError', message);

function checkSpec(sim: SimState, spec: LaunchTemplateSpecification): { id: string; version: string } {
  if (Boolean(spec.LaunchTemplateId) === Boolean(spec.LaunchTemplateName)) {
    throw validation('Valid requests must contain either launchTemplateId or LaunchTemplateName');
  }
  const version = spec.Version ?? '$Default';
  try {
    const lt = findLaunchTemplate(sim, spec);
    if (resolveVersionNumber(lt, version) === undefined)
      throw new Error(`The launch template version ${version} of ${lt.id} does not exist.`);
    return { id: lt.id, version };
  } catch (e) {
    throw validation(`You must use a valid fully-formed launch template. ${(e as Error).message}`);
  }
}

/**
 * Validates a policy from a request; returns it as the group keeps it and the
 * launch template (with version) instances launch from.
 */
export function acceptPolicy(
  sim: SimState,
  policy: MixedInstancesPolicy,
): { policy: MixedInstancesPolicy; launchTemplate: { id: string; version: string } } {
  const main = policy.LaunchTemplate?.LaunchTemplateSpecification;
  if (!main) throw validation('A mixed instances policy must specify a launch template.');
  const launchTemplate = checkSpec(sim, main);
  for (const o of policy.LaunchTemplate?.Overrides ?? []) {
    if (o.LaunchTemplateSpecification) checkSpec(sim, o.LaunchTemplateSpecification);
  }
  return { policy: clone(policy), launchTemplate };
}

function described(sim: SimState, spec: LaunchTemplateSpecification): LaunchTemplateSpecification {
  const lt = findLaunchTemplate(sim, spec);
  return { LaunchTemplateId: lt.id, LaunchTemplateName: lt.name, Version: spec.Version ?? '$Default' };
}

/** The policy as DescribeAutoScalingGroups reports it: each template by id and name. */
export function describePolicy(sim: SimState, policy: MixedInstancesPolicy): MixedInstancesPolicy {
  const out = clone(policy);
  const lt = out.LaunchTemplate;
  if (lt?.LaunchTemplateSpecification)
    lt.LaunchTemplateSpecification = described(sim, lt.LaunchTemplateSpecification);
  for (const o of lt?.Overrides ?? []) {
    if (o.LaunchTemplateSpecification)
      o.LaunchTemplateSpecification = described(sim, o.LaunchTemplateSpecification);
  }
  return out;
}

/** The instance type the n-th launch gets: the overrides' types in turn, else the template's. */
export function overrideInstanceType(
  policy: MixedInstancesPolicy | undefined,
  n: number,
): string | undefined {
  const types = (policy?.LaunchTemplate?.Overrides ?? []).flatMap((o) =>
    o.InstanceType ? [o.InstanceType] : [],
  );
  return types.length === 0 ? undefined : types[n % types.length];
}
