import type { Aws, GroupHooks, LaunchSpec } from '../aws/index.js';
import type { Action } from '../aws/elbv2.js';
import type { RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Clock } from './clock.js';
import type { Logger } from './log.js';

/**
 * How to put back what a step changed, as data: it is recorded (journal and
 * runner state) before the step's write is sent, so the engine, or the post
 * step after a cancel, can apply it even when the step's response was lost.
 * Every undo restores a snapshot taken before the deploy: applying it twice,
 * or for a write that never landed, is harmless.
 */
export type Undo =
  | { kind: 'restore-route'; route: { kind: 'listener' | 'rule'; arn: string }; actions: Action[] }
  | {
      kind: 'restore-group';
      group: string;
      min: number;
      max: number;
      desired: number;
      /** With the group's mixed instances policy as read, when it has one: restored whole. */
      launchTemplate?: LaunchSpec;
    }
  | {
      kind: 'delete-created-versions';
      launchTemplateId: string;
      /** Versions above this number whose description carries `marker` were made by this run. */
      after: number;
      marker: string;
    }
  | {
      /**
       * Ends an Instance Refresh with the group as it was: RollbackInstanceRefresh
       * while AWS can still roll back (unless it already does), then waits; when
       * the refresh already ended, a new refresh back to `previous` (skip matching).
       */
      kind: 'roll-back-instance-refresh';
      group: string;
      /** Filled in by the step once AWS has answered (and saved to the journal at once). */
      refreshId?: string;
      /**
       * Refreshes the group had before this run. Without `refreshId` (the start's
       * response was lost, or a cancel came first), the run's refresh is the newest
       * one not in this list, and there is none when the start never landed.
       */
      before: string[];
      previous: LaunchSpec;
      minHealthyPercent: number;
      waitMs: number;
    }
  | { kind: 'await-group-healthy'; group: string; targetGroupArns: string[]; waitMs: number }
  /** Resumes the scaling processes this run suspended (never those the group had suspended before). */
  | { kind: 'resume-processes'; group: string; processes: string[] }
  | {
      /**
       * Puts the tags under `prefix` of each group back to exactly `tags[group]`
       * (the stage record as pre-flight read it): keys not listed are deleted.
       */
      kind: 'restore-tags';
      groups: string[];
      prefix: string;
      tags: Record<string, Record<string, string>>;
    }
  | {
      kind: 'delete-marked-rules';
      listenerArn: string;
      /** Rules of the listener matching this header and value were made by this run. */
      header: string;
      value: string;
      /**
       * Only rules with that one condition that forward to this target group only
       * (a stage's preview rule: the header is the user's, not a run token).
       */
      targetGroupArn?: string;
    }
  | {
      /**
       * Puts back a rule this run deleted (a stage's preview rule): unless a rule
       * with the same conditions and actions is on the listener, it is created
       * again at `priority` (or the lowest free one, when that is taken since).
       */
      kind: 'recreate-rule';
      listenerArn: string;
      priority: number;
      conditions: RuleCondition[];
      actions: Action[];
      /** The stage record names the rule by ARN: where the group tags have `key`, its value becomes the new ARN. */
      retag?: { groups: string[]; key: string };
    };

/** One AWS write a step will send, for plan mode and the summary. */
export interface PlannedWrite {
  service: 'autoscaling' | 'elbv2' | 'ec2';
  action: string;
  target: string;
  detail: string;
}

export interface StepContext {
  aws: Aws;
  clock: Clock;
  /** Aborts on cancel; waits stop at once. */
  signal: AbortSignal;
  log: Logger;
  pollIntervalMs: number;
  /** Epoch ms by which the whole deployment must end. */
  deadline: number;
  /** Saves the journal now: a step calls it when it learns something its undo needs (an id AWS returned). */
  saveJournal?: () => void;
  /** The lifecycle hooks of each group the run touches, read at pre-flight: progress lines name them (no call per poll). */
  lifecycleHooks?: GroupHooks;
}

/**
 * What steps learn as they run and later steps need: recorded in the journal
 * entry of the step that learned it, so a resumed run (the post step) and the
 * summary see the same facts as the steps did. Never shared through closures.
 */
export interface Facts {
  /** The launch template version this run created (an image deploy). */
  createdVersion?: string;
  /** Epoch ms just before this run's write that sized the new fleet: launches since are this run's. */
  capacityWrittenAt?: number;
  /** Instances of the new fleet found healthy: the targets the gates watch. */
  healthyInstanceIds?: string[];
  /**
   * The routes as the action last read them back after its own write: the next
   * traffic step compares them with a fresh read, so that a change someone
   * else made in between is seen (and never overwritten).
   */
  routes?: { kind: 'listener' | 'rule'; arn: string; actions: Action[] }[];
  /** The new fleet's desired capacity as the action last set it (grown to match a live fleet that scaled out). */
  idleDesired?: number;
}

/** The context a step runs in: the run's, and the facts learned so far. */
export interface StepRunContext extends StepContext {
  /** Everything earlier steps learned (read only: steps add through `learn`). */
  readonly facts: Readonly<Facts>;
  /** Records what this step learned in its journal entry (saved at once) and hands it to later steps. */
  learn(facts: Facts): void;
}

export interface Step {
  id: string;
  title: string;
  /**
   * `deploy` steps roll back on failure. `cleanup` steps run once the new
   * version has held all traffic through the bake: their failure is reported,
   * never rolled back (it would take a healthy release out of service).
   */
  phase: 'deploy' | 'cleanup';
  writes: PlannedWrite[];
  undo?: Undo[];
  /**
   * The step must never outlive a failed run (recreate's maintenance response):
   * its undo is applied even with auto-rollback false, and even after an
   * earlier undo failed.
   */
  undoAlways?: boolean;
  /**
   * The step's change lasts only while the run runs (suspended scaling
   * processes): its undo is applied when the run ends, whatever the ending
   * (success, failure, auto-rollback false, cancel). Set undoAlways with it.
   */
  untilRunEnd?: boolean;
  /** The writes its undo sends when the run ends, for plan mode (listed after every step's writes). */
  endWrites?: PlannedWrite[];
  /** What the step checks when it is a gate (`health`, `health + alarms`): reported with its result. */
  gate?: string;
  /** Does the work; returns a short result for the summary (`4/4 healthy`). */
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- a step with nothing to report just returns; `undefined` would need `return undefined` in each
  run(ctx: StepRunContext): Promise<string | void>;
}

/**
 * Puts back what undos describe. The engine only records and orders undos; what
 * each one does to AWS lives beside the gateways (aws/undo), handed in by the pipeline.
 */
export interface Undoer {
  /** Applies one undo; returns what it did in a few words. */
  apply(undo: Undo, ctx: StepContext): Promise<string>;
  /** What an undo puts back, for the log when it is skipped. */
  describe(undo: Undo): string;
}

export interface Plan {
  steps: Step[];
}
