import {
  type Aws,
  type GroupSnapshot,
  healthLine,
  hookWaits,
  type LifecycleHook,
  type TargetHealth,
} from '../aws/index.js';
import type { StepContext } from '../engine/plan.js';
import { waitFor } from '../engine/wait.js';
import { launchWatch } from '../aws/waits/launches.js';

/** One reading of a fleet: its group and how its target group sees each instance. Two calls. */
export interface FleetReading {
  group: GroupSnapshot;
  health: Map<string, TargetHealth>;
}

export async function readFleet(aws: Aws, groupName: string, targetGroupArn: string): Promise<FleetReading> {
  const [group, health] = await Promise.all([
    aws.autoScaling.describeGroup(groupName),
    aws.elbv2.targetHealth(targetGroupArn),
  ]);
  if (!group) throw new Error(`Auto Scaling group ${groupName} no longer exists`);
  return { group, health };
}

export function inService(reading: FleetReading): string[] {
  return reading.group.instances.filter((i) => i.lifecycle === 'InService').map((i) => i.id);
}

/** Instances of the group that the target group reports healthy. */
export function healthyInstances(reading: FleetReading): string[] {
  return inService(reading).filter((id) => reading.health.get(id)?.state === 'healthy');
}

/**
 * `4/6 healthy (1 initial, 1 pending)` against the group's desired capacity;
 * instances held by a lifecycle hook name it: `, 2 waiting on hook boot (heartbeat 300s)`.
 */
export function describeFleet(reading: FleetReading, hooks?: readonly LifecycleHook[]): string {
  const counts = new Map<string, number>();
  for (const instance of reading.group.instances) {
    const state =
      instance.lifecycle === 'InService'
        ? (reading.health.get(instance.id)?.state ?? 'not registered')
        : instance.lifecycle.toLowerCase();
    counts.set(state, (counts.get(state) ?? 0) + 1);
  }
  const healthy = counts.get('healthy') ?? 0;
  counts.delete('healthy');
  return healthLine(healthy, reading.group.desired, counts, hooks);
}

/**
 * Waits until the group has its desired capacity InService and every one of
 * them healthy. With `launchesSince` (the time of the run's write), each poll
 * also reads the group's launches: one that AWS failed ends the wait at once.
 */
export async function waitForHealthy(
  ctx: StepContext,
  p: { what: string; groupName: string; targetGroupArn: string; timeoutMs: number; launchesSince?: number },
): Promise<FleetReading> {
  const launches = p.launchesSince === undefined ? undefined : launchWatch(ctx, p.groupName, p.launchesSince);
  return waitFor<FleetReading & { launchFailure?: string }>(ctx, {
    what: p.what,
    timeoutMs: p.timeoutMs,
    read: async () => {
      const [reading, launchFailure] = await Promise.all([
        readFleet(ctx.aws, p.groupName, p.targetGroupArn),
        launches?.poll(),
      ]);
      return { ...reading, ...(launchFailure && { launchFailure }) };
    },
    describe: (r) => describeFleet(r, ctx.lifecycleHooks?.get(p.groupName)),
    failure: (r) => r.launchFailure,
    done: (r) => {
      const ids = inService(r);
      return ids.length >= r.group.desired && healthyInstances(r).length === ids.length && ids.length > 0;
    },
  });
}

/** A lower desired capacity does not remove these: protected from scale in, or in Standby. */
export function heldInstance(i: { lifecycle: string; protectedFromScaleIn?: boolean }): boolean {
  return i.protectedFromScaleIn === true || i.lifecycle.startsWith('Standby');
}

/**
 * Waits until the group has no instance left (scale-in finished, targets
 * drained); with `exceptHeld`, until only protected or Standby instances are left.
 */
export async function waitForEmpty(
  ctx: StepContext,
  p: { what: string; groupName: string; targetGroupArn: string; timeoutMs: number; exceptHeld?: boolean },
): Promise<FleetReading> {
  const left = (r: FleetReading) => r.group.instances.filter((i) => !(p.exceptHeld && heldInstance(i)));
  return waitFor(ctx, {
    what: p.what,
    timeoutMs: p.timeoutMs,
    read: () => readFleet(ctx.aws, p.groupName, p.targetGroupArn),
    // a terminating hook's Terminating:Wait instances are named with the hook
    describe: (r) =>
      [
        `${left(r).length} instance(s) left`,
        ...hookWaits(
          left(r).map((i) => i.lifecycle),
          ctx.lifecycleHooks?.get(p.groupName),
        ),
      ].join(', '),
    done: (r) => left(r).length === 0,
  });
}

/**
 * Watches a serving fleet for `durationMs`: fails as soon as one of the
 * instances that were healthy at the start leaves service or turns unhealthy.
 */
export async function watchHealthy(
  ctx: StepContext,
  p: { what: string; groupName: string; targetGroupArn: string; durationMs: number; instanceIds: string[] },
): Promise<FleetReading> {
  const started = ctx.clock.now();
  return waitFor(ctx, {
    what: p.what,
    timeoutMs: p.durationMs,
    read: () => readFleet(ctx.aws, p.groupName, p.targetGroupArn),
    describe: describeFleet,
    failure: (r) => {
      const serving = new Set(inService(r));
      for (const id of p.instanceIds) {
        if (!serving.has(id)) return `instance ${id} left service`;
        const health = r.health.get(id);
        if (health?.state !== 'healthy') {
          return `instance ${id} is ${health?.state ?? 'not registered'}${health?.reason ? ` (${health.reason})` : ''}`;
        }
      }
      return undefined;
    },
    done: () => ctx.clock.now() - started >= p.durationMs,
  });
}
