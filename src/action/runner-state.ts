import * as core from '@actions/core';
import { readSavedRun, type SavedRun, type StateName } from '../state/saved-run.js';

/** Saves one piece of main's state for the post step; called before each write is sent. */
export function saveRunnerState(name: StateName, value: string): void {
  core.saveState(name, value);
}

/** Main's state, as the post step reads it (STATE_* variables). */
export function readRunnerState(): SavedRun | undefined {
  return readSavedRun((name) => core.getState(name));
}
