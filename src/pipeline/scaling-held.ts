import type { GroupSnapshot } from '../aws/index.js';
import type { Logger } from '../engine/log.js';
import type { Step } from '../engine/plan.js';
import { suspendProcessesStep, suspensions } from '../strategies/scaling-processes.js';

/**
 * The plan with the groups' scaling held still: the suspension first (before
 * any capacity write), resumed when the run ends. Logs what is left as found.
 */
export function withScalingHeld(
  steps: Step[],
  groups: readonly GroupSnapshot[],
  processes: readonly string[],
  log: Logger,
): Step[] {
  if (processes.length === 0 || groups.length === 0) return steps;
  for (const s of suspensions(groups, processes)) {
    if (s.kept.length > 0)
      log.info(`${s.group} already has ${s.kept.join(', ')} suspended: left suspended after the run`);
  }
  const suspend = suspendProcessesStep(groups, processes);
  return suspend ? [suspend, ...steps] : steps;
}
