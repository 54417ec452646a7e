/**
 * Lifecycle hooks as EC2 Auto Scaling runs them (and as test/moto/launches.py
 * does): PutLifecycleHook, DescribeLifecycleHooks, DeleteLifecycleHook,
 * CompleteLifecycleAction, RecordLifecycleActionHeartbeat, on the virtual clock.
 *
 * - A launching hook holds each new instance in Pending:Wait from its launch
 *   (its launch activity MidLifecycleAction; not registered with the target
 *   groups) until CompleteLifecycleAction or HeartbeatTimeout (then
 *   DefaultResult). CONTINUE: Pending:Proceed, then InService and registered
 *   once booted. ABANDON: the launch activity is Cancelled with AWS's message,
 *   the instance is terminated and the group launches a replacement.
 * - A terminating hook holds an instance leaving the group in Terminating:Wait
 *   (already deregistered, draining) until completed or timed out; either
 *   result terminates it.
 * - Defaults as AWS documents them: HeartbeatTimeout 3600 s (30 to 7200),
 *   DefaultResult ABANDON; GlobalTimeout (100 × heartbeat, at most 48 h) is
 *   reported, not enforced. Instances drawn from a warm pool are not held.
 * Also SetInstanceProtection, EnterStandby and ExitStandby (ExitStandby puts
 * the instance straight back InService: AWS passes it through Pending and the
 * launching hooks, not modelled). Error messages of these three are not
 * verified against AWS.
 */
import type {
  CompleteLifecycleActionType,
  DeleteLifecycleHookType,
  DescribeLifecycleHooksType,
  DescribeLifecycleHooksAnswer,
  EnterStandbyQuery,
  ExitStandbyQuery,
  PutLifecycleHookType,
  RecordLifecycleActionHeartbeatType,
  SetInstanceProtectionQuery,
} from '@aws-sdk/client-auto-scaling';
import { getGroup, inService, launch } from './auto-scaling.js';
import { clientError } from './errors.js';
import type { Handlers } from './handlers.js';
import { leaving, type Group, type Instance, type LifecycleHook, type SimState } from './state.js';
import { deregisterTarget, registerTarget } from './targets.js';

const LAUNCHING = 'autoscaling:EC2_INSTANCE_LAUNCHING';
const TERMINATING = 'autoscaling:EC2_INSTANCE_TERMINATING';
const MAX_HOOKS = 50;
const ACTIVE_REFRESH = new Set(['Pending', 'InProgress', 'Baking', 'Cancelling', 'RollbackInProgress']);

const validation = (message: string): Error => clientError('autoscaling', 'ValidationError', message);

function hookOf(group: Group, transition: string): LifecycleHook | undefined {
  return [...group.hooks.values()].find((h) => h.transition === transition);
}

/** AWS's token: a UUID per lifecycle action. */
function token(sim: SimState): string {
  return `00000000-0000-4000-c000-${sim.hexId('lifecycle-action', 12)}`;
}

function startTimer(sim: SimState, group: Group, instance: Instance, hook: LifecycleHook): number {
  return sim.clock.schedule(sim.now() + hook.heartbeatSeconds * 1000, () => {
    if (instance.held?.hook === hook) endHold(sim, group, instance, hook.defaultResult, 'Heartbeat Timeout');
  });
}

/** A new instance of a group with a launching hook waits in Pending:Wait. True when held. */
export function holdLaunch(sim: SimState, group: Group, instance: Instance): boolean {
  const hook = hookOf(group, LAUNCHING);
  if (!hook) return false;
  instance.lifecycle = 'Pending:Wait';
  instance.held = { hook, token: token(sim), timer: startTimer(sim, group, instance, hook) };
  if (instance.launchActivity) instance.launchActivity.status = 'MidLifecycleAction';
  return true;
}

/** An instance leaving a group with a terminating hook waits in Terminating:Wait. True when held. */
export function holdTermination(sim: SimState, group: Group, instance: Instance, drainedAt: number): boolean {
  const hook = hookOf(group, TERMINATING);
  if (!hook) return false;
  instance.lifecycle = 'Terminating:Wait';
  instance.held = { hook, token: token(sim), timer: startTimer(sim, group, instance, hook), drainedAt };
  return true;
}

/** The lifecycle action ends with `result` (CompleteLifecycleAction, or the heartbeat timeout's DefaultResult). */
function endHold(sim: SimState, group: Group, instance: Instance, result: string, reason: string): void {
  const held = instance.held;
  if (!held) return;
  sim.clock.cancel(held.timer);
  instance.held = undefined;
  if (held.hook.transition === TERMINATING) {
    instance.lifecycle = 'Terminating:Proceed';
    sim.clock.schedule(Math.max(sim.now(), held.drainedAt ?? 0), () => {
      group.instances = group.instances.filter((i) => i !== instance);
    });
    return;
  }
  if (result === 'CONTINUE') {
    if (instance.launchActivity?.status === 'MidLifecycleAction')
      instance.launchActivity.status = 'InProgress';
    if (instance.bootTimer === undefined) inService(sim, group, instance, false);
    else instance.lifecycle = 'Pending:Proceed';
    return;
  }
  abandon(sim, group, instance, held.token, reason);
}

