/**
 * The one typed Config every part of the action works from. `inputs.ts` builds it
 * from the action inputs (validating everything before any AWS call); nothing
 * else reads inputs. Durations are milliseconds.
 */

export type Strategy = 'blue-green' | 'rolling' | 'recreate';
export type Mode = 'deploy' | 'rollback' | 'plan';
export type Color = 'blue' | 'green';
export type PreviousFleet = 'scale-down' | 'keep';

/** How traffic moves from the live color to the new one (blue-green). */
export type TrafficShift =
  | { kind: 'all-at-once' }
  /** `percent` to the new color, hold `intervalMs`, then 100 %. */
  | { kind: 'canary'; percent: number; intervalMs: number }
  /** `percent` more every `intervalMs` until 100 %. */
  | { kind: 'linear'; percent: number; intervalMs: number };

/** One color of a blue/green pair: an ASG, a target group, or both. */
export interface ColorConfig {
  /** ASG name; undefined when the fleet is managed by other means. */
  autoScalingGroup?: string;
  /** Target group ARN; undefined means "discover it from the ASG". */
  targetGroupArn?: string;
}

export interface MaintenanceResponse {
  statusCode: number;
  body?: string;
}

export interface Config {
  strategy: Strategy;
  mode: Mode;
  region: string;

  /** blue-green / recreate */
  listenerArns: string[];
  /** blue-green */
  listenerRuleArns: string[];
  blue: ColorConfig;
  green: ColorConfig;

  /** rolling / recreate */
  autoScalingGroup?: string;

  /** What to deploy: exactly one of these in deploy mode. */
  launchTemplateVersion?: string;
  imageId?: string;
  versionLabel?: string;

  trafficShift: TrafficShift;
  bakeTimeMs: number;
  alarmNames: string[];
  previousFleet: PreviousFleet;

  /** rolling (Instance Refresh) */
  minHealthyPercent: number;
  maxHealthyPercent: number;
  instanceWarmupSeconds?: number;
  checkpoints: number[];
  checkpointDelayMs?: number;

  /** recreate */
  maintenanceResponse: MaintenanceResponse;

  autoRollback: boolean;
  healthTimeoutMs: number;
  timeoutMs: number;
  pollIntervalMs: number;
}

/** A problem with one input, reported as an `::error` naming the input. */
export interface InputProblem {
  input: string;
  message: string;
}
