import type { Action } from '../aws/elbv2.js';
import type { Color } from '../inputs/config.js';

/** The target group of each color. */
export interface ColorTargetGroups {
  blue: string;
  green: string;
}

/** Share of a route's traffic per color, in percent (0..100). */
export interface TrafficSplit {
  blue: number;
  green: number;
}

export interface RouteReading {
  split: TrafficSplit;
  /** Target groups the forward action names that are neither blue nor green. */
  foreign: string[];
  /** Number of forward actions (exactly one is expected). */
  forwardActions: number;
}

/** Reads how a route's forward action shares traffic between the colors. */
export function readRoute(actions: Action[], colors: ColorTargetGroups): RouteReading {
  const forwards = actions.filter((a) => a.Type === 'forward');
  const weights = { blue: 0, green: 0 };
  const foreign: string[] = [];
  for (const forward of forwards) {
    for (const { arn, weight } of forwardTargets(forward)) {
      if (arn === colors.blue) weights.blue += weight;
      else if (arn === colors.green) weights.green += weight;
      else foreign.push(arn);
    }
  }
  const total = weights.blue + weights.green;
  const split =
    total === 0
      ? { blue: 0, green: 0 }
      : { blue: Math.round((100 * weights.blue) / total), green: Math.round((100 * weights.green) / total) };
  return { split, foreign, forwardActions: forwards.length };
}

/**
 * The same actions with the forward action sending `split` to the colors. All
 * else is kept as it was: other actions, order, stickiness. Both colors stay
 * listed, the idle one at weight 0: a target group that no action references is
 * not health-checked (its targets read `unused`), so the idle color could never
 * be seen healthy before it gets traffic.
 */
export function withSplit(actions: Action[], colors: ColorTargetGroups, split: TrafficSplit): Action[] {
  const colorOf = (arn: string) =>
    arn === colors.blue ? 'blue' : arn === colors.green ? 'green' : undefined;
  return actions.map((action) => {
    if (action.Type !== 'forward') return action;
    const listed = forwardTargets(action)
      .map((t) => colorOf(t.arn))
      .filter((c) => c !== undefined);
    const order = [...new Set([...listed, 'blue' as const, 'green' as const])];
    const targetGroups = order.map((color) => ({ TargetGroupArn: colors[color], Weight: split[color] }));
    const rewritten: Action = {
      ...action,
      ForwardConfig: { ...action.ForwardConfig, TargetGroups: targetGroups },
    };
    delete rewritten.TargetGroupArn;
    return rewritten;
  });
}

/** True when the route's forward action names the color's target group (at any weight). */
export function references(actions: Action[], targetGroupArn: string): boolean {
  return actions.some((a) => a.Type === 'forward' && forwardTargets(a).some((t) => t.arn === targetGroupArn));
}

export function allTo(color: Color): TrafficSplit {
  return color === 'blue' ? { blue: 100, green: 0 } : { blue: 0, green: 100 };
}

export function describeSplit(split: TrafficSplit): string {
  return `blue ${split.blue} % / green ${split.green} %`;
}

/** The target groups a forward action names, with their weights (a bare TargetGroupArn is weight 1). */
export function forwardTargets(forward: Action): { arn: string; weight: number }[] {
  const groups = forward.ForwardConfig?.TargetGroups;
  if (groups && groups.length > 0) {
    return groups.map((g) => ({ arn: g.TargetGroupArn ?? '', weight: g.Weight ?? 1 }));
  }
  return forward.TargetGroupArn ? [{ arn: forward.TargetGroupArn, weight: 1 }] : [];
}

/** The forward action's weights per color as written (not normalized), and any other target group. */
export function weightsOf(actions: Action[], colors: ColorTargetGroups): TrafficSplit & { foreign: number } {
  const weights = { blue: 0, green: 0, foreign: 0 };
  for (const forward of actions.filter((a) => a.Type === 'forward')) {
    for (const { arn, weight } of forwardTargets(forward)) {
      if (arn === colors.blue) weights.blue += weight;
      else if (arn === colors.green) weights.green += weight;
      else weights.foreign += weight;
    }
  }
  return weights;
}

/** The forward action's stickiness, with the API's default (off) made explicit. */
export function stickinessOf(actions: Action[]): { enabled: boolean; durationSeconds?: number } {
  const config = actions.find((a) => a.Type === 'forward')?.ForwardConfig?.TargetGroupStickinessConfig;
  return config?.Enabled ? { enabled: true, durationSeconds: config.DurationSeconds } : { enabled: false };
}

/** The split that sends `percent` to `to` and the rest to the other color. */
export function splitFor(to: Color, percent: number): TrafficSplit {
  return to === 'green' ? { blue: 100 - percent, green: percent } : { blue: percent, green: 100 - percent };
}