/** ABANDON: AWS terminates the instance, cancels its launch with this message and launches a replacement. */
function abandon(sim: SimState, group: Group, instance: Instance, actionToken: string, reason: string): void {
  const message = `Instance failed to complete user's Lifecycle Action: Lifecycle Action with token ${actionToken} was abandoned: ${reason}`;
  const a = instance.launchActivity;
  if (a) {
    Object.assign(a, {
      status: 'Cancelled',
      statusMessage: message,
      description: `Launching a new EC2 instance: ${instance.id}.  Status Reason: ${message}`,
      endedAt: sim.now(),
    });
  }
  if (instance.bootTimer !== undefined) sim.clock.cancel(instance.bootTimer);
  instance.bootTimer = undefined;
  instance.lifecycle = 'Terminating';
  group.instances = group.instances.filter((i) => i !== instance);
  // An Instance Refresh launches its own replacement (instance-refresh-run.ts); otherwise the group does.
  if (group.refreshes.some((r) => ACTIVE_REFRESH.has(r.status))) return;
  const active = () => group.instances.filter((i) => !leaving(i) && i.lifecycle !== 'Standby').length;
  for (let n = active(); n < group.desired; n++) launch(sim, group);
}

function heldInstance(
  sim: SimState,
  input: CompleteLifecycleActionType,
): { group: Group; instance: Instance } {
  const group = getGroup(sim, input.AutoScalingGroupName);
  if (!group.hooks.has(input.LifecycleHookName ?? ''))
    throw validation(`No Lifecycle Hook found with name ${input.LifecycleHookName ?? ''}`);
  const instance = group.instances.find(
    (i) =>
      i.held?.hook.name === input.LifecycleHookName &&
      (input.InstanceId ? i.id === input.InstanceId : i.held?.token === input.LifecycleActionToken),
  );
  if (instance) return { group, instance };
  if (input.InstanceId)
    throw validation(`No active Lifecycle Action found with instance ID ${input.InstanceId}`);
  throw validation(`No active Lifecycle Action found with token ${input.LifecycleActionToken ?? ''}`);
}

function completeLifecycleAction(sim: SimState, input: CompleteLifecycleActionType): object {
  const result = input.LifecycleActionResult;
  if (result !== 'CONTINUE' && result !== 'ABANDON')
    throw validation('LifecycleActionResult must be CONTINUE or ABANDON');
  if (!input.InstanceId && !input.LifecycleActionToken)
    throw validation('Either InstanceId or LifecycleActionToken must be specified');
  const { group, instance } = heldInstance(sim, input);
  endHold(sim, group, instance, result, 'Lifecycle Action Completed with ABANDON Result');
  return {};
}

function recordHeartbeat(sim: SimState, input: RecordLifecycleActionHeartbeatType): object {
  const { group, instance } = heldInstance(sim, { ...input, LifecycleActionResult: 'CONTINUE' });
  const held = instance.held;
  if (held) {
    sim.clock.cancel(held.timer);
    held.timer = startTimer(sim, group, instance, held.hook);
  }
  return {};
}

function putLifecycleHook(sim: SimState, input: PutLifecycleHookType): object {
  const group = getGroup(sim, input.AutoScalingGroupName);
  const name = input.LifecycleHookName ?? '';
  if (!/^[A-Za-z0-9\-_/]{1,255}$/.test(name)) throw validation(`Invalid LifecycleHookName: ${name}`);
  const before = group.hooks.get(name);
  const transition = input.LifecycleTransition ?? before?.transition;
  if (transition !== LAUNCHING && transition !== TERMINATING)
    throw validation(`Invalid Lifecycle Transition: ${transition ?? 'null'}`);
  const heartbeat = input.HeartbeatTimeout ?? before?.heartbeatSeconds ?? 3600;
  if (heartbeat < 30 || heartbeat > 7200)
    throw validation(`HeartbeatTimeout must be between 30 and 7200 seconds: ${heartbeat}`);
  const result = input.DefaultResult ?? before?.defaultResult ?? 'ABANDON';
  if (result !== 'CONTINUE' && result !== 'ABANDON') throw validation(`Invalid DefaultResult: ${result}`);
  if (!before && group.hooks.size >= MAX_HOOKS)
    throw clientError('autoscaling', 'LimitExceeded', `Reached the limit of ${MAX_HOOKS} lifecycle hooks`);
  group.hooks.set(name, { name, transition, heartbeatSeconds: heartbeat, defaultResult: result });
  return {};
}

