import { isDeepStrictEqual } from 'node:util';
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';

/**
 * True when two action lists are the same route: compared as JSON (runner state
 * drops undefined fields), with a forward's stickiness spelled out. A forward
 * written without `TargetGroupStickinessConfig` reads back with `{ Enabled: false }`
 * (moto does; AWS lists it too). Nothing else is relaxed: weights and target
 * groups compare exactly.
 */
export function sameRouteActions(a: Action[], b: Action[]): boolean {
  return isDeepStrictEqual(comparable(a), comparable(b));
}

function comparable(actions: Action[]): unknown {
  return (JSON.parse(JSON.stringify(actions)) as Action[]).map((action) => {
    const forward = action.ForwardConfig;
    if (!forward) return action;
    const stickiness = forward.TargetGroupStickinessConfig;
    return {
      ...action,
      ForwardConfig: {
        ...forward,
        TargetGroupStickinessConfig: stickiness?.Enabled ? stickiness : { Enabled: false },
      },
    };
  });
}

/** One action, a forward whose every target group with weight is `targetGroupArn`. */
export function forwardsOnlyTo(actions: Action[], targetGroupArn: string): boolean {
  if (actions.length !== 1 || actions[0]?.Type !== 'forward') return false;
  const forward = actions[0];
  const groups = forward.ForwardConfig?.TargetGroups ?? [];
  const arns =
    groups.length > 0
      ? groups.filter((g) => (g.Weight ?? 1) > 0).map((g) => g.TargetGroupArn)
      : [forward.TargetGroupArn];
  return arns.length > 0 && arns.every((arn) => arn === targetGroupArn);
}
