/** The simulator's world: plain records shared by the per-service modules. */
import type { MixedInstancesPolicy } from '@aws-sdk/client-auto-scaling';
import type { Action, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { VirtualClock } from './clock.js';

export interface SimTiming {
  bootSeconds: number;
  defaultHealthCheckIntervalSeconds: number;
  defaultHealthyThreshold: number;
  defaultUnhealthyThreshold: number;
  defaultDeregistrationDelaySeconds: number;
  /** Seconds before a group short of capacity after a failed launch tries again. */
  launchRetrySeconds: number;
}

export const DEFAULT_TIMING: SimTiming = {
  bootSeconds: 30,
  defaultHealthCheckIntervalSeconds: 10,
  defaultHealthyThreshold: 3,
  defaultUnhealthyThreshold: 2,
  defaultDeregistrationDelaySeconds: 30,
  launchRetrySeconds: 10,
};

export interface LtVersion {
  number: number;
  data: Record<string, unknown>;
  description?: string;
  createdAt: number;
  /** Instances launched from it never pass health checks. */
  bad: boolean;
}

export interface LaunchTemplate {
  id: string;
  name: string;
  createdAt: number;
  defaultVersion: number;
  /** Highest existing version ($Latest). */
  latestVersion: number;
  /** Highest version ever created: numbers are never reused after a delete. */
  lastCreated: number;
  versions: Map<number, LtVersion>;
}

/**
 * `Standby`: still in the group, out of its target groups, not counted in desired capacity.
 * `Pending:Wait`/`Terminating:Wait`: held by a lifecycle hook (lifecycle-hooks.ts); `…:Proceed`: released.
 */
export type Lifecycle =
  | 'Pending'
  | 'Pending:Wait'
  | 'Pending:Proceed'
  | 'InService'
  | 'Terminating'
  | 'Terminating:Wait'
  | 'Terminating:Proceed'
  | 'Standby'
  | 'Warmed:Stopped';

/** Terminating, or held by a terminating hook on its way out: no longer part of the group's capacity. */
export function leaving(i: { lifecycle: Lifecycle }): boolean {
  return i.lifecycle.startsWith('Terminating');
}

/** PutLifecycleHook's configuration (AWS's defaults: heartbeat 3600 s, DefaultResult ABANDON). */
export interface LifecycleHook {
  name: string;
  transition: 'autoscaling:EC2_INSTANCE_LAUNCHING' | 'autoscaling:EC2_INSTANCE_TERMINATING';
  heartbeatSeconds: number;
  defaultResult: 'CONTINUE' | 'ABANDON';
}

/** A lifecycle action in progress: the instance waits for CompleteLifecycleAction or the heartbeat timeout. */
export interface HeldAction {
  hook: LifecycleHook;
  token: string;
  /** The heartbeat timeout's event (RecordLifecycleActionHeartbeat moves it). */
  timer: number;
  /** Terminating hook: when the instance's targets have drained. */
  drainedAt?: number;
}

export interface Instance {
  id: string;
  group: string;
  az: string;
  ltId: string;
  version: number;
  lifecycle: Lifecycle;
  launchedAt: number;
  /** Fails every health check from now on. */
  failing: boolean;
  bootTimer?: number;
  /** Its launch activity (Successful once InService). */
  launchActivity?: Activity;
  /** Scale-in (a lower desired capacity) never picks it. */
  protectedFromScaleIn?: boolean;
  /** The lifecycle action that holds it in Pending:Wait or Terminating:Wait. */
  held?: HeldAction;
}

/** PutWarmPool's configuration and the instances waiting in the pool (Warmed:Stopped). */
export interface WarmPool {
  minSize: number;
  /** -1: the group's MaxSize. */
  maxGroupPreparedCapacity: number;
  poolState: 'Stopped' | 'Running' | 'Hibernated';
  reuseOnScaleIn: boolean;
  instances: Instance[];
}

export interface GroupTag {
  key: string;
  value: string;
  propagateAtLaunch: boolean;
}

export interface InstanceRefresh {
  id: string;
  status: string;
  startedAt: number;
  endedAt?: number;
  percentageComplete: number;
  instancesToUpdate: number;
  statusReason?: string;
  /** DesiredConfiguration.LaunchTemplate as given, or the launch template of its MixedInstancesPolicy (instance-refresh.ts). */
  desired?: { id: string; version: string };
  /** DesiredConfiguration.MixedInstancesPolicy as given: the group's policy on success. */
  desiredPolicy?: MixedInstancesPolicy;
  /** Preferences as given, echoed by DescribeInstanceRefreshes. */
  preferences?: Record<string, unknown>;
  rollback?: { reason: string; startedAt: number; percentageComplete: number; instancesToUpdate: number };
}

export interface Group {
  name: string;
  arn: string;
  createdAt: number;
  min: number;
  max: number;
  desired: number;
  /** The launch template instances launch from: the group's, or its mixed instances policy's. */
  launchTemplate: { id: string; version: string };
  /** Set when the group uses a mixed instances policy (then DescribeAutoScalingGroups reports no LaunchTemplate). */
  mixedInstancesPolicy?: MixedInstancesPolicy;
  warmPool?: WarmPool;
  targetGroupArns: string[];
  healthCheckType: 'EC2' | 'ELB';
  healthCheckGracePeriod: number;
  tags: Map<string, GroupTag>;
  /** In launch order; terminated instances leave once drained. */
  instances: Instance[];
  launches: number;
  refreshes: InstanceRefresh[];
  /** Suspended processes: name → SuspensionReason. */
  suspended: Map<string, string>;
  /** Scaling activities, newest first (scaling.ts). */
  activities: Activity[];
  /** Launches that will fail next, in order, with AWS's message (scaling.ts). */
  failNext: { message: string; retryAfterSeconds: number }[];
  /** A retry of failed launches is scheduled. */
  retryTimer?: number;
  /** Lifecycle hooks by name (PutLifecycleHook). */
  hooks: Map<string, LifecycleHook>;
}

export interface Activity {
  id: string;
  description: string;
  cause: string;
  /** MidLifecycleAction: a lifecycle hook holds the instance. */
  status: 'InProgress' | 'MidLifecycleAction' | 'Successful' | 'Failed' | 'Cancelled';
  statusMessage?: string;
  startedAt: number;
  endedAt?: number;
  az: string;
}

export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'draining' | 'unused';

export interface Target {
  id: string;
  state: TargetState;
  reason?: string;
  description?: string;
  timer?: number;
}

export interface TargetGroup {
  arn: string;
  name: string;
  port: number;
  intervalSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  deregistrationDelaySeconds: number;
  stickiness: boolean;
  targets: Map<string, Target>;
}

export interface LoadBalancer {
  arn: string;
  name: string;
  /** The hex id at the end of the ARN. */
  id: string;
  type: 'application' | 'network';
  createdAt: number;
}

export interface Listener {
  arn: string;
  loadBalancerArn: string;
  port: number;
  protocol: string;
  defaultActions: Action[];
  /** DescribeRules lists the default rule too, with its own ARN. */
  defaultRuleArn: string;
}

export interface Rule {
  arn: string;
  listenerArn: string;
  priority: number;
  conditions: RuleCondition[];
  actions: Action[];
}

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface Alarm {
  name: string;
  state: AlarmState;
  reason: string;
  updatedAt: number;
}

/**
 * AMIs of the account besides those its launch templates were built with
 * (which are registered as they are created): the ids tests and the demo deploy.
 */
export const CATALOG_IMAGES = ['ami-0123456789abcdef0', 'ami-0fedcba9876543210', 'ami-0abcdef1234567890'];

export class SimState {
  readonly launchTemplates = new Map<string, LaunchTemplate>();
  /** AMI id → State (`available`, `pending`, `failed`, `deregistered`…), for DescribeImages. */
  readonly images = new Map<string, string>(CATALOG_IMAGES.map((id) => [id, 'available']));
  readonly groups = new Map<string, Group>();
  readonly targetGroups = new Map<string, TargetGroup>();
  readonly loadBalancers = new Map<string, LoadBalancer>();
  readonly listeners = new Map<string, Listener>();
  readonly rules = new Map<string, Rule>();
  readonly alarms = new Map<string, Alarm>();
  /** Images whose launches fail as for an image that does not exist (scaling.ts). */
  readonly failingImages = new Set<string>();
  /** EC2 ClientToken → what the first request with it created. */
  readonly clientTokens = new Map<string, { fingerprint: string; result: unknown }>();
  /** Target groups referenced by some listener or rule (forward actions). */
  inUse = new Set<string>();
  private counters = new Map<string, number>();

  constructor(
    readonly clock: VirtualClock,
    readonly timing: SimTiming,
    readonly region: string,
    readonly accountId: string,
  ) {}

  /** Deterministic per-kind counter: 1, 2, 3… */
  next(kind: string): number {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return n;
  }

  hexId(kind: string, digits: number): string {
    return this.next(kind).toString(16).padStart(digits, '0');
  }

  arn(service: string, resource: string): string {
    return `arn:aws:${service}:${this.region}:${this.accountId}:${resource}`;
  }

  now(): number {
    return this.clock.now();
  }
}

/**
 * Deep copy of plain data (objects, arrays, Dates, primitives). Not structuredClone:
 * under jest that builds Dates from another realm, and `instanceof Date` fails.
 */
export function clone<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => clone(v)) as T;
  if (value instanceof Uint8Array) return new Uint8Array(value) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = clone(v);
  return out as T;
}
