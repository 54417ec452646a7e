/** Every demo scenario, in the order `npm run demo -- all` runs them. */
import { alternate, canaryAlarmRollback, happy, plan, preflightFailure, rollback } from './blue-green.js';
import type { Scenario } from './scenario.js';
import { recreate, rolling } from './single-group.js';

export type { Scenario, World } from './scenario.js';

export const SCENARIOS: readonly Scenario[] = [
  happy,
  alternate,
  canaryAlarmRollback,
  rolling,
  recreate,
  rollback,
  plan,
  preflightFailure,
];

export function scenarioNamed(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
