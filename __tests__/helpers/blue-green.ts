import type { BlueGreenFixture } from '../../sim/index.js';

/** The inputs a user sets for a blue/green deploy of the fixture. */
export function blueGreenInputs(
  f: BlueGreenFixture,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    'listener-arns': f.listenerArns.join('\n'),
    ...(f.ruleArns.length > 0 ? { 'listener-rule-arns': f.ruleArns.join(',') } : {}),
    'blue-auto-scaling-group': f.blueGroup,
    'green-auto-scaling-group': f.greenGroup,
    'poll-interval': '10s',
    ...extra,
  };
}

/** Everything a rollback must put back exactly: route actions and both groups. */
export function snapshot(f: BlueGreenFixture) {
  const group = (name: string) => {
    const g = f.sim.group(name);
    return {
      min: g.min,
      max: g.max,
      desired: g.desired,
      launchTemplate: g.launchTemplate,
      suspended: f.sim.suspendedProcesses(name),
    };
  };
  return {
    listeners: f.listenerArns.map((arn) => f.sim.listenerActions(arn)),
    rules: f.ruleArns.map((arn) => f.sim.ruleActions(arn)),
    blue: group(f.blueGroup),
    green: group(f.greenGroup),
    versions: f.sim.launchTemplateVersions(f.launchTemplateId),
  };
}

/** Target group each route's forward action sends traffic to (weight > 0). */
export function trafficTargets(f: BlueGreenFixture): string[][] {
  const routes = [
    ...f.listenerArns.map((a) => f.sim.listenerActions(a)),
    ...f.ruleArns.map((a) => f.sim.ruleActions(a)),
  ];
  return routes.map((actions) =>
    actions
      .filter((a) => a.Type === 'forward')
      .flatMap((a) => a.ForwardConfig?.TargetGroups ?? [])
      .filter((tg) => (tg.Weight ?? 1) > 0)
      .map((tg) => tg.TargetGroupArn ?? ''),
  );
}
