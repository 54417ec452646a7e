/**
 * Every route that reaches a fleet, not only the ones the inputs name: a rule
 * someone added last month (`/api/*` → blue) keeps sending traffic to the old
 * color after the switch, and scaling it down would break every request it
 * matches. Read-only: the load balancers that use the target groups, each of
 * their listeners and each listener's rules.
 */
import type { Action, Aws, Route } from '../aws/index.js';
import { shortArn } from '../aws/arn.js';
import { forwardTargets } from './traffic.js';

/** A target group a route sends traffic to (weight > 0), and the route's total weight. */
export interface Forwarded {
  targetGroupArn: string;
  weight: number;
  total: number;
}

/** What a route's forward actions send to `targetGroupArns` (weight > 0 only: weight 0 is no traffic). */
export function trafficTo(actions: Action[], targetGroupArns: readonly string[]): Forwarded[] {
  const found: Forwarded[] = [];
  for (const forward of actions.filter((a) => a.Type === 'forward')) {
    const targets = forwardTargets(forward);
    const total = targets.reduce((sum, t) => sum + t.weight, 0);
    for (const t of targets)
      if (t.weight > 0 && targetGroupArns.includes(t.arn))
        found.push({ targetGroupArn: t.arn, weight: t.weight, total });
  }
  return found;
}

/**
 * Every listener and rule of every load balancer that routes to one of the
 * target groups, and of the load balancers given (those of the named
 * listeners). One DescribeTargetGroups, then per load balancer its listeners
 * and per listener its rules.
 */
export async function readRoutesReaching(
  aws: Aws,
  targetGroupArns: readonly string[],
  loadBalancerArns: readonly string[] = [],
): Promise<Route[]> {
  const byTargetGroup = await aws.elbv2.loadBalancersOf([...new Set(targetGroupArns)]);
  const balancers = new Set([...loadBalancerArns, ...[...byTargetGroup.values()].flat()]);
  const routes = await Promise.all([...balancers].map((lb) => aws.elbv2.loadBalancerRoutes(lb)));
  return routes.flat();
}

/** `listener/app/…/f2f7 (HTTP:80) default action` or `listener-rule/app/…/9a1b (priority 10, path-pattern /api/*, on listener port 80)`. */
export function describeRoute(route: Route): string {
  if (route.kind === 'listener') {
    const where = route.port === undefined ? '' : ` (${route.protocol ?? ''}:${route.port})`;
    return `${shortArn(route.arn)}${where} default action`;
  }
  const matches = (route.conditions ?? [])
    .map((c) => `${c.Field ?? '?'} ${conditionValues(c).join(' or ')}`)
    .join(' and ');
  const details = [
    route.priority === undefined ? '' : `priority ${route.priority}`,
    matches,
    route.port === undefined ? '' : `on listener port ${route.port}`,
  ].filter((d) => d !== '');
  return `${shortArn(route.arn)}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
}

/** `app-blue weight 100 of 100`. */
export function describeForwarded(found: Forwarded[], label: (targetGroupArn: string) => string): string {
  return found.map((f) => `${label(f.targetGroupArn)} weight ${f.weight} of ${f.total}`).join(', ');
}

/**
 * Pre-flight: a route that sends traffic to one of the fleets but is not named
 * in the inputs would be left on the old fleet. One problem per such route,
 * with the exact line that names it.
 */
export function unnamedRoutes(
  all: readonly Route[],
  named: ReadonlySet<string>,
  fleets: { targetGroupArn: string; label: string }[],
  consequence: string,
): string[] {
  const label = (arn: string) => fleets.find((f) => f.targetGroupArn === arn)?.label ?? shortArn(arn);
  const arns = fleets.map((f) => f.targetGroupArn);
  const problems: string[] = [];
  for (const route of all) {
    if (named.has(route.arn)) continue;
    const found = trafficTo(route.actions, arns);
    if (found.length === 0) continue;
    const input = route.kind === 'listener' ? 'listener-arns' : 'listener-rule-arns';
    problems.push(
      `${input}: ${describeRoute(route)} forwards to ${describeForwarded(found, label)} but is not named in the inputs: ${consequence}. Add this line to ${input}: ${route.arn}`,
    );
  }
  return problems;
}

function conditionValues(c: NonNullable<Route['conditions']>[number]): string[] {
  const values =
    c.PathPatternConfig?.Values ??
    c.HostHeaderConfig?.Values ??
    c.HttpRequestMethodConfig?.Values ??
    c.SourceIpConfig?.Values ??
    c.HttpHeaderConfig?.Values?.map((v) => `${c.HttpHeaderConfig?.HttpHeaderName ?? ''}: ${v}`) ??
    c.QueryStringConfig?.Values?.map((v) => `${v.Key ? `${v.Key}=` : ''}${v.Value ?? ''}`) ??
    c.Values ??
    [];
  return values;
}

/**
 * Recreate: every route that sends traffic to the group while its listeners
 * serve the maintenance response. A rule of a named listener is covered: it
 * gets the maintenance response too (returned in `covered`). A listener not
 * named, or a rule of one, is refused with the line that names the listener.
 * Rules that match only the health-check header (`skipHeader`, from an
 * earlier run) serve no client and are ignored.
 */
export function recreateRoutes(
  all: readonly Route[],
  namedListeners: ReadonlySet<string>,
  targetGroupArns: string[],
  skipHeader: string,
): { problems: string[]; covered: Route[] } {
  const problems: string[] = [];
  const covered: Route[] = [];
  for (const route of all) {
    if (route.kind === 'listener' && namedListeners.has(route.arn)) continue;
    const found = trafficTo(route.actions, targetGroupArns);
    if (found.length === 0) continue;
    const isMarker = (route.conditions ?? []).some(
      (c) => c.Field === 'http-header' && c.HttpHeaderConfig?.HttpHeaderName === skipHeader,
    );
    if (isMarker) continue;
    const listener = route.kind === 'listener' ? route.arn : (route.listenerArn ?? '');
    if (namedListeners.has(listener)) {
      covered.push(route);
      continue;
    }
    problems.push(
      `listener-arns: ${describeRoute(route)} forwards to ${describeForwarded(found, shortArn)} but its listener is not named in listener-arns: it would send requests to instances being replaced, with no maintenance response. Add this line to listener-arns: ${listener}`,
    );
  }
  return { problems, covered };
}
