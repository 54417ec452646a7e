/**
 * What each instance of a fleet really runs: the after-table counts instances
 * by launch template version, and every instance left on another version than
 * its group's is named in a warning with the reason, so that no summary says a
 * fleet runs a version one of its instances does not.
 */
import type { GroupInstance, GroupSnapshot } from '../aws/index.js';
import type { Logger } from '../engine/log.js';

const isAlias = (version: string) => version === '$Latest' || version === '$Default';
/** Instances that serve or may serve again (not leaving, not in a warm pool). */
const counted = (i: GroupInstance) =>
  !i.lifecycle.startsWith('Terminating') && !i.lifecycle.startsWith('Warmed');

/** `v3 ×4, v2 ×1` (version ×count), the group's own version first; undefined without instances. */
export function instanceVersions(group: GroupSnapshot): string | undefined {
  const counts = new Map<string, number>();
  for (const i of group.instances.filter(counted)) {
    const v = i.launchTemplateVersion ?? '?';
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  if (counts.size === 0) return undefined;
  const own = group.launchTemplate?.version;
  return [...counts.entries()]
    .sort(([a], [b]) => (a === own ? -1 : b === own ? 1 : Number(b) - Number(a)))
    .map(([v, n]) => `v${v} ×${n}`)
    .join(', ');
}

/** Why an instance was left on its version, as far as the group shows it. */
function whyLeft(
  i: GroupInstance,
  choices?: { protectedInstances: string; standbyInstances: string },
): string {
  if (i.lifecycle.startsWith('Standby'))
    return `it is in Standby${choices ? ` and standby-instances is ${choices.standbyInstances}` : ''}`;
  if (i.protectedFromScaleIn)
    return `it is protected from scale in${choices ? ` and protected-instances is ${choices.protectedInstances}` : ''}`;
  return `it was not replaced (lifecycle ${i.lifecycle})`;
}

/**
 * Warns once per instance of `group` that runs another launch template
 * version than the group's; returns the instances named. Nothing to compare
 * when the group uses $Latest or $Default (instances report numbers).
 */
export function warnOffVersion(
  group: GroupSnapshot,
  log: Logger,
  choices?: { protectedInstances: string; standbyInstances: string },
): string[] {
  const own = group.launchTemplate?.version;
  if (own === undefined || isAlias(own)) return [];
  const off = group.instances.filter(
    (i) => counted(i) && i.launchTemplateVersion !== undefined && i.launchTemplateVersion !== own,
  );
  for (const i of off) {
    log.warning(
      `instance ${i.id} of ${group.name} runs launch template version ${i.launchTemplateVersion ?? 'unknown'}, not ${own} (the group's): ${whyLeft(i, choices)}`,
    );
  }
  return off.map((i) => i.id);
}
