/**
 * What main hands to the post step (GITHUB_STATE), by name, and how the post
 * step reads it back. Pure: main.ts and post.ts bind it to `core.saveState` /
 * `core.getState`, tests to a Map.
 */
import type { JournalEntry } from '../engine/journal.js';

export const STATE = {
  /** Region, poll interval and auto-rollback: enough for post to act without inputs. */
  context: 'context',
  /** The lock this run is taking or holds: saved before the lock tag is written. */
  lock: 'lock',
  /** The journal: every step recorded before its write is sent. */
  journal: 'journal',
  /** Set once main's plan has ended (finished, rolled back or failed): nothing left to undo. */
  finished: 'finished',
} as const;
export type StateName = (typeof STATE)[keyof typeof STATE];

export type SaveState = (name: StateName, value: string) => void;

export interface SavedContext {
  region: string;
  pollIntervalMs: number;
  autoRollback: boolean;
}

export interface SavedLock {
  token: string;
  groups: string[];
}

/** Main's state as the post step sees it. */
export interface SavedRun {
  context: SavedContext;
  lock?: SavedLock;
  journal: JournalEntry[];
  finished: boolean;
}

/** Reads main's state; undefined when main saved none (it stopped before any AWS call). */
export function readSavedRun(get: (name: StateName) => string): SavedRun | undefined {
  const context = parse<SavedContext>(get(STATE.context));
  if (!context) return undefined;
  const lock = parse<SavedLock>(get(STATE.lock));
  return {
    context,
    ...(lock && { lock }),
    journal: parse<JournalEntry[]>(get(STATE.journal)) ?? [],
    finished: get(STATE.finished) === 'true',
  };
}

function parse<T>(text: string): T | undefined {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
