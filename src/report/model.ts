import type { Config } from '../inputs/config.js';
import type { JournalEntry } from '../engine/journal.js';
import type { PlannedWrite } from '../engine/plan.js';
import type { SentWrite } from '../aws/write-log.js';

export type { SentWrite } from '../aws/write-log.js';

export type Result =
  'deployed' | 'rolled-back' | 'failed' | 'planned' | 'unchanged' | 'staged' | 'aborted' | 'retired';

/** One row of the before/after table: a fleet (a color in blue/green). */
export interface FleetRow {
  /** `blue`, `green`, or the group's role (`fleet`). */
  name: string;
  group: string;
  targetGroupArn: string;
  launchTemplateVersion: string;
  /** After the run: the group's instances counted by the launch template version they run (`v3 ×4, v2 ×1`). */
  instances?: string;
  /** min/desired/max */
  capacity: string;
  health: string;
  /** Share of traffic in percent (lowest over all routes when they differ); undefined when not measured. */
  traffic?: number;
  live: boolean;
}

/**
 * One traffic step of a progressive shift (blue/green): the weights set, and
 * what the gates saw while they held. The rollback that puts traffic back is a
 * step too (`rollback`).
 */
export interface TrafficStepRecord {
  /** Epoch ms the weights were set (verified on every route). */
  at: number;
  /** `canary 10 %`, `linear 50 %`, `100 %`, `bake`, `rollback`. */
  step: string;
  /** Percent per color, e.g. { blue: 90, green: 10 }. */
  weights: { blue: number; green: number };
  /** How long the gates watched this step (ms); 0 when not watched. */
  watchedMs: number;
  /** `passed`, `failed`, or undefined when no gate watched the step. */
  gate?: 'passed' | 'failed';
  /** `6/6 healthy`, or why the gate failed. */
  detail?: string;
  /** Alarm states at the last poll, in alarm-names order. */
  alarms: { name: string; state: string }[];
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
  /** Every mutating AWS command the run sent, in order, as the clients recorded it (none in plan mode). */
  writesSent: SentWrite[];
  /** Traffic steps in order (blue/green); absent or empty when traffic did not move. */
  traffic?: TrafficStepRecord[];
  outputs: Record<string, string>;
  /** What AWS did on its side, one line each (an Instance Refresh's id, status, percentage, reason). */
  details?: string[];
  /** `mode: status`: what serves now, as read. */
  status?: StatusReport;
  /** A stage's preview routes (one line each) and a command that reaches each. */
  preview?: { routes: string[]; commands: string[] };
}

/** A listener or listener rule and where it sends traffic now. */
export interface StatusRoute {
  kind: 'listener' | 'rule';
  arn: string;
  /** `blue 90 % / green 10 %`, `fixed-response 503`, `forward to app-tg`. */
  traffic: string;
}

/** A staged release waiting on the idle fleet (tags asg-deploy:staged-*). */
export interface StagedRelease {
  versionLabel: string;
  /** The run that staged it. */
  run: string;
  /** ISO 8601; '' when the tag holds none. */
  expires: string;
  /** Past its expiry: another run may take it over. */
  expired: boolean;
  /** The group whose tags carry it. */
  group: string;
  /** Where it answers before promote: `listener …`, `header X-Preview: 7f3c: rule …`. */
  preview: string[];
}

export interface StatusReport {
  region: string;
  /** What serves, in one line: `v3 on green (app-green, launch template version 2)`. */
  serving: string;
  fleets: FleetRow[];
  routes: StatusRoute[];
  /** The deployment record, described (`v3 (green, launch template version 2)`), if any. */
  record?: { current: string; previous?: string; time: string; runUrl: string };
  /** The deployment lock, if a tag is there: who holds it, and whether it has expired. */
  lock?: { holder: string; expired: boolean; group: string };
  staged?: StagedRelease;
  /** Instance Refreshes still running on the groups. */
  refreshes: { group: string; id: string; status: string; percentComplete?: number }[];
  /** What a deploy would find odd (a half-shifted listener, a group without capacity), one line each. */
  notes: string[];
}
