/**
 * A group's lifecycle hooks (DescribeLifecycleHooks), read once at pre-flight,
 * and how instances held by one read in a progress line. A launching hook
 * holds each new instance in Pending:Wait (not registered with the target
 * groups) until someone completes the lifecycle action or the heartbeat
 * timeout passes (then the hook's DefaultResult: ABANDON terminates it and
 * AWS launches a replacement); a terminating hook holds Terminating:Wait.
 */
import {
  type AutoScalingClient,
  DescribeLifecycleHooksCommand,
  type LifecycleHook as SdkLifecycleHook,
} from '@aws-sdk/client-auto-scaling';

export const LAUNCHING = 'autoscaling:EC2_INSTANCE_LAUNCHING';
export const TERMINATING = 'autoscaling:EC2_INSTANCE_TERMINATING';

/** One lifecycle hook as DescribeLifecycleHooks reports it (AWS's defaults filled in). */
export interface LifecycleHook {
  name: string;
  /** `autoscaling:EC2_INSTANCE_LAUNCHING` or `autoscaling:EC2_INSTANCE_TERMINATING`. */
  transition: string;
  /** Seconds an instance waits before DefaultResult applies (AWS's default: 3600). */
  heartbeatSeconds: number;
  /** CONTINUE or ABANDON (AWS's default: ABANDON). */
  defaultResult: string;
}

/** The hooks of each group the run touches, by group name, as pre-flight read them. */
export type GroupHooks = ReadonlyMap<string, readonly LifecycleHook[]>;

/** Every hook of the group: one call (a group has at most 50 hooks, all in one answer). */
export async function readLifecycleHooks(client: AutoScalingClient, group: string): Promise<LifecycleHook[]> {
  const out = await client.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: group }));
  return (out.LifecycleHooks ?? []).map(toHook);
}

function toHook(h: SdkLifecycleHook): LifecycleHook {
  return {
    name: h.LifecycleHookName ?? '',
    transition: h.LifecycleTransition ?? '',
    heartbeatSeconds: h.HeartbeatTimeout ?? 3600,
    defaultResult: h.DefaultResult ?? 'ABANDON',
  };
}

/** `boot (autoscaling:EC2_INSTANCE_LAUNCHING, heartbeat 300s, default result ABANDON)`, for the pre-flight log. */
export function describeHook(h: LifecycleHook): string {
  return `${h.name} (${h.transition}, heartbeat ${h.heartbeatSeconds}s, default result ${h.defaultResult})`;
}

/** `boot (heartbeat 300s)`; several hooks joined with `, `. */
function hooksText(hooks: readonly LifecycleHook[]): string {
  return hooks.map((h) => `${h.name} (heartbeat ${h.heartbeatSeconds}s)`).join(', ');
}

/** Pending:Wait, Pending:Proceed (launching hook), Terminating:Wait, Terminating:Proceed (terminating hook). */
export function hookTransition(lifecycle: string): typeof LAUNCHING | typeof TERMINATING | undefined {
  if (lifecycle === 'Pending:Wait' || lifecycle === 'Pending:Proceed') return LAUNCHING;
  if (lifecycle === 'Terminating:Wait' || lifecycle === 'Terminating:Proceed') return TERMINATING;
  return undefined;
}

/**
 * `2 waiting on hook boot (heartbeat 300s)` per transition that holds some of
 * the instances, naming the group's hooks of that transition (pre-flight read
 * them: no call here). Empty when no instance is held.
 */
export function hookWaits(
  lifecycles: readonly string[],
  hooks: readonly LifecycleHook[] | undefined,
): string[] {
  const parts: string[] = [];
  for (const transition of [LAUNCHING, TERMINATING]) {
    const n = lifecycles.filter((l) => hookTransition(l) === transition).length;
    if (n === 0) continue;
    const named = (hooks ?? []).filter((h) => h.transition === transition);
    parts.push(`${n} waiting on ${named.length > 0 ? `hook ${hooksText(named)}` : 'a lifecycle hook'}`);
  }
  return parts;
}

/**
 * `2/4 healthy (1 initial), 2 waiting on hook boot (heartbeat 300s)`: the
 * counts by state, with instances held by a hook taken out of `counts` and
 * named after them. `counts` holds every state but `healthy`.
 */
export function healthLine(
  healthy: number,
  desired: number,
  counts: ReadonlyMap<string, number>,
  hooks: readonly LifecycleHook[] | undefined,
): string {
  const held: string[] = [];
  const rest: string[] = [];
  for (const [state, n] of counts) {
    const original = HELD_STATES.get(state);
    if (original) for (let i = 0; i < n; i++) held.push(original);
    else rest.push(`${n} ${state}`);
  }
  const waits = hookWaits(held, hooks);
  return `${healthy}/${desired} healthy${rest.length > 0 ? ` (${rest.join(', ')})` : ''}${waits.map((w) => `, ${w}`).join('')}`;
}

/** The states of instances held by a hook, as the health counts spell them (lower case), back to AWS's. */
const HELD_STATES = new Map(
  ['Pending:Wait', 'Pending:Proceed', 'Terminating:Wait', 'Terminating:Proceed'].map((s) => [
    s.toLowerCase(),
    s,
  ]),
);
