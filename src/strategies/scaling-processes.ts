/**
 * Scaling held still for the deploy: the processes of `suspend-processes`
 * (by default AlarmNotification, ScheduledActions, AZRebalance) are suspended
 * on every group the run changes before its first capacity write, and resumed
 * when the run ends, whatever the ending. Only what this run suspended is
 * resumed: a process the group already had suspended stays suspended.
 */
import type { GroupSnapshot } from '../aws/index.js';
import type { PlannedWrite, Step, Undo } from '../engine/plan.js';

interface Suspension {
  group: string;
  /** Suspended by this run (and resumed at its end). */
  processes: string[];
  /** Already suspended before the run: left as they are. */
  kept: string[];
}

/** Per group (each once), what this run suspends and what it finds already suspended. */
export function suspensions(groups: readonly GroupSnapshot[], processes: readonly string[]): Suspension[] {
  const seen = new Set<string>();
  const out: Suspension[] = [];
  for (const group of groups) {
    if (seen.has(group.name)) continue;
    seen.add(group.name);
    out.push({
      group: group.name,
      processes: processes.filter((p) => !group.suspendedProcesses.includes(p)),
      kept: processes.filter((p) => group.suspendedProcesses.includes(p)),
    });
  }
  return out;
}

/** The step that suspends them, its undo recorded before the first write; none when there is nothing to suspend. */
export function suspendProcessesStep(
  groups: readonly GroupSnapshot[],
  processes: readonly string[],
): Step | undefined {
  const todo = suspensions(groups, processes).filter((s) => s.processes.length > 0);
  if (todo.length === 0) return undefined;
  const write = (action: string, s: Suspension, detail: string): PlannedWrite => ({
    service: 'autoscaling',
    action,
    target: s.group,
    detail,
  });
  const undo: Undo[] = todo.map((s) => ({
    kind: 'resume-processes',
    group: s.group,
    processes: s.processes,
  }));
  return {
    id: 'suspend-processes',
    title: `Suspend scaling processes on ${todo.map((s) => s.group).join(', ')} until the run ends`,
    phase: 'deploy',
    writes: todo.map((s) => write('SuspendProcesses', s, s.processes.join(', '))),
    endWrites: todo.map((s) =>
      write('ResumeProcesses', s, `${s.processes.join(', ')} (when the run ends, whatever the ending)`),
    ),
    undo,
    undoAlways: true,
    untilRunEnd: true,
    run: async (ctx) => {
      for (const s of todo) await ctx.aws.autoScaling.suspendProcesses(s.group, s.processes);
      return todo.map((s) => `${s.group}: ${s.processes.join(', ')}`).join('; ');
    },
  };
}
