/**
 * The typed Config every part of the action works from: one shape per strategy,
 * each holding exactly what that strategy needs. `readConfig` builds it from the
 * action inputs (validating everything before any AWS call); nothing else reads
 * inputs. Durations are milliseconds.
 */

export type Strategy = 'blue-green' | 'rolling' | 'recreate';
/** Every mode, in the order `mode`'s messages list them. */
export const MODES = ['deploy', 'rollback', 'plan', 'status', 'stage', 'promote', 'abort', 'retire'] as const;
export type Mode = (typeof MODES)[number];
export type Color = 'blue' | 'green';
export type PreviousFleet = 'scale-down' | 'keep';

/** How traffic moves from the live color to the new one (blue-green). */
export type TrafficShift =
  | { kind: 'all-at-once' }
  /** `percent` to the new color, hold `intervalMs`, then 100 %. */
  | { kind: 'canary'; percent: number; intervalMs: number }
  /** `percent` more every `intervalMs` until 100 %. */
  | { kind: 'linear'; percent: number; intervalMs: number };

export interface MaintenanceResponse {
  statusCode: number;
  body?: string;
}

/** What every strategy reads: the run, its limits and its gates. */
export interface CommonConfig {
  mode: Mode;
  region: string;
  /** '' when not given. */
  versionLabel: string;
  bakeTimeMs: number;
  alarmNames: string[];
  autoRollback: boolean;
  /** Plan this mode instead of running it (`dry-run`): read and check everything, list the writes, send none. */
  dryRun: boolean;
  healthTimeoutMs: number;
  timeoutMs: number;
  pollIntervalMs: number;
  /**
   * Rollback: act only where the deployment record says this release serves
   * now; anywhere else the run is `unchanged` with zero writes. Undefined when
   * not given (the rollback acts wherever there is a record).
   */
  expectedVersionLabel?: string;
  /** EC2 Auto Scaling processes to hold suspended on every touched group for the run; empty: none. */
  suspendProcesses: string[];
}

/** What to deploy: exactly one of these in deploy and plan mode, neither in rollback mode. */
export interface WhatToDeploy {
  launchTemplateVersion?: string;
  imageId?: string;
}

/** The listeners and rules whose traffic moves between blue and green, and how. */
interface BlueGreenTraffic {
  /** Listeners whose default action forwards to the fleet. */
  listenerArns: string[];
  listenerRuleArns: string[];
  trafficShift: TrafficShift;
  previousFleet: PreviousFleet;
}

/** One color of a blue/green pair with its Auto Scaling group. */
export interface GroupColor {
  autoScalingGroup: string;
  /** Target group ARN; undefined means "discover it from the ASG". */
  targetGroupArn?: string;
}

/** `preview-header`: an http-header condition (name and value compared case-insensitively by ALB). */
export interface PreviewHeader {
  name: string;
  value: string;
}

/** Blue/green between two Auto Scaling groups. */
export interface BlueGreenConfig extends CommonConfig, WhatToDeploy, BlueGreenTraffic {
  strategy: 'blue-green';
  targetGroupsOnly: false;
  blue: GroupColor;
  green: GroupColor;
  /** Test listeners that forward to the staged fleet only (stage; promote and abort read the stage record). */
  previewListenerArns: string[];
  /** Requests with this header reach the staged fleet through a rule on each production listener (stage; promote and abort read the stage record). */
  previewHeader?: PreviewHeader;
  /** A stage older than this may be taken over (stage). */
  stageExpiresAfterMs: number;
}

/** Blue/green between two target groups of fleets managed elsewhere: no capacity is touched, nothing is deployed. */
export interface TargetGroupsConfig extends CommonConfig, BlueGreenTraffic {
  strategy: 'blue-green';
  targetGroupsOnly: true;
  blue: { targetGroupArn: string };
  green: { targetGroupArn: string };
}

/** What an Instance Refresh does with protected and Standby instances (inputs protected-instances, standby-instances). */
export type HeldInstancesChoice = 'ignore' | 'refresh' | 'wait';

export interface HeldInstances {
  protectedInstances: HeldInstancesChoice;
  standbyInstances: HeldInstancesChoice;
}

/** Instance Refresh of one group in place. */
export interface RollingConfig extends CommonConfig, WhatToDeploy, HeldInstances {
  strategy: 'rolling';
  autoScalingGroup: string;
  minHealthyPercent: number;
  maxHealthyPercent: number;
  instanceWarmupSeconds?: number;
  checkpoints: number[];
  checkpointDelayMs?: number;
}

/** Every instance of one group replaced at once, the listeners serving a fixed response meanwhile. */
export interface RecreateConfig extends CommonConfig, WhatToDeploy, HeldInstances {
  strategy: 'recreate';
  autoScalingGroup: string;
  /** The listeners that serve maintenanceResponse while instances are replaced; may be empty. */
  listenerArns: string[];
  maintenanceResponse: MaintenanceResponse;
}

export type Config = BlueGreenConfig | TargetGroupsConfig | RollingConfig | RecreateConfig;
/** The strategies that deploy one group in place. */
export type SingleGroupConfig = RollingConfig | RecreateConfig;

/** A problem with one input, reported as an `::error` naming the input. */
export interface InputProblem {
  input: string;
  message: string;
}
