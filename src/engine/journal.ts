import type { Facts, Undo } from './plan.js';

export type StepStatus = 'running' | 'done' | 'failed' | 'undoing' | 'undone' | 'undo-failed' | 'skipped';

export interface JournalEntry {
  id: string;
  title: string;
  phase: 'deploy' | 'cleanup';
  status: StepStatus;
  startedAt: number;
  endedAt?: number;
  /** Short result or error for the summary. */
  detail?: string;
  /** How the step itself ended (kept when it is undone later): `failed` names the step that stopped the run. */
  outcome?: 'done' | 'failed';
  /** What the step checks before the run goes on (`health`, `health + alarms`), when it is a gate. */
  gate?: string;
  /** Recorded before the step's first write is sent. */
  undo?: Undo[];
  /** See Step.undoAlways. */
  undoAlways?: boolean;
  /** See Step.untilRunEnd. */
  untilRunEnd?: boolean;
  undoneAt?: number;
  undoDetail?: string;
  /**
   * The undos of this entry (index into `undo`) that the last rollback could
   * not apply, and why: the entry is then `undo-failed`, and the others were applied.
   */
  notRestored?: { index: number; why: string }[];
  /** What the step learned for later steps (see Facts). */
  learned?: Facts;
}

/**
 * The record of what a run has started, finished and undone. Every change is
 * handed to `persist` at once (main.ts saves it as runner state), so that a step
 * is on record before its write goes out and a post step can finish the undo.
 */
export class Journal {
  readonly entries: JournalEntry[] = [];

  constructor(private readonly persist: (entries: readonly JournalEntry[]) => void = () => {}) {}

  /** A journal carrying on from saved entries (the post step's, from main's state). */
  static from(entries: readonly JournalEntry[]): Journal {
    const journal = new Journal();
    journal.entries.push(...structuredClone([...entries]));
    return journal;
  }

  begin(entry: Omit<JournalEntry, 'status'>): JournalEntry {
    const recorded: JournalEntry = { ...entry, status: 'running' };
    this.entries.push(recorded);
    this.save();
    return recorded;
  }

  update(entry: JournalEntry, change: Partial<JournalEntry>): void {
    Object.assign(entry, change);
    this.save();
  }

  /** The facts every entry learned, later ones over earlier ones. */
  facts(): Facts {
    return Object.assign({}, ...this.entries.map((e) => e.learned ?? {})) as Facts;
  }

  private save(): void {
    this.persist(this.entries);
  }
}
