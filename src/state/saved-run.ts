/**
 * What main hands to the post step (GITHUB_STATE), by name, and how the post
 * step reads it back. Pure: action/main.ts and action/post.ts bind it to `core.saveState` /
 * `core.getState`, tests to a Map.
 */
import type { JournalEntry, StepStatus } from '../engine/journal.js';

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
  const context = parse(get(STATE.context), isSavedContext);
  if (!context) return undefined;
  const lock = parse(get(STATE.lock), isSavedLock);
  return {
    context,
    ...(lock && { lock }),
    journal: parse(get(STATE.journal), isJournal) ?? [],
    finished: get(STATE.finished) === 'true',
  };
}

/** The JSON in `text` when it has the shape `is` checks; undefined when empty, malformed or of another shape. */
function parse<T>(text: string, is: (value: unknown) => value is T): T | undefined {
  if (text === '') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return is(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isSavedContext(value: unknown): value is SavedContext {
  return (
    isObject(value) &&
    typeof value.region === 'string' &&
    typeof value.pollIntervalMs === 'number' &&
    typeof value.autoRollback === 'boolean'
  );
}

export function isSavedLock(value: unknown): value is SavedLock {
  return (
    isObject(value) &&
    typeof value.token === 'string' &&
    Array.isArray(value.groups) &&
    value.groups.every((g) => typeof g === 'string')
  );
}

const STATUSES = new Set<unknown>([
  'running',
  'done',
  'failed',
  'undoing',
  'undone',
  'undo-failed',
  'skipped',
] satisfies StepStatus[]);

/** Entries as the journal writes them: what the post step needs to decide and undo is checked. */
function isJournal(value: unknown): value is JournalEntry[] {
  return (
    Array.isArray(value) &&
    value.every(
      (e) =>
        isObject(e) &&
        typeof e.id === 'string' &&
        typeof e.title === 'string' &&
        (e.phase === 'deploy' || e.phase === 'cleanup') &&
        STATUSES.has(e.status) &&
        typeof e.startedAt === 'number' &&
        (e.undo === undefined ||
          (Array.isArray(e.undo) && e.undo.every((u) => isObject(u) && typeof u.kind === 'string'))),
    )
  );
}
