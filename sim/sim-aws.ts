/**
 * The simulated AWS: real SDK v3 clients whose requests are answered by a
 * middleware inside the SDK retry loop (so the SDK's own retries apply to
 * injected faults), a stateful model of the four services, and a virtual clock.
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import {
  ElasticLoadBalancingV2Client,
  type Action,
  type RuleCondition,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { recordAllWrites, type WriteSink } from '../src/aws/write-log.js';
import {
  autoScalingHandlers,
  createGroup,
  findInstance,
  getGroup,
  startInstanceRefresh,
  type CreateGroupParams,
} from './auto-scaling.js';
import { VirtualClock } from './clock.js';
import { changeAlarmState, cloudWatchHandlers, createAlarm } from './cloudwatch.js';
import { addVersion, createLaunchTemplate, ec2Handlers } from './ec2.js';
import {
  createListener,
  createLoadBalancer,
  createRule,
  createTargetGroup,
  elbv2Handlers,
  getListener,
  getTargetGroup,
  type TargetGroupParams,
} from './elbv2.js';
import { instanceRefreshHandlers } from './instance-refresh.js';
import { networkError, serverError, throttleError, timeoutError, type Service } from './errors.js';
import { FaultPlan, isMutating, TIMEOUT_MS, type CallRecord, type Fault } from './faults.js';
import type { Handlers, RequestContext } from './handlers.js';
import { clone, DEFAULT_TIMING, SimState, type AlarmState, type SimTiming } from './state.js';
import { failInstance } from './targets.js';

export interface SimClients {
  autoScaling: AutoScalingClient;
  elbv2: ElasticLoadBalancingV2Client;
  ec2: EC2Client;
  cloudWatch: CloudWatchClient;
}

export interface SimAwsOptions {
  clock?: VirtualClock;
  region?: string;
  accountId?: string;
  timing?: Partial<SimTiming>;
}

const HANDLERS: Record<Service, Handlers> = {
  autoscaling: { ...autoScalingHandlers, ...instanceRefreshHandlers },
  elbv2: elbv2Handlers,
  ec2: ec2Handlers,
  cloudwatch: cloudWatchHandlers,
};

const MIDDLEWARE = { step: 'finalizeRequest', priority: 'low', name: 'simulatedAws' } as const;
const SETTLE_MAX_EVENTS = 100_000;

export class SimAws {
  readonly clock: VirtualClock;
  readonly calls: CallRecord[] = [];
  readonly region: string;
  readonly timing: SimTiming;
  private readonly state: SimState;
  private readonly faults = new FaultPlan();
  private requestSeq = 0;
  private triggers: { when: (call: CallRecord) => boolean; act: () => void }[] = [];
  /** Changes made by someone else (tests' operators and other tools), in order; never in `calls`. */
  readonly externalChanges: { at: number; service: Service; command: string; input: unknown }[] = [];

  constructor(opts: SimAwsOptions = {}) {
    this.clock = opts.clock ?? new VirtualClock();
    this.region = opts.region ?? 'us-east-1';
    this.timing = { ...DEFAULT_TIMING, ...opts.timing };
    this.state = new SimState(this.clock, this.timing, this.region, opts.accountId ?? '123456789012');
  }

  /** Calls with mutating === true, in order (faulted attempts included). */
  writes(): CallRecord[] {
    return this.calls.filter((c) => c.mutating);
  }

  injectFault(f: Fault): void {
    this.faults.add(f);
  }

  /**
   * Runs `act` once, just before the first call of the action that `when`
   * matches is handled (the call then sees the world `act` left): the way a
   * test injects an outside change at a chosen moment of a run.
   */
  beforeCall(when: (call: CallRecord) => boolean, act: () => void): void {
    this.triggers.push({ when, act });
  }

  /**
   * An operation sent by someone else (an operator in the console, another
   * tool, the group's own scaling): applied with the same semantics as the
   * action's calls and AWS's errors, but not recorded among them.
   */
  external(service: Service, command: string, input: object): object {
    const handler = HANDLERS[service][command];
    if (!handler) throw new Error(`SimAws: ${service} ${command} is not simulated`);
    this.externalChanges.push({ at: this.clock.now(), service, command, input: safeClone(input) });
    return handler(this.state, input, {});
  }

  /** Real SDK clients answered by this simulator; no network is ever used. */
  clients(opts: { maxAttempts?: number; onWrite?: WriteSink } = {}): SimClients {
    const config = () => ({
      region: this.region,
      credentials: { accessKeyId: 'AKIASIMULATED', secretAccessKey: 'simulated' },
      retryStrategy: new ConfiguredRetryStrategy(opts.maxAttempts ?? 8, () => 0),
    });
    const autoScaling = new AutoScalingClient(config());
    const elbv2 = new ElasticLoadBalancingV2Client(config());
    const ec2 = new EC2Client(config());
    const cloudWatch = new CloudWatchClient(config());
    /* eslint-disable @typescript-eslint/require-await -- async so a handler's thrown AWS error reaches the SDK as a rejection, as from the wire */
    autoScaling.middlewareStack.add(
      (_next, context) => async (args) => ({
        output: this.handle('autoscaling', context.commandName, args) as never,
        response: {},
      }),
      MIDDLEWARE,
    );
    elbv2.middlewareStack.add(
      (_next, context) => async (args) => ({
        output: this.handle('elbv2', context.commandName, args) as never,
        response: {},
      }),
      MIDDLEWARE,
    );
    ec2.middlewareStack.add(
      (_next, context) => async (args) => ({
        output: this.handle('ec2', context.commandName, args) as never,
        response: {},
      }),
      MIDDLEWARE,
    );
    cloudWatch.middlewareStack.add(
      (_next, context) => async (args) => ({
        output: this.handle('cloudwatch', context.commandName, args) as never,
        response: {},
      }),
      MIDDLEWARE,
    );
    /* eslint-enable @typescript-eslint/require-await */
    const clients = { autoScaling, elbv2, ec2, cloudWatch };
    // The action's own write record (aws/write-log.ts), on the simulator's clock.
    return opts.onWrite ? recordAllWrites(clients, opts.onWrite, () => this.clock.now()) : clients;
  }

  private handle(
    service: Service,
    commandName: string | undefined,
    args: { input: unknown; request: unknown },
  ): object {
    const command = (commandName ?? 'UnknownCommand').replace(/Command$/, '');
    const seq = this.calls.length + 1;
    const fault = this.faults.at(seq);
    const record: CallRecord = {
      seq,
      at: this.clock.now(),
      service,
      command,
      input: safeClone(args.input),
      mutating: isMutating(command),
    };
    if (fault) record.fault = fault;
    const trigger = this.triggers.find((t) => t.when(record));
    if (trigger) {
      this.triggers = this.triggers.filter((t) => t !== trigger);
      trigger.act();
    }
    this.calls.push(record);
    if (fault === 'throttle') throw throttleError(service);
    if (fault === 'server-error') throw serverError(service);
    if (fault === 'timeout') {
      this.clock.advance(TIMEOUT_MS);
      throw timeoutError(TIMEOUT_MS);
    }
    const handler = HANDLERS[service][command];
    if (!handler) throw new Error(`SimAws: ${service} ${command} is not simulated`);
    let output: object;
    try {
      output = handler(this.state, args.input, requestContext(args));
    } catch (err) {
      if (fault === 'lost-response') throw networkError();
      throw err;
    }
    if (fault === 'lost-response') throw networkError();
    this.requestSeq++;
    const requestId = `00000000-0000-4000-a000-${this.requestSeq.toString(16).padStart(12, '0')}`;
    return { ...clone(output), $metadata: { httpStatusCode: 200, requestId } };
  }

  // ---------- builders (no call records) ----------

  createLaunchTemplate(p: { name: string; imageId: string; instanceType?: string }): {
    id: string;
    name: string;
  } {
    return createLaunchTemplate(this.state, p);
  }

  addLaunchTemplateVersion(ltId: string, data: { imageId: string; instanceType?: string }): number {
    const lt = this.state.launchTemplates.get(ltId);
    if (!lt) throw new Error(`SimAws: unknown launch template ${ltId}`);
    const source = lt.versions.get(lt.latestVersion)?.data ?? {};
    const merged: Record<string, unknown> = { ...clone(source), ImageId: data.imageId };
    if (data.instanceType !== undefined) merged.InstanceType = data.instanceType;
    return addVersion(this.state, lt, merged).number;
  }

  createTargetGroup(p: TargetGroupParams): string {
    return createTargetGroup(this.state, p);
  }

  createLoadBalancer(p: { name: string; type?: 'application' | 'network' }): string {
    return createLoadBalancer(this.state, p);
  }

  createListener(p: {
    loadBalancerArn: string;
    port: number;
    protocol?: string;
    defaultActions: Action[];
  }): string {
    return createListener(this.state, p);
  }

  createRule(p: {
    listenerArn: string;
    priority: number;
    conditions?: RuleCondition[];
    actions: Action[];
  }): string {
    return createRule(this.state, p);
  }

  /**
   * With instancesHealthy (default), the group starts with `desired` instances
   * InService and healthy in every target group that a listener or rule already
   * forwards to (`unused` in the others): create listeners before groups.
   */
  createAutoScalingGroup(p: CreateGroupParams): void {
    createGroup(this.state, p);
  }

  /** Puts an InProgress instance refresh on the group (DescribeInstanceRefreshes returns it). */
  startInstanceRefreshForTest(group: string): string {
    return startInstanceRefresh(this.state, group);
  }

  /** Instances launched from this version never pass health checks; running ones start failing. */
  markVersionUnhealthy(ltId: string, version: number): void {
    const v = this.state.launchTemplates.get(ltId)?.versions.get(version);
    if (!v) throw new Error(`SimAws: unknown launch template version ${ltId}:${version}`);
    v.bad = true;
    for (const g of this.state.groups.values()) {
      for (const i of g.instances) if (i.ltId === ltId && i.version === version) failInstance(this.state, i);
    }
  }

  /** The instance fails health checks from now on: unhealthy after unhealthyThreshold × interval. */
  markInstanceUnhealthy(instanceId: string): void {
    const inst = findInstance(this.state, instanceId);
    if (!inst) throw new Error(`SimAws: unknown instance ${instanceId}`);
    failInstance(this.state, inst);
  }

  createAlarm(name: string, state: AlarmState = 'OK'): void {
    createAlarm(this.state, name, state);
  }

  /** Changes the alarm state now, or at virtual time `atMs` (epoch ms). */
  setAlarmState(name: string, state: AlarmState, atMs?: number): void {
    if (!this.state.alarms.has(name)) throw new Error(`SimAws: unknown alarm ${name}`);
    const reason = `Set by the simulator to ${state}`;
    if (atMs === undefined || atMs <= this.clock.now()) changeAlarmState(this.state, name, state, reason);
    else this.clock.schedule(atMs, () => changeAlarmState(this.state, name, state, reason));
  }

  /** Advances the clock until no event is pending (bounded), for setup. */
  settle(): void {
    for (let n = 0; n < SETTLE_MAX_EVENTS; n++) {
      const next = this.clock.nextEventAt();
      if (next === undefined) return;
      this.clock.advance(Math.max(0, next - this.clock.now()));
    }
    throw new Error('SimAws.settle: events keep coming');
  }

  // ---------- read helpers (no call records) ----------

  group(name: string): {
    min: number;
    max: number;
    desired: number;
    launchTemplate: { id: string; version: string };
    instances: { id: string; lifecycle: string; version: number }[];
  } {
    const g = getGroup(this.state, name);
    return {
      min: g.min,
      max: g.max,
      desired: g.desired,
      launchTemplate: { ...g.launchTemplate },
      instances: g.instances.map((i) => ({ id: i.id, lifecycle: i.lifecycle, version: i.version })),
    };
  }

  /** Exactly what DescribeListeners returns as DefaultActions. */
  listenerActions(listenerArn: string): Action[] {
    return clone(getListener(this.state, listenerArn).defaultActions);
  }

  ruleActions(ruleArn: string): Action[] {
    const rule = this.state.rules.get(ruleArn);
    if (rule) return clone(rule.actions);
    for (const l of this.state.listeners.values())
      if (l.defaultRuleArn === ruleArn) return clone(l.defaultActions);
    throw new Error(`SimAws: unknown rule ${ruleArn}`);
  }

  /** instanceId → initial | healthy | unhealthy | draining | unused. */
  targetStates(tgArn: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const t of getTargetGroup(this.state, tgArn).targets.values()) out[t.id] = t.state;
    return out;
  }

  launchTemplateVersions(ltId: string): number[] {
    const lt = this.state.launchTemplates.get(ltId);
    if (!lt) throw new Error(`SimAws: unknown launch template ${ltId}`);
    return [...lt.versions.keys()].sort((a, b) => a - b);
  }

  alarmState(name: string): AlarmState {
    const a = this.state.alarms.get(name);
    if (!a) throw new Error(`SimAws: unknown alarm ${name}`);
    return a.state;
  }

  groupTags(name: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const t of getGroup(this.state, name).tags.values()) out[t.key] = t.value;
    return out;
  }
}

function safeClone(value: unknown): unknown {
  try {
    return clone(value);
  } catch {
    return value;
  }
}

/** The ClientToken as sent: from the input, or the one the SDK generated into the query body. */
function requestContext(args: { input: unknown; request: unknown }): RequestContext {
  const input = args.input as { ClientToken?: unknown } | undefined;
  if (typeof input?.ClientToken === 'string') return { clientToken: input.ClientToken };
  const body = (args.request as { body?: unknown } | undefined)?.body;
  if (typeof body === 'string') {
    const token = new URLSearchParams(body).get('ClientToken');
    if (token !== null) return { clientToken: token };
  }
  return {};
}