function describeLifecycleHooks(
  sim: SimState,
  input: DescribeLifecycleHooksType,
): Omit<DescribeLifecycleHooksAnswer, '$metadata'> {
  const group = getGroup(sim, input.AutoScalingGroupName);
  const names = input.LifecycleHookNames ?? [];
  return {
    LifecycleHooks: [...group.hooks.values()]
      .filter((h) => names.length === 0 || names.includes(h.name))
      .map((h) => ({
        LifecycleHookName: h.name,
        AutoScalingGroupName: group.name,
        LifecycleTransition: h.transition,
        HeartbeatTimeout: h.heartbeatSeconds,
        GlobalTimeout: Math.min(100 * h.heartbeatSeconds, 172_800),
        DefaultResult: h.defaultResult,
      })),
  };
}

function deleteLifecycleHook(sim: SimState, input: DeleteLifecycleHookType): object {
  const group = getGroup(sim, input.AutoScalingGroupName);
  if (!group.hooks.delete(input.LifecycleHookName ?? ''))
    throw validation(`No Lifecycle Hook found with name ${input.LifecycleHookName ?? ''}`);
  return {};
}

function members(
  sim: SimState,
  groupName: string | undefined,
  ids: readonly string[] | undefined,
): Instance[] {
  const group = getGroup(sim, groupName);
  return (ids ?? []).map((id) => {
    const i = group.instances.find((x) => x.id === id);
    if (!i) throw validation(`The instance ${id} is not part of Auto Scaling group ${group.name}.`);
    return i;
  });
}

function setInstanceProtection(sim: SimState, input: SetInstanceProtectionQuery): object {
  if (input.ProtectedFromScaleIn === undefined) throw validation('ProtectedFromScaleIn is required');
  for (const i of members(sim, input.AutoScalingGroupName, input.InstanceIds))
    i.protectedFromScaleIn = input.ProtectedFromScaleIn;
  return {};
}

/** EnterStandby: InService instances leave their target groups (and, if asked, the desired capacity). */
function enterStandby(sim: SimState, input: EnterStandbyQuery): object {
  const group = getGroup(sim, input.AutoScalingGroupName);
  if (input.ShouldDecrementDesiredCapacity === undefined)
    throw validation('ShouldDecrementDesiredCapacity is required');
  const chosen = members(sim, group.name, input.InstanceIds);
  for (const i of chosen)
    if (i.lifecycle !== 'InService') throw validation(`The instance ${i.id} is not in InService.`);
  if (input.ShouldDecrementDesiredCapacity && group.desired - chosen.length < group.min)
    throw validation(`Cannot decrement desired capacity below the group's minimum size ${group.min}.`);
  for (const i of chosen) {
    for (const arn of group.targetGroupArns) {
      const tg = sim.targetGroups.get(arn);
      if (tg) deregisterTarget(sim, tg, i.id);
    }
    i.lifecycle = 'Standby';
  }
  if (input.ShouldDecrementDesiredCapacity) group.desired -= chosen.length;
  else for (let n = 0; n < chosen.length; n++) launch(sim, group);
  return { Activities: [] };
}

/** ExitStandby: back InService and registered; the desired capacity grows by one per instance. */
function exitStandby(sim: SimState, input: ExitStandbyQuery): object {
  const group = getGroup(sim, input.AutoScalingGroupName);
  const chosen = members(sim, group.name, input.InstanceIds);
  for (const i of chosen)
    if (i.lifecycle !== 'Standby') throw validation(`The instance ${i.id} is not in Standby.`);
  if (group.desired + chosen.length > group.max)
    throw validation(`Cannot increment desired capacity above the group's maximum size ${group.max}.`);
  group.desired += chosen.length;
  for (const i of chosen) {
    i.lifecycle = 'InService';
    for (const arn of group.targetGroupArns) {
      const tg = sim.targetGroups.get(arn);
      if (tg) registerTarget(sim, tg, i);
    }
  }
  return { Activities: [] };
}

export const lifecycleHandlers: Handlers = {
  PutLifecycleHook: (sim, input) => putLifecycleHook(sim, input as PutLifecycleHookType),
  DescribeLifecycleHooks: (sim, input) => describeLifecycleHooks(sim, input as DescribeLifecycleHooksType),
  DeleteLifecycleHook: (sim, input) => deleteLifecycleHook(sim, input as DeleteLifecycleHookType),
  CompleteLifecycleAction: (sim, input) => completeLifecycleAction(sim, input as CompleteLifecycleActionType),
  RecordLifecycleActionHeartbeat: (sim, input) =>
    recordHeartbeat(sim, input as RecordLifecycleActionHeartbeatType),
  SetInstanceProtection: (sim, input) => setInstanceProtection(sim, input as SetInstanceProtectionQuery),
  EnterStandby: (sim, input) => enterStandby(sim, input as EnterStandbyQuery),
  ExitStandby: (sim, input) => exitStandby(sim, input as ExitStandbyQuery),
};
