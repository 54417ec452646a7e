import * as core from '@actions/core';
import type { JournalEntry } from '../engine/journal.js';

/** Names of what main hands to the post step through GITHUB_STATE. */
export const STATE = {
  journal: 'journal',
} as const;

/** Saves the journal as runner state; called before each write is sent. */
export function saveJournal(entries: readonly JournalEntry[]): void {
  core.saveState(STATE.journal, JSON.stringify(entries));
}
