import type { GroupSnapshot } from '../aws/index.js';
import type { Logger } from '../engine/log.js';
import type { Step } from '../engine/plan.js';
import { describeLeftSuspended, type LeftSuspended } from '../state/lock-suspends.js';
import { resumedAtEnd, suspendProcessesStep, suspensions } from '../strategies/scaling-processes.js';

/**
 * The plan with the groups' scaling held still: the suspension first (before
 * any capacity write), resumed when the run ends, with what a run that did not
 * finish left suspended (`left`). Logs what is left as found and what is
 * resumed for a dead run. `lockSuspends`: per group held still, what this run
 * resumes there at its end (maybe nothing), which the lock write records;
 * `lockAdopted`: of those, what a dead run left suspended.
 */
export function withScalingHeld(
  steps: Step[],
  p: {
    groups: readonly GroupSnapshot[];
    processes: readonly string[];
    left: readonly LeftSuspended[];
    log: Logger;
  },
): { steps: Step[]; lockSuspends: Record<string, string[]>; lockAdopted: Record<string, string[]> } {
  const { groups, processes, left, log } = p;
  if (groups.length === 0 || (processes.length === 0 && left.length === 0))
    return { steps, lockSuspends: {}, lockAdopted: {} };
  const todo = suspensions(groups, processes, left);
  const lockSuspends: Record<string, string[]> = {};
  const lockAdopted: Record<string, string[]> = {};
  for (const s of todo) {
    if (s.kept.length > 0)
      log.info(`${s.group} already has ${s.kept.join(', ')} suspended: left suspended after the run`);
    const l = left.find((x) => x.group === s.group);
    if (l) {
      lockAdopted[s.group] = [...l.processes];
      log.warning(
        describeLeftSuspended(l, `${l.processes.length > 1 ? 'they' : 'it'} will be resumed at the end`),
      );
    }
    // on every group held still, even with nothing to resume: it replaces a dead run's stale tag
    lockSuspends[s.group] = resumedAtEnd(s);
  }
  const suspend = suspendProcessesStep(todo);
  return { steps: suspend ? [suspend, ...steps] : steps, lockSuspends, lockAdopted };
}
