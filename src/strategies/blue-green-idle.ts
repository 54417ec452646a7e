/**
 * What the idle color holds that emptying it cannot remove, or that a scale-out
 * would bring back on the old version: refused in pre-flight, before any write.
 *
 * - A warm pool with instances prepared from another version than the one
 *   deployed: a scale-out draws on the warm pool first, whatever version its
 *   instances were prepared from. With ReuseOnScaleIn, the instances that
 *   emptying removes go back to the pool, on the old version, to come back the
 *   same way.
 * - Instances protected from scale in, or in Standby: a lower desired capacity
 *   does not remove them, so the idle color would never be empty, and they run
 *   the old version.
 */
import type { Aws, GroupSnapshot, WarmPoolSnapshot } from '../aws/index.js';
import type { DeployTarget } from './deploy-target.js';

const WAY_OUT_POOL = (group: string) =>
  `empty it first (aws autoscaling delete-warm-pool --auto-scaling-group-name ${group} --force-delete; put it back after the deploy and its new instances are prepared from the new version), or deploy this group with strategy rolling, whose Instance Refresh replaces warm instances`;

/** Reads the idle group's warm pool and pushes a problem for everything that would let the old version back in. */
export async function checkIdleGroup(
  aws: Aws,
  p: { input: string; idle: GroupSnapshot; target: DeployTarget },
  problems: string[],
): Promise<WarmPoolSnapshot | undefined> {
  const { input, idle, target } = p;
  const pool = await aws.autoScaling.describeWarmPool(idle.name);
  if (pool) {
    const newVersion = target.kind === 'version' ? String(target.resolvedVersion) : undefined;
    const stale = pool.instances.filter((i) => i.launchTemplateVersion !== newVersion);
    if (stale.length > 0) {
      const versions = [...new Set(stale.map((i) => i.launchTemplateVersion ?? '?'))].join(', ');
      problems.push(
        `${input}: the warm pool of ${idle.name} holds ${stale.length} instance(s) prepared from launch template version ${versions} (${stale.map((i) => i.id).join(', ')}); a scale-out draws on the warm pool first, so they would join the new fleet on the old version: ${WAY_OUT_POOL(idle.name)}`,
      );
    } else if (pool.reuseOnScaleIn && idle.instances.some((i) => i.lifecycle === 'InService')) {
      problems.push(
        `${input}: the warm pool of ${idle.name} reuses instances on scale in (ReuseOnScaleIn): emptying ${idle.name} would put its ${idle.instances.length} old instance(s) in the warm pool, from where a scale-out brings them back on the old version: ${WAY_OUT_POOL(idle.name)}`,
      );
    }
  }
  const held = idle.instances.filter((i) => i.protectedFromScaleIn || i.lifecycle.startsWith('Standby'));
  if (held.length > 0) {
    const what = held
      .map((i) => `${i.id} (${i.lifecycle.startsWith('Standby') ? 'in Standby' : 'protected from scale in'})`)
      .join(', ');
    problems.push(
      `${input}: ${idle.name} is the idle color and holds instance(s) that emptying it cannot remove: ${what}; they run the old version and would stay in the new fleet. Remove their scale-in protection (aws autoscaling set-instance-protection --no-protected-from-scale-in), return Standby instances to service (exit-standby) or terminate them, then deploy again`,
    );
  }
  return pool;
}
