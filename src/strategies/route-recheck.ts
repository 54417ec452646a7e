/**
 * Re-reading the routes before every traffic write. The action moves traffic
 * by rewriting whole actions, so a write computed from an old picture would
 * silently undo whatever someone else changed meanwhile (stickiness turned on,
 * traffic put back by hand). Each write is computed from a fresh read, and a
 * route that is not what the action last wrote or read ends the deploy: the
 * rollback then restores only the weights this run changed, keeping the rest.
 */
import { sameRouteActions, type Action, type Route } from '../aws/index.js';
import type { StepRunContext, Undo } from '../engine/plan.js';
import { describeRoute } from './route-check.js';
import { type ColorTargetGroups, forwardTargets, stickinessOf, weightsOf } from './traffic.js';

/** A route as the action knows it: read in pre-flight or read back after its own write. */
export type KnownRoute = Pick<Route, 'kind' | 'arn' | 'actions'>;

/** True when two action lists are the same route (see sameRouteActions). */
export const sameActions: (a: Action[], b: Action[]) => boolean = sameRouteActions;

/** What changed in a route, field by field: `weights blue 0 → 100, green 100 → 0; stickiness off → on (600 s)`. */
export function describeChange(known: Action[], now: Action[], colors: ColorTargetGroups): string {
  const parts: string[] = [];
  const types = (actions: Action[]) => actions.map((a) => a.Type ?? '?').join(', ');
  if (types(known) !== types(now)) parts.push(`actions ${types(known)} → ${types(now)}`);
  const [was, is] = [weightsOf(known, colors), weightsOf(now, colors)];
  const weightChanges = (['blue', 'green'] as const)
    .filter((c) => was[c] !== is[c])
    .map((c) => `${c} ${was[c]} → ${is[c]}`);
  if (weightChanges.length > 0) parts.push(`weights ${weightChanges.join(', ')}`);
  const others = (actions: Action[]) =>
    actions
      .filter((a) => a.Type === 'forward')
      .flatMap(forwardTargets)
      .filter((t) => t.arn !== colors.blue && t.arn !== colors.green)
      .map((t) => `${t.arn} ${t.weight}`)
      .join(', ') || 'none';
  if (others(known) !== others(now)) parts.push(`other target groups ${others(known)} → ${others(now)}`);
  const stick = (actions: Action[]) => {
    const s = stickinessOf(actions);
    return s.enabled ? `on (${s.durationSeconds ?? '?'} s)` : 'off';
  };
  if (stick(known) !== stick(now)) parts.push(`stickiness ${stick(known)} → ${stick(now)}`);
  return parts.length > 0 ? parts.join('; ') : 'its actions differ in another field';
}

/**
 * What undoing this run on a route that someone else changed means: the
 * weights and target groups read in pre-flight, on top of the route as it is
 * now (their stickiness and other actions kept). A route that no longer
 * forwards to blue and green alone keeps what they made of it.
 */
export function restoreKeepingTheirs(
  preflight: Action[],
  now: Action[],
  colors: ColorTargetGroups,
): Action[] {
  const ours = (a: Action) =>
    a.Type === 'forward' && forwardTargets(a).every((t) => t.arn === colors.blue || t.arn === colors.green);
  const original = preflight.find((a) => a.Type === 'forward');
  const forwards = now.filter((a) => a.Type === 'forward');
  if (!original || forwards.length !== 1 || !forwards.every(ours)) return now;
  // a bare TargetGroupArn is one target group at weight 1
  const targetGroups =
    original.ForwardConfig?.TargetGroups ??
    (original.TargetGroupArn ? [{ TargetGroupArn: original.TargetGroupArn, Weight: 1 }] : []);
  return now.map((action) => {
    if (action.Type !== 'forward') return action;
    const restored: Action = {
      ...action,
      ForwardConfig: { ...action.ForwardConfig, TargetGroups: targetGroups },
    };
    // AWS accepts TargetGroupArn beside ForwardConfig only for the same single target group
    if (original.TargetGroupArn && targetGroups.length === 1)
      restored.TargetGroupArn = original.TargetGroupArn;
    else delete restored.TargetGroupArn;
    return restored;
  });
}

/**
 * Reads the routes and compares each with what the action last wrote or read
 * (`known`). On any difference the step's own undo of those routes becomes
 * "the pre-flight weights on top of what is there now" (saved before the
 * throw), so that the rollback keeps the other change, and the deploy ends
 * with an error naming each route and what changed. Returns the fresh read.
 */
export async function recheckRoutes(
  ctx: StepRunContext,
  p: {
    routes: KnownRoute[];
    known: KnownRoute[];
    preflight: KnownRoute[];
    colors: ColorTargetGroups;
    undo: Undo[];
  },
): Promise<Route[]> {
  const listeners = p.routes.filter((r) => r.kind === 'listener').map((r) => r.arn);
  const rules = p.routes.filter((r) => r.kind === 'rule').map((r) => r.arn);
  const now = await ctx.aws.elbv2.describeRoutes(listeners, rules);
  const changes: string[] = [];
  for (const route of now) {
    const known = p.known.find((r) => r.arn === route.arn)?.actions;
    if (!known || sameActions(known, route.actions)) continue;
    changes.push(`${describeRoute(route)} ${route.arn}: ${describeChange(known, route.actions, p.colors)}`);
    const preflight = p.preflight.find((r) => r.arn === route.arn)?.actions ?? known;
    for (const undo of p.undo)
      if (undo.kind === 'restore-route' && undo.route.arn === route.arn)
        undo.actions = restoreKeepingTheirs(preflight, route.actions, p.colors);
  }
  if (changes.length > 0) {
    ctx.saveJournal?.();
    throw new Error(
      `changed by someone else during the deploy (not by this run): ${changes.join('; ')}. The deploy stops here so that the change is not overwritten; the rollback puts back only the weights this run changed and keeps the rest of the change`,
    );
  }
  return now;
}
