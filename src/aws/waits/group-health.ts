import type { Aws, GroupSnapshot, TargetHealth } from '../index.js';
import type { StepContext } from '../../engine/plan.js';
import { waitFor } from '../../engine/wait.js';
import { launchWatch } from './launches.js';
import { healthLine, type LifecycleHook } from '../lifecycle-hooks.js';

/** A group and how each of its target groups sees its instances. */
export interface GroupHealth {
  group: GroupSnapshot;
  /** Per target group ARN. */
  health: Map<string, Map<string, TargetHealth>>;
  /**
   * `4/4 healthy (2 initial)`: the worst state of each InService instance over its target groups;
   * instances held by a lifecycle hook are named with it: `2/4 healthy, 2 waiting on hook boot (heartbeat 300s)`.
   */
  summary: string;
  healthy: number;
  /** InService instances not health-checked (`unused`: no listener forwards to the target group). */
  unused: number;
}

const RANK = ['unhealthy', 'draining', 'not registered', 'initial', 'unavailable', 'unused', 'healthy'];

export async function readGroupHealth(
  aws: Aws,
  name: string,
  targetGroupArns: string[],
  /** The group's hooks as pre-flight read them, to name them in the summary. */
  hooks?: readonly LifecycleHook[],
): Promise<GroupHealth> {
  const [group, ...maps] = await Promise.all([
    aws.autoScaling.describeGroup(name),
    ...targetGroupArns.map((arn) => aws.elbv2.targetHealth(arn)),
  ]);
  if (!group) throw new Error(`Auto Scaling group ${name} no longer exists`);
  const health = new Map(targetGroupArns.map((arn, i) => [arn, maps[i] ?? new Map<string, TargetHealth>()]));
  const counts = new Map<string, number>();
  for (const instance of group.instances) {
    let state = instance.lifecycle === 'InService' ? 'healthy' : instance.lifecycle.toLowerCase();
    if (instance.lifecycle === 'InService') {
      if (targetGroupArns.length === 0 && instance.health !== 'Healthy') state = 'unhealthy';
      for (const map of health.values()) {
        const s = map.get(instance.id)?.state ?? 'not registered';
        if (RANK.indexOf(s) < RANK.indexOf(state)) state = s;
      }
    }
    counts.set(state, (counts.get(state) ?? 0) + 1);
  }
  const healthy = counts.get('healthy') ?? 0;
  const unused = counts.get('unused') ?? 0;
  counts.delete('healthy');
  return { group, health, healthy, unused, summary: healthLine(healthy, group.desired, counts, hooks) };
}

/**
 * Waits until the group has its desired capacity healthy in every target group
 * (InService and Healthy when it has none). With `unusedCounts`, a target not
 * health-checked because no listener forwards to its group counts as ready.
 */
export async function waitGroupHealthy(
  ctx: StepContext,
  p: {
    what: string;
    group: string;
    targetGroupArns: string[];
    timeoutMs: number;
    unusedCounts?: boolean;
    /** The time of the run's write: each poll also reads launches since, and a failed one ends the wait. */
    launchesSince?: number;
  },
): Promise<GroupHealth> {
  const launches = p.launchesSince === undefined ? undefined : launchWatch(ctx, p.group, p.launchesSince);
  return waitFor<GroupHealth & { launchFailure?: string }>(ctx, {
    what: p.what,
    timeoutMs: p.timeoutMs,
    read: async () => {
      const [reading, launchFailure] = await Promise.all([
        readGroupHealth(ctx.aws, p.group, p.targetGroupArns, ctx.lifecycleHooks?.get(p.group)),
        launches?.poll(),
      ]);
      return { ...reading, ...(launchFailure && { launchFailure }) };
    },
    describe: (r) => r.summary,
    failure: (r) => r.launchFailure,
    done: (r) => {
      const ready = r.healthy + (p.unusedCounts ? r.unused : 0);
      return r.group.desired > 0 && ready >= r.group.desired && ready === r.group.instances.length;
    },
  });
}
