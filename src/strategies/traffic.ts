import type { Action } from '../aws/elbv2.js';
import type { Color } from '../config.js';

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
 * else is kept as it was: other actions, order, stickiness. A color at 0 % is
 * left out, so 100 % to one color is a plain single-group forward.
 */
export function withSplit(actions: Action[], colors: ColorTargetGroups, split: TrafficSplit): Action[] {
  return actions.map((action) => {
    if (action.Type !== 'forward') return action;
    const targetGroups = (['blue', 'green'] as const)
      .filter((color) => split[color] > 0)
      .map((color) => ({ TargetGroupArn: colors[color], Weight: split[color] }));
    const rewritten: Action = { ...action, ForwardConfig: { ...action.ForwardConfig, TargetGroups: targetGroups } };
    if (targetGroups.length === 1) rewritten.TargetGroupArn = targetGroups[0]?.TargetGroupArn;
    else delete rewritten.TargetGroupArn;
    return rewritten;
  });
}

export function allTo(color: Color): TrafficSplit {
  return color === 'blue' ? { blue: 100, green: 0 } : { blue: 0, green: 100 };
}

export function describeSplit(split: TrafficSplit): string {
  return `blue ${split.blue} % / green ${split.green} %`;
}

function forwardTargets(forward: Action): { arn: string; weight: number }[] {
  const groups = forward.ForwardConfig?.TargetGroups;
  if (groups && groups.length > 0) {
    return groups.map((g) => ({ arn: g.TargetGroupArn ?? '', weight: g.Weight ?? 1 }));
  }
  return forward.TargetGroupArn ? [{ arn: forward.TargetGroupArn, weight: 1 }] : [];
}
