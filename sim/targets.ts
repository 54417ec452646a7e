/**
 * Target health as an ALB reports it, driven by the virtual clock:
 * registered → initial → healthy after interval × healthyThreshold (or unhealthy
 * after interval × unhealthyThreshold for a failing instance); deregistered →
 * draining for the deregistration delay → gone. A target group that no listener
 * or rule forwards to is not health-checked: its targets are `unused`
 * (Target.NotInUse), as AWS reports them, until some action references it.
 */
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Instance, SimState, Target, TargetGroup, TargetState } from './state.js';

const DESCRIPTIONS: Record<string, string> = {
  'Elb.RegistrationInProgress': 'Target registration is in progress',
  'Elb.InitialHealthChecking': 'Initial health checks in progress',
  'Target.FailedHealthChecks': 'Health checks failed',
  'Target.DeregistrationInProgress': 'Target deregistration is in progress',
  'Target.NotInUse': 'Target group is not configured to receive traffic from the load balancer',
};

function setState(sim: SimState, target: Target, state: TargetState, reason?: string): void {
  if (target.timer !== undefined) sim.clock.cancel(target.timer);
  target.timer = undefined;
  target.state = state;
  target.reason = reason;
  target.description = reason === undefined ? undefined : DESCRIPTIONS[reason];
}

function instanceFailing(sim: SimState, instanceId: string): boolean {
  for (const g of sim.groups.values()) {
    const inst = g.instances.find((i) => i.id === instanceId);
    if (inst) return inst.failing;
  }
  return false;
}

/** Starts health checking from scratch: initial, then healthy or unhealthy. */
function startChecks(sim: SimState, tg: TargetGroup, target: Target, reason: string): void {
  setState(sim, target, 'initial', reason);
  const failing = instanceFailing(sim, target.id);
  const checks = failing ? tg.unhealthyThreshold : tg.healthyThreshold;
  target.timer = sim.clock.schedule(sim.now() + checks * tg.intervalSeconds * 1000, () => {
    target.timer = undefined;
    if (failing) setState(sim, target, 'unhealthy', 'Target.FailedHealthChecks');
    else setState(sim, target, 'healthy');
  });
}

/** Registers an instance that just came InService. */
export function registerTarget(
  sim: SimState,
  tg: TargetGroup,
  instance: Instance,
  alreadyHealthy = false,
): void {
  const target: Target = { id: instance.id, state: 'initial' };
  tg.targets.set(instance.id, target);
  if (!sim.inUse.has(tg.arn)) setState(sim, target, 'unused', 'Target.NotInUse');
  else if (alreadyHealthy) {
    setState(sim, target, 'healthy');
    if (instance.failing) failTarget(sim, tg, target);
  } else startChecks(sim, tg, target, 'Elb.RegistrationInProgress');
}

/** Starts draining; returns the delay (ms) after which the target is gone. */
export function deregisterTarget(sim: SimState, tg: TargetGroup, instanceId: string): number {
  const target = tg.targets.get(instanceId);
  if (!target) return 0;
  if (target.state === 'draining') return 0;
  setState(sim, target, 'draining', 'Target.DeregistrationInProgress');
  const delay = tg.deregistrationDelaySeconds * 1000;
  target.timer = sim.clock.schedule(sim.now() + delay, () => {
    if (tg.targets.get(instanceId) === target) tg.targets.delete(instanceId);
  });
  return delay;
}

/** A target that starts failing turns unhealthy after unhealthyThreshold checks. */
function failTarget(sim: SimState, tg: TargetGroup, target: Target): void {
  if (target.state !== 'healthy' && target.state !== 'initial') return;
  const keep = target.state;
  const reason = target.reason;
  setState(sim, target, keep, reason);
  target.timer = sim.clock.schedule(sim.now() + tg.unhealthyThreshold * tg.intervalSeconds * 1000, () => {
    target.timer = undefined;
    setState(sim, target, 'unhealthy', 'Target.FailedHealthChecks');
  });
}

/** The instance fails health checks from now on, in every target group. */
export function failInstance(sim: SimState, instance: Instance): void {
  if (instance.failing) return;
  instance.failing = true;
  for (const tg of sim.targetGroups.values()) {
    const target = tg.targets.get(instance.id);
    if (target) failTarget(sim, tg, target);
  }
}

/** Target group ARNs a list of actions forwards to (any weight). */
export function forwardedTargetGroups(actions: readonly Action[]): string[] {
  const out: string[] = [];
  for (const a of actions) {
    if (a.Type !== 'forward') continue;
    if (a.TargetGroupArn) out.push(a.TargetGroupArn);
    for (const t of a.ForwardConfig?.TargetGroups ?? []) if (t.TargetGroupArn) out.push(t.TargetGroupArn);
  }
  return out;
}

/** Recomputes which target groups are in use and moves their targets accordingly. */
export function refreshInUse(sim: SimState): void {
  const now = new Set<string>();
  for (const l of sim.listeners.values())
    for (const arn of forwardedTargetGroups(l.defaultActions)) now.add(arn);
  for (const r of sim.rules.values()) for (const arn of forwardedTargetGroups(r.actions)) now.add(arn);
  const before = sim.inUse;
  sim.inUse = now;
  for (const tg of sim.targetGroups.values()) {
    const was = before.has(tg.arn);
    const is = now.has(tg.arn);
    if (was === is) continue;
    for (const target of tg.targets.values()) {
      if (target.state === 'draining') continue;
      if (is) startChecks(sim, tg, target, 'Elb.InitialHealthChecking');
      else setState(sim, target, 'unused', 'Target.NotInUse');
    }
  }
}
