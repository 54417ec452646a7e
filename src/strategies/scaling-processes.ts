/**
 * Scaling held still for the deploy: the processes of `suspend-processes`
 * (by default AlarmNotification, ScheduledActions, AZRebalance) are suspended
 * on every group the run changes before its first capacity write, and resumed
 * when the run ends, whatever the ending. Only what this run suspended is
 * resumed: a process the group already had suspended stays suspended, unless
 * a run that did not finish left it so (its lock said it suspended it there):
 * then this run resumes it too.
 */
import type { GroupSnapshot } from '../aws/index.js';
import type { PlannedWrite, Step, Undo } from '../engine/plan.js';
import { type LeftSuspended, SUSPEND_STEP_ID } from '../state/lock-suspends.js';

export interface Suspension {
  group: string;
  /** Suspended by this run (and resumed at its end). */
  processes: string[];
  /** Already suspended before the run: left as they are. */
  kept: string[];
  /** Left suspended by a run that did not finish: resumed at this run's end (not suspended again). */
  adopted: string[];
}

/** Per group (each once), what this run suspends, what it finds already suspended, what a dead run left suspended. */
export function suspensions(
  groups: readonly GroupSnapshot[],
  processes: readonly string[],
  left: readonly LeftSuspended[] = [],
): Suspension[] {
  const seen = new Set<string>();
  const out: Suspension[] = [];
  for (const group of groups) {
    if (seen.has(group.name)) continue;
    seen.add(group.name);
    const adopted = left.find((l) => l.group === group.name)?.processes ?? [];
    out.push({
      group: group.name,
      processes: processes.filter((p) => !group.suspendedProcesses.includes(p)),
      kept: processes.filter((p) => group.suspendedProcesses.includes(p) && !adopted.includes(p)),
      adopted,
    });
  }
  return out;
}

/** What the run resumes at its end on a group: what it suspends and what a dead run left suspended. */
export function resumedAtEnd(s: Suspension): string[] {
  return [...s.processes, ...s.adopted.filter((p) => !s.processes.includes(p))];
}

/** The step that suspends them, its undo recorded before the first write; none when there is nothing to suspend. */
export function suspendProcessesStep(todo: readonly Suspension[]): Step | undefined {
  const resumed = todo.map((s) => ({ s, end: resumedAtEnd(s) })).filter(({ end }) => end.length > 0);
  if (resumed.length === 0) return undefined;
  const suspended = resumed.filter(({ s }) => s.processes.length > 0).map(({ s }) => s);
  const write = (action: string, group: string, detail: string): PlannedWrite => ({
    service: 'autoscaling',
    action,
    target: group,
    detail,
  });
  const undo: Undo[] = resumed.map(({ s, end }) => ({
    kind: 'resume-processes',
    group: s.group,
    processes: end,
  }));
  const on = resumed.map(({ s }) => s.group).join(', ');
  return {
    id: SUSPEND_STEP_ID,
    title:
      suspended.length > 0
        ? `Suspend scaling processes on ${on} until the run ends`
        : `Resume when the run ends the scaling processes a run that did not finish left suspended on ${on}`,
    phase: 'deploy',
    writes: suspended.map((s) => write('SuspendProcesses', s.group, s.processes.join(', '))),
    endWrites: resumed.map(({ s, end }) =>
      write('ResumeProcesses', s.group, `${end.join(', ')} (when the run ends, whatever the ending)`),
    ),
    undo,
    undoAlways: true,
    untilRunEnd: true,
    run: async (ctx) => {
      for (const s of suspended) await ctx.aws.autoScaling.suspendProcesses(s.group, s.processes);
      return resumed.map(({ s, end }) => `${s.group}: ${end.join(', ')}`).join('; ');
    },
  };
}
