/**
 * What a run suspends, written with its lock: `asg-deploy:lock-suspends` on
 * each group where it suspends scaling processes (`run=123 attempt=1
 * processes=AZRebalance,ScheduledActions`), deleted with the lock. A run that
 * finishes, or whose post step runs, resumes them and removes the tag; a run
 * killed with no post step leaves both. Found with no live lock, the tag names
 * processes a dead run suspended: those still suspended are not the team's,
 * and the next run that holds the group resumes them at its end.
 */
import type { JournalEntry } from '../engine/journal.js';
import { type LockHolder, LOCK_SUSPENDS_KEY, lockField, parseLock } from './lock.js';

/** The id of the step that suspends the processes (strategies/scaling-processes.ts). */
export const SUSPEND_STEP_ID = 'suspend-processes';

/** Processes a run that did not finish left suspended on a group. */
export interface LeftSuspended {
  group: string;
  /** `run 123` or `run 123 attempt 2`. */
  run: string;
  /** Named by its tag and still suspended. */
  processes: string[];
}

function parseLockSuspends(value: string | undefined): { run: string; processes: string[] } | undefined {
  if (!value) return undefined;
  const field = (name: string) => lockField(value, name);
  const processes = field('processes').split(',').filter(Boolean);
  if (processes.length === 0) return undefined;
  const attempt = Number(field('attempt')) || 1;
  return { run: `run ${field('run') || 'unknown'}${attempt > 1 ? ` attempt ${attempt}` : ''}`, processes };
}

/**
 * Per group, the processes a run that did not finish left suspended: named by
 * the group's `lock-suspends` tag, still suspended now, and no live lock on the
 * group (`live` says whether a lock found there still counts).
 */
export function leftSuspended(
  tags: ReadonlyMap<string, Record<string, string>>,
  groups: readonly { name: string; suspendedProcesses: readonly string[] }[],
  live: (held: LockHolder) => boolean,
): LeftSuspended[] {
  const out: LeftSuspended[] = [];
  const seen = new Set<string>();
  for (const group of groups) {
    if (seen.has(group.name)) continue;
    seen.add(group.name);
    const groupTags = tags.get(group.name);
    const held = parseLock(groupTags);
    if (held && live(held)) continue;
    const found = parseLockSuspends(groupTags?.[LOCK_SUSPENDS_KEY]);
    const processes = found?.processes.filter((p) => group.suspendedProcesses.includes(p)) ?? [];
    if (found && processes.length > 0) out.push({ group: group.name, run: found.run, processes });
  }
  return out;
}

/** `app-blue: AZRebalance was suspended by run 123, which did not finish: <then>`. */
export function describeLeftSuspended(left: LeftSuspended, then: string): string {
  const verb = left.processes.length > 1 ? 'were' : 'was';
  return `${left.group}: ${left.processes.join(', ')} ${verb} suspended by ${left.run}, which did not finish: ${then}`;
}

/** `mode: status`: a note per group where a run that did not finish left processes suspended (a live lock's are its own). */
export function leftSuspendedNotes(
  tags: ReadonlyMap<string, Record<string, string>>,
  groups: readonly { name: string; suspendedProcesses: readonly string[] }[],
  now: number,
): string[] {
  return leftSuspended(tags, groups, (held) => held.expiresAt > now).map((l) =>
    describeLeftSuspended(
      l,
      `the next run that takes the lock resumes ${l.processes.length > 1 ? 'them' : 'it'} at its end`,
    ),
  );
}

/**
 * Whether the run's record of what it suspends on `group` must outlive its lock:
 * once the suspension step has started, unless the journal shows that group's
 * processes resumed (the step undone there), the next run needs it to resume
 * them. A run that never started it suspended nothing (its lock lost or
 * withdrawn): its record goes with its lock, unless it had taken over what a
 * dead run left suspended there (`adopted`): then it stays, for the next run.
 */
export function keepSuspendsRecord(
  entries: readonly JournalEntry[],
): (group: string, adopted: boolean) => boolean {
  const entry = entries.find((e) => e.id === SUSPEND_STEP_ID);
  return (group, adopted) => {
    if (!entry) return adopted;
    if (entry.status === 'undone') return false;
    if (entry.status !== 'undo-failed') return true;
    return (entry.notRestored ?? []).some((n) => {
      const undo = entry.undo?.[n.index];
      return undo?.kind === 'resume-processes' && undo.group === group;
    });
  };
}
