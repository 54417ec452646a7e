/**
 * The simulated AWS: real SDK v3 clients whose requests are answered by a
 * middleware inside the SDK retry loop (so the SDK's own retries apply to
 * injected faults), a stateful model of the four services, and a virtual clock.
 */
import { AutoScalingClient, type MixedInstancesPolicy } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import {
  ElasticLoadBalancingV2Client,
  type Action,
  type RuleCondition,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { recordAllWrites, recordWrites, type WriteSink } from '../src/aws/write-log.js';
import {
  autoScalingHandlers,
  createGroup,
  findInstance,
  getGroup,
  reconcile,
  launch,
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
import { lifecycleHandlers } from './lifecycle-hooks.js';
import {
  clientError,
  networkError,
  serverError,
  throttleError,
  timeoutError,
  type Service,
} from './errors.js';
import { insufficientCapacityMessage, scalingHandlers } from './scaling.js';
import { FaultPlan, isMutating, TIMEOUT_MS, type CallRecord, type Fault } from './faults.js';
import type { Handlers, RequestContext } from './handlers.js';
import { clone, DEFAULT_TIMING, SimState, type AlarmState, type Instance, type SimTiming } from './state.js';
import { deregisterTarget, failInstance } from './targets.js';

export interface SimClients {
  autoScaling: AutoScalingClient;
  /** Auto Scaling with one attempt per call (the lock's write), like createClients' own. */
  autoScalingOnce: AutoScalingClient;
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
  autoscaling: {
    ...autoScalingHandlers,
    ...instanceRefreshHandlers,
    ...scalingHandlers,
    ...lifecycleHandlers,
  },
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
  private readonly delays: Delay[] = [];
  private readonly refusals: ((call: { service: Service; command: string; input: unknown }) => boolean)[] =
    [];

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

  /**
   * The next `times` requests matching `match` are held in transit for `delayMs`
   * of virtual time: the service applies them only then, and only then answers
   * (a write that throttled retries, or a slow network, deliver late).
   */
  delayCalls(
    match: (call: { service: Service; command: string; input: unknown }) => boolean,
    delayMs: number,
    times = 1,
  ): void {
    this.delays.push({ match, delayMs, left: times });
  }

  /**
   * Requests matching `match` are refused with `AccessDenied` (as AWS answers
   * a call an IAM policy denies) while `match` says so: not applied, not retried.
   */
  refuseCalls(match: (call: { service: Service; command: string; input: unknown }) => boolean): void {
    this.refusals.push(match);
  }

  /** Real SDK clients answered by this simulator; no network is ever used. */
  clients(opts: { maxAttempts?: number; onWrite?: WriteSink } = {}): SimClients {
    const config = (maxAttempts = opts.maxAttempts ?? 8) => ({
      region: this.region,
      credentials: { accessKeyId: 'AKIASIMULATED', secretAccessKey: 'simulated' },
      retryStrategy: new ConfiguredRetryStrategy(maxAttempts, () => 0),
    });
    const answer = <C>(client: C, service: Service): C => {
      (client as unknown as Answerable).middlewareStack.add(
        (_next, context) => async (args) => ({
          output: await this.respond(service, context.commandName, args),
          response: {},
        }),
        MIDDLEWARE,
      );
      return client;
    };
    const autoScaling = answer(new AutoScalingClient(config()), 'autoscaling');
    const autoScalingOnce = answer(new AutoScalingClient(config(1)), 'autoscaling');
    const elbv2 = answer(new ElasticLoadBalancingV2Client(config()), 'elbv2');
    const ec2 = answer(new EC2Client(config()), 'ec2');
    const cloudWatch = answer(new CloudWatchClient(config()), 'cloudwatch');
    const clients = { autoScaling, elbv2, ec2, cloudWatch };
    if (!opts.onWrite) return { ...clients, autoScalingOnce };
    // The action's own write record (aws/write-log.ts), on the simulator's clock.
    const now = () => this.clock.now();
    recordWrites(autoScalingOnce, 'autoscaling', opts.onWrite, now);
    return { ...recordAllWrites(clients, opts.onWrite, now), autoScalingOnce };
  }

  /** A request as the service sees it: held in transit first when a delay matches it. */
  private async respond(
    service: Service,
    commandName: string | undefined,
    args: { input: unknown; request: unknown },
  ): Promise<object> {
    const command = (commandName ?? 'UnknownCommand').replace(/Command$/, '');
    const delay = this.delays.find((d) => d.left > 0 && d.match({ service, command, input: args.input }));
    if (delay) {
      delay.left--;
      await this.inTransit(delay.delayMs);
    }
    if (this.refusals.some((match) => match({ service, command, input: args.input }))) {
      this.calls.push({
        seq: this.calls.length + 1,
        at: this.clock.now(),
        service,
        command,
        input: safeClone(args.input),
        mutating: isMutating(command),
      });
      throw clientError(
        service,
        'AccessDenied',
        `User: arn:aws:sts::123456789012:assumed-role/deploy/asg-deploy is not authorized to perform: ${service === 'elbv2' ? 'elasticloadbalancing' : service}:${command} with an explicit deny in an identity-based policy`,
      );
    }
    return this.handle(service, commandName, args);
  }

  /** Holds a request in transit for `ms` of virtual time (other runs sharing the clock go on meanwhile). */
  private async inTransit(ms: number): Promise<void> {
    await this.clock.waitUntil(this.clock.now() + ms);
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
    if (!this.state.images.has(data.imageId)) this.state.images.set(data.imageId, 'available');
    if (data.instanceType !== undefined) merged.InstanceType = data.instanceType;
    return addVersion(this.state, lt, merged).number;
  }

  /** Registers an AMI of the account with a State (`available`, `pending`, `failed`…). */
  registerImage(imageId: string, state = 'available'): void {
    this.state.images.set(imageId, state);
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

  /**
   * Gives the group a warm pool (PutWarmPool) holding `instances` instances
   * prepared from the group's launch template as it is now (Warmed:Stopped).
   */
  putWarmPool(
    groupName: string,
    p: { instances: number; minSize?: number; reuseOnScaleIn?: boolean },
  ): string[] {
    const g = getGroup(this.state, groupName);
    const pool = {
      minSize: p.minSize ?? 0,
      maxGroupPreparedCapacity: -1,
      poolState: 'Stopped' as const,
      reuseOnScaleIn: p.reuseOnScaleIn ?? false,
      instances: [] as Instance[],
    };
    for (let n = 0; n < p.instances; n++) {
      const inst = launch(this.state, g, true);
      if (!inst) throw new Error(`SimAws: cannot launch a warm instance for ${groupName}`);
      for (const arn of g.targetGroupArns) {
        const tg = this.state.targetGroups.get(arn);
        if (tg) tg.targets.delete(inst.id);
      }
      g.instances = g.instances.filter((i) => i !== inst);
      inst.lifecycle = 'Warmed:Stopped';
      pool.instances.push(inst);
    }
    g.warmPool = pool;
    return pool.instances.map((i) => i.id);
  }

  /** SetInstanceProtection: the instance is (or is no longer) protected from scale in. */
  setInstanceProtection(instanceId: string, protect: boolean): void {
    const inst = findInstance(this.state, instanceId);
    if (!inst) throw new Error(`SimAws: unknown instance ${instanceId}`);
    inst.protectedFromScaleIn = protect;
  }

  /**
   * EnterStandby with ShouldDecrementDesiredCapacity: the instance leaves its
   * target groups and the desired capacity, and stays in the group.
   */
  enterStandby(instanceId: string): void {
    const inst = findInstance(this.state, instanceId);
    if (!inst || inst.lifecycle !== 'InService') throw new Error(`SimAws: ${instanceId} is not InService`);
    const g = getGroup(this.state, inst.group);
    for (const arn of g.targetGroupArns) {
      const tg = this.state.targetGroups.get(arn);
      if (tg) deregisterTarget(this.state, tg, inst.id);
    }
    inst.lifecycle = 'Standby';
    g.desired = Math.max(g.min, g.desired - 1);
  }

  /** What DescribeWarmPool would list, as ids and versions. */
  warmPoolInstances(groupName: string): { id: string; version: number }[] {
    return (getGroup(this.state, groupName).warmPool?.instances ?? []).map((i) => ({
      id: i.id,
      version: i.version,
    }));
  }

  /** The group's mixed instances policy as kept (undefined for a launch template group). */
  mixedInstancesPolicy(groupName: string): MixedInstancesPolicy | undefined {
    return clone(getGroup(this.state, groupName).mixedInstancesPolicy);
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

  /**
   * Launches from this image fail from now on, as for an image that does not
   * exist (AWS's message); the group tries again every launchRetrySeconds.
   */
  failImage(imageId: string): void {
    this.state.failingImages.add(imageId);
  }

  /** Launches from this image work again (the group's next retry succeeds). */
  restoreImage(imageId: string): void {
    this.state.failingImages.delete(imageId);
  }

  /**
   * The group's next `count` launches fail for want of capacity (AWS's
   * InsufficientInstanceCapacity message). With retryAfterSeconds 0, AWS tries
   * the next Availability Zone at once, as it does for a capacity failure.
   */
  failNextLaunches(group: string, count: number, retryAfterSeconds = 0): void {
    const g = getGroup(this.state, group);
    const lt = this.state.launchTemplates.get(g.launchTemplate.id);
    const data = lt?.versions.get(lt.latestVersion)?.data;
    const type = typeof data?.InstanceType === 'string' ? data.InstanceType : 't3.micro';
    for (let n = 0; n < count; n++) {
      const az = `${this.region}${n % 2 === 0 ? 'a' : 'b'}`;
      const other = `${this.region}${n % 2 === 0 ? 'b' : 'a'}`;
      g.failNext.push({ message: insufficientCapacityMessage(type, az, other), retryAfterSeconds });
    }
  }

  /**
   * A capacity change at virtual time `atMs`: `scheduled-action` is the group's
   * scheduled action (not run while ScheduledActions is suspended, as AWS);
   * `hand` is someone setting the desired capacity (nothing holds it).
   */
  scheduleCapacity(
    group: string,
    atMs: number,
    capacity: { desired: number; min?: number; max?: number },
    by: 'scheduled-action' | 'hand',
  ): void {
    const g = getGroup(this.state, group);
    this.clock.schedule(atMs, () => {
      if (by === 'scheduled-action' && g.suspended.has('ScheduledActions')) return;
      if (capacity.min !== undefined) g.min = capacity.min;
      if (capacity.max !== undefined) g.max = capacity.max;
      g.desired = Math.max(g.min, Math.min(g.max, capacity.desired));
      reconcile(this.state, g);
    });
  }

  // ---------- read helpers (no call records) ----------

  /** The group's suspended processes, by name. */
  suspendedProcesses(group: string): string[] {
    return [...getGroup(this.state, group).suspended.keys()].sort();
  }

  /** Suspends processes as a user would before the run (no call record). */
  suspendProcessesForTest(group: string, processes: string[]): void {
    const g = getGroup(this.state, group);
    for (const p of processes) g.suspended.set(p, 'User suspended at 2026-01-01T00:00:00Z');
  }

  /** The group's scaling activities, newest first. */
  activities(group: string): { status: string; description: string; statusMessage?: string }[] {
    return getGroup(this.state, group).activities.map((a) => ({
      status: a.status,
      description: a.description,
      ...(a.statusMessage ? { statusMessage: a.statusMessage } : {}),
    }));
  }

  group(name: string): {
    min: number;
    max: number;
    desired: number;
    launchTemplate: { id: string; version: string };
    /** protectedFromScaleIn only when true. */
    instances: { id: string; lifecycle: string; version: number; protectedFromScaleIn?: true }[];
  } {
    const g = getGroup(this.state, name);
    return {
      min: g.min,
      max: g.max,
      desired: g.desired,
      launchTemplate: { ...g.launchTemplate },
      instances: g.instances.map((i) => ({
        id: i.id,
        lifecycle: i.lifecycle,
        version: i.version,
        ...(i.protectedFromScaleIn === true && { protectedFromScaleIn: true as const }),
      })),
    };
  }

  /** Exactly what DescribeListeners returns as DefaultActions. */
  listenerActions(listenerArn: string): Action[] {
    return clone(getListener(this.state, listenerArn).defaultActions);
  }

  /** Every non-default rule of a listener as DescribeRules returns it, by priority. */
  listenerRules(
    listenerArn: string,
  ): { arn: string; priority: number; conditions: unknown[]; actions: Action[] }[] {
    return [...this.state.rules.values()]
      .filter((r) => r.listenerArn === listenerArn)
      .sort((a, b) => a.priority - b.priority)
      .map((r) => ({
        arn: r.arn,
        priority: r.priority,
        conditions: clone(r.conditions),
        actions: clone(r.actions),
      }));
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

/** The part of an SDK client the simulator uses: its middleware stack. */
interface Answerable {
  middlewareStack: {
    add(
      middleware: (
        next: unknown,
        context: { commandName?: string },
      ) => (args: { input: unknown; request: unknown }) => Promise<{ output: unknown; response: unknown }>,
      options: typeof MIDDLEWARE,
    ): void;
  };
}

interface Delay {
  match: (call: { service: Service; command: string; input: unknown }) => boolean;
  delayMs: number;
  left: number;
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
