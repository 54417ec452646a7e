/**
 * `mode: retire` (blue-green with both groups): scales the previous color,
 * kept by `previous-fleet: keep`, down to 0. It deploys nothing, so what to
 * deploy and how to move traffic do not apply (their spec rows exclude it).
 */
import type { Config, Mode, Strategy } from './config.js';
import type { InputReader } from './reader.js';

export function checkRetireStrategy(
  r: InputReader,
  strategy: Strategy | undefined,
  mode: Mode | undefined,
): void {
  if (mode !== 'retire' || strategy === undefined || strategy === 'blue-green') return;
  r.problem(
    'mode',
    `retire applies to strategy blue-green only (it scales the previous color's group down), got strategy ${strategy}: a ${strategy} deploy keeps no previous fleet`,
  );
}

export function checkRetireGroups(r: InputReader, config: Config): void {
  if (config.mode !== 'retire' || config.strategy !== 'blue-green' || !config.targetGroupsOnly) return;
  r.problem(
    'mode',
    "retire needs blue-auto-scaling-group and green-auto-scaling-group (it scales the previous color down to 0), got target groups only: then no capacity is the action's to change",
  );
}
