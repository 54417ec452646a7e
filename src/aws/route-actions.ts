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
