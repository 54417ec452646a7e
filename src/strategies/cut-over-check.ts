/**
 * The last gate before the old fleet is scaled down (or kept as the previous
 * release): no route of any load balancer that uses the old fleet's target
 * groups still sends it traffic, and the new fleet still has the capacity the
 * action gave it, every instance healthy. An operator may have put traffic
 * back during the bake, or set the new fleet to 0: scaling the old fleet down
 * then would leave traffic on a fleet of zero.
 */
import type { Route } from '../aws/index.js';
import type { Color } from '../inputs/config.js';
import type { Step, Undo } from '../engine/plan.js';
import { healthyInstances, readFleet } from './fleet.js';
import { describeForwarded, describeRoute, readRoutesReaching, trafficTo } from './route-check.js';
import { type KnownRoute, restoreKeepingTheirs, sameActions } from './route-recheck.js';
import type { ColorTargetGroups } from './traffic.js';

export interface CutOverCheck {
  live: { color: Color; group: string };
  idle: { color: Color; group: string };
  colors: ColorTargetGroups;
  /** The routes the action manages, as pre-flight read them. */
  routes: Route[];
  /** The new fleet's desired capacity as the action sized it. */
  desired: number;
  /** What happens to the old fleet next, for the error. */
  next: 'scale-down' | 'keep';
}

export function cutOverCheckStep(c: CutOverCheck): Step {
  // Filled only when a managed route was changed by someone else: the rollback keeps their change.
  const undo: Undo[] = [];
  return {
    id: 'verify-cut-over',
    title: `Check that no route still sends traffic to ${c.live.color} (${c.live.group}) and that ${c.idle.color} (${c.idle.group}) is at full capacity`,
    phase: 'deploy',
    gate: 'routes + capacity',
    writes: [],
    undo,
    run: async (ctx) => {
      const live = await ctx.aws.autoScaling.describeGroup(c.live.group);
      if (!live) throw new Error(`Auto Scaling group ${c.live.group} no longer exists`);
      const oldGroups = [...new Set([c.colors[c.live.color], ...live.targetGroupArns])];
      const balancers = c.routes.map((r) => r.loadBalancerArn).filter((arn) => arn !== undefined);
      const all = await readRoutesReaching(ctx.aws, [...oldGroups, c.colors[c.idle.color]], balancers);
      const problems: string[] = [];
      const label = (arn: string) => `${arn === c.colors[c.live.color] ? `${c.live.color} ` : ''}${arn}`;
      for (const route of all) {
        const found = trafficTo(route.actions, oldGroups);
        if (found.length > 0)
          problems.push(
            `${describeRoute(route)} ${route.arn} still forwards to ${describeForwarded(found, label)}`,
          );
      }
      // read last, so that what it checks is the newest picture
      const idle = await readFleet(ctx.aws, c.idle.group, c.colors[c.idle.color]);
      const expected = ctx.facts.idleDesired ?? c.desired;
      const healthy = healthyInstances(idle).length;
      if (idle.group.desired === 0 || idle.group.desired < expected)
        problems.push(
          `${c.idle.group} (${c.idle.color}, new): desired capacity ${expected} → ${idle.group.desired}, changed by someone else during the deploy`,
        );
      else if (healthy < idle.group.desired)
        problems.push(
          `${c.idle.group} (${c.idle.color}, new): ${healthy} healthy instance(s) for a desired capacity of ${idle.group.desired}`,
        );
      if (problems.length === 0)
        return `no route sends traffic to ${c.live.color}; ${c.idle.group} ${healthy}/${idle.group.desired} healthy`;
      keepOtherChanges(c, all, ctx.facts.routes ?? [], undo);
      ctx.saveJournal?.();
      throw new Error(
        `${c.live.group} (${c.live.color}) is not ${c.next === 'scale-down' ? 'scaled down' : 'left as the previous release'}: ${problems.join('; ')}`,
      );
    },
  };
}

/** Managed routes someone else changed: their undo puts back the pre-flight weights and keeps the rest. */
function keepOtherChanges(c: CutOverCheck, all: Route[], learned: readonly KnownRoute[], undo: Undo[]) {
  for (const managed of c.routes) {
    const now = all.find((r) => r.arn === managed.arn);
    const known = learned.find((r) => r.arn === managed.arn)?.actions ?? managed.actions;
    if (!now || sameActions(known, now.actions)) continue;
    undo.push({
      kind: 'restore-route',
      route: { kind: managed.kind, arn: managed.arn },
      actions: restoreKeepingTheirs(managed.actions, now.actions, c.colors),
    });
  }
}
