/**
 * What retire checks before it scales the previous fleet down, in pre-flight
 * (a refusal there writes nothing) and again in its gate step just before the
 * write: no route of any load balancer that uses the previous fleet's target
 * groups sends it traffic (production listeners and rules, preview listeners,
 * rules added by hand), and the serving fleet has capacity, every instance
 * healthy. The same reading as the cut-over check of a deploy (route-check.ts).
 */
import type { Aws, Route } from '../aws/index.js';
import type { Color } from '../inputs/config.js';
import { type FleetReading, healthyInstances } from './fleet.js';
import { describeForwarded, describeRoute, readRoutesReaching, trafficTo } from './route-check.js';

export interface RetireFleets {
  previous: { color: Color; group: string; targetGroupArn: string };
  serving: { color: Color; group: string; targetGroupArn: string };
  /** The production routes of the inputs (listener-arns, listener-rule-arns), as pre-flight read them. */
  named: Route[];
}

/** One line per route that sends the previous fleet traffic (weight > 0), naming it. */
export async function routesToPrevious(
  aws: Aws,
  fleets: RetireFleets,
  /** Every target group the previous group is attached to, its color's first. */
  targetGroupArns: readonly string[],
): Promise<string[]> {
  const balancers = fleets.named.map((r) => r.loadBalancerArn).filter((arn) => arn !== undefined);
  const all = await readRoutesReaching(aws, targetGroupArns, balancers);
  const listeners = new Set(fleets.named.filter((r) => r.kind === 'listener').map((r) => r.arn));
  const rules = new Set(fleets.named.filter((r) => r.kind === 'rule').map((r) => r.arn));
  const { previous } = fleets;
  const label = (arn: string) =>
    arn === previous.targetGroupArn ? `${previous.color} (${previous.group})` : `target group ${arn}`;
  const found: string[] = [];
  for (const route of all) {
    const to = trafficTo(route.actions, targetGroupArns);
    if (to.length === 0) continue;
    const what =
      route.kind === 'listener'
        ? listeners.has(route.arn)
          ? 'production listener'
          : 'listener (not in listener-arns: a preview or other listener)'
        : rules.has(route.arn)
          ? 'production listener rule'
          : 'listener rule (not in listener-rule-arns)';
    found.push(`${what} ${describeRoute(route)} ${route.arn} forwards to ${describeForwarded(to, label)}`);
  }
  return found;
}

/** Why the serving fleet cannot be left alone (no capacity, or not every instance healthy); undefined when it can. */
export function servingProblem(serving: RetireFleets['serving'], reading: FleetReading): string | undefined {
  const { desired } = reading.group;
  const healthy = healthyInstances(reading).length;
  if (desired === 0)
    return `${serving.group} (${serving.color}, serving) has no capacity (desired 0): the previous fleet may be all that is left`;
  if (healthy < desired)
    return `${serving.group} (${serving.color}, serving) has ${healthy} healthy instance(s) for a desired capacity of ${desired}: the previous fleet is kept while production is not fully healthy (it is the instant rollback)`;
  return undefined;
}

/** The refusal, naming every route and problem. */
export function notRetired(fleets: RetireFleets, problems: string[], when: 'pre-flight' | 'run'): string {
  const { previous, serving } = fleets;
  const routes = problems.filter((p) => / forwards to /.test(p)).length;
  const advice =
    routes > 0
      ? ` Point ${routes === 1 ? 'that route' : 'those routes'} at ${serving.color} (or remove ${routes === 1 ? 'it' : 'them'}), then run retire again.`
      : '';
  return `${previous.group} (${previous.color}, previous) is not retired: ${problems.join('; ')}.${when === 'pre-flight' ? ' Nothing was changed.' : ''}${advice}`;
}
