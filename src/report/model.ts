import type { Config } from '../config.js';
import type { JournalEntry } from '../engine/journal.js';
import type { PlannedWrite } from '../engine/plan.js';

export type Result = 'deployed' | 'rolled-back' | 'failed' | 'planned' | 'unchanged';

/** One row of the before/after table: a fleet (a color in blue/green). */
export interface FleetRow {
  /** `blue`, `green`, or the group's role (`fleet`). */
  name: string;
  group: string;
  targetGroupArn: string;
  launchTemplateVersion: string;
  /** min/desired/max */
  capacity: string;
  health: string;
  /** Share of traffic in percent (lowest over all routes when they differ); undefined when not measured. */
  traffic?: number;
  live: boolean;
}

/** Everything a run produced: the report module renders it, main publishes it. Pure data. */
export interface DeploymentReport {
  result: Result;
  strategy: Config['strategy'];
  mode: Config['mode'];
  startedAt: number;
  endedAt: number;
  /** One line: what was (or would be) deployed where. */
  headline: string;
  /** Why it failed or rolled back; pre-flight problems are listed in `problems`. */
  reason?: string;
  problems: string[];
  rollbackIncomplete: boolean;
  warnings: string[];
  before: FleetRow[];
  after: FleetRow[];
  steps: JournalEntry[];
  plannedWrites: PlannedWrite[];
  outputs: Record<string, string>;
  /** What AWS did on its side, one line each (an Instance Refresh's id, status, percentage, reason). */
  details?: string[];
}
