import type { Aws, GroupSnapshot } from '../aws/index.js';
import type { Config } from '../inputs/config.js';
import type { Logger } from '../engine/log.js';
import type { Plan } from '../engine/plan.js';
import type { JournalEntry } from '../engine/journal.js';
import type { FleetRow, Result, TrafficStepRecord } from '../report/model.js';
import type { DeploymentRecord } from '../state/record.js';
import type { RecordPlan } from '../state/record-step.js';
import type { StagedReading, StagedRelease } from '../state/staged.js';

/** What every strategy hands the deployment pipeline after its read-only pre-flight. */
export interface PreparedDeployment {
  /** `v1.2 (launch template version 7) to green (app-green)`. */
  headline: string;
  plan: Plan;
  before: FleetRow[];
  /** Nothing to do: what was asked for already serves. */
  unchanged: boolean;
  /** The outputs for a given ending (DESIGN's output names). */
  outputs(result: Result): Record<string, string>;
  /** Reads the fleets again for the after table. */
  readAfter(): Promise<FleetRow[]>;
  /** What AWS did on its side (an Instance Refresh: id, status, percentage, reason), for the summary. */
  details?(): string[];
  /** The traffic steps as run (and the rollback, from the journal), for the summary. */
  traffic?(journal: readonly JournalEntry[]): TrafficStepRecord[];
  /** The deployment record this run writes once its release holds all traffic. */
  record?: RecordPlan;
  /** The Auto Scaling groups the plan may change, as pre-flight read them (scaling processes are held on them). */
  groups?: GroupSnapshot[];
  /** A stage's preview routes (one line each) and a command that reaches each, for the summary. */
  preview?: { routes: string[]; commands: string[] };
  /** The result when every step succeeds: `deployed` (rollback mode: `rolled-back`) unless set. */
  succeeded?: Result;
}

export interface PrepareOptions {
  aws: Aws;
  log: Logger;
  /** Unique per run: client tokens and markers of what the run creates. */
  runToken: string;
  /** Run URL or id, written into what the run creates. */
  runLabel: string;
  /** The deployment record found on the groups (the source of truth for rollback). */
  record?: DeploymentRecord;
  /** Epoch ms now: the time of a record entry made up for a fleet found live without one. */
  now: number;
  /** Every `asg-deploy:` tag of the groups, as pre-flight read them. */
  tags?: Map<string, Record<string, string>>;
  /** The stage record on the groups (promote and abort act on it). */
  staged?: StagedReading;
  /** An expired stage this run takes over (its preview listeners are restored before the run's steps). */
  takeover?: StagedRelease;
}

/** Reads, validates against AWS (throwing PreflightError with every problem) and plans. No write. */
export type Prepare<C extends Config = Config> = (
  config: C,
  options: PrepareOptions,
) => Promise<PreparedDeployment>;

/** Pre-flight refusals: every problem found, none of them written to AWS. */
export class PreflightError extends Error {
  override readonly name = 'PreflightError';
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1 ? (problems[0] ?? '') : `${problems.length} problems found before any change`,
    );
  }
}
