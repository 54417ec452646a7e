/**
 * Gates: what must hold while new code serves. Every target of the new target
 * group stays healthy, and no alarm of `alarm-names` is in ALARM. One poll reads
 * the target group once and the alarms once per 100 names; nothing else.
 * Strategy-neutral: blue/green watches its new color with it, and rolling can
 * watch its alarms the same way.
 */
import type { AlarmReading, Aws, GroupSnapshot, TargetHealth } from '../aws/index.js';
import { formatDuration } from '../util/time.js';
import type { StepContext } from '../engine/plan.js';
import { shortArn } from '../aws/arn.js';
import { waitFor } from '../engine/wait.js';
import { errorMessage } from '../util/errors.js';

export interface GateSpec {
  /** The target group of the new code; undefined to watch alarms only. */
  targetGroupArn?: string;
  /** Targets that must stay registered and healthy (those seen healthy before traffic moved). */
  targetIds: string[];
  alarmNames: string[];
  /**
   * The Auto Scaling group of the new code, read every poll, with the desired
   * capacity the action gave it. An instance that leaves because the group
   * shrank (its current desired capacity still covered by healthy targets) is
   * not a failure (a scaling policy, a scheduled action); one the target group
   * reports unhealthy is, and so is a group that is gone or scaled to zero
   * while it serves.
   */
  group?: { name: string; color: string; desired: number };
}

export interface GateReading {
  targets: Map<string, TargetHealth>;
  /** The group as read this poll (when the spec names one). */
  group?: GroupSnapshot;
  /** In alarm-names order; `MISSING` when the alarm no longer exists. */
  alarms: { name: string; state: AlarmReading['state'] | 'MISSING'; reason?: string }[];
}

/** Target states that fail the gate for any target, expected or not. */
const FAILING = new Set(['unhealthy', 'draining']);

/**
 * One poll: DescribeTargetHealth (when watching targets), DescribeAlarms per
 * 100 names and DescribeAutoScalingGroups (when the spec names a group), together.
 */
export async function readGates(aws: Aws, spec: GateSpec): Promise<GateReading> {
  const [targets, alarms, group] = await Promise.all([
    spec.targetGroupArn ? aws.elbv2.targetHealth(spec.targetGroupArn) : new Map<string, TargetHealth>(),
    spec.alarmNames.length > 0
      ? aws.cloudWatch.describeAlarms(spec.alarmNames)
      : new Map<string, AlarmReading>(),
    spec.group ? aws.autoScaling.describeGroup(spec.group.name) : undefined,
  ]);
  return {
    targets,
    ...(group && { group }),
    alarms: spec.alarmNames.map((name) => alarms.get(name) ?? { name, state: 'MISSING' as const }),
  };
}

/** Why the gate fails, naming each instance and alarm; undefined when it holds. */
export function gateFailure(reading: GateReading, spec: GateSpec): string | undefined {
  const reasons: string[] = [];
  // A smaller desired capacity is the group's own scaling (noted by watchGates); zero serves nothing.
  if (spec.group && spec.group.desired > 0 && (reading.group?.desired ?? 0) <= 0) {
    const { name, color, desired } = spec.group;
    reasons.push(
      reading.group
        ? `${name} (${color}, serving): desired capacity ${desired} → ${reading.group.desired}, changed by someone else during the deploy`
        : `Auto Scaling group ${name} (${color}) no longer exists`,
    );
  }
  for (const alarm of reading.alarms) {
    if (alarm.state === 'ALARM')
      reasons.push(`alarm "${alarm.name}" is in ALARM${alarm.reason ? ` (${alarm.reason})` : ''}`);
    else if (alarm.state === 'MISSING') reasons.push(`alarm "${alarm.name}" no longer exists`);
  }
  if (spec.targetGroupArn) {
    const removed = removedByGroup(reading);
    for (const id of spec.targetIds) {
      const health = reading.targets.get(id);
      if (health?.state !== 'unhealthy' && removed(id)) continue;
      if (!health) reasons.push(`instance ${id} is no longer registered in ${shortArn(spec.targetGroupArn)}`);
      else if (health.state !== 'healthy') reasons.push(`instance ${id} is ${describeHealth(health)}`);
    }
    for (const [id, health] of reading.targets) {
      if (spec.targetIds.includes(id) || !FAILING.has(health.state)) continue;
      if (health.state === 'draining' && removed(id)) continue;
      reasons.push(`instance ${id} is ${describeHealth(health)}`);
    }
  }
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

/**
 * Instances the group itself took out (it no longer has them InService) while
 * the healthy targets still cover its current desired capacity: a scale-in,
 * not a failure. Never true without a group reading.
 */
function removedByGroup(reading: GateReading): (id: string) => boolean {
  const group = reading.group;
  if (!group) return () => false;
  const inService = new Set(group.instances.filter((i) => i.lifecycle === 'InService').map((i) => i.id));
  const healthy = [...reading.targets].filter(([id, h]) => h.state === 'healthy' && inService.has(id)).length;
  return (id) => !inService.has(id) && healthy >= group.desired;
}

/** `6/6 healthy, 0 alarms` (alarms in ALARM), plus INSUFFICIENT_DATA alarms by name. */
export function describeGates(reading: GateReading, spec: GateSpec): string {
  const parts: string[] = [];
  if (spec.targetGroupArn) parts.push(healthCount(reading, spec));
  const inAlarm = reading.alarms.filter((a) => a.state === 'ALARM').length;
  parts.push(`${inAlarm} alarm${inAlarm === 1 ? '' : 's'}`);
  const insufficient = reading.alarms.filter((a) => a.state === 'INSUFFICIENT_DATA').map((a) => a.name);
  if (insufficient.length > 0) parts.push(`INSUFFICIENT_DATA: ${insufficient.join(', ')}`);
  return parts.join(', ');
}

/** `5/6 healthy`: healthy targets over the expected ones and any other registered. */
export function healthCount(reading: GateReading, spec: GateSpec): string {
  const all = new Set([...spec.targetIds, ...reading.targets.keys()]);
  const healthy = [...all].filter((id) => reading.targets.get(id)?.state === 'healthy').length;
  // Against the group's current desired capacity when the group is read (it may have been scaled meanwhile).
  return `${healthy}/${reading.group ? reading.group.desired : all.size} healthy`;
}

export interface WatchResult {
  passed: boolean;
  /** The last successful reading, if any. */
  last?: GateReading;
  /** Why it failed. */
  failure?: string;
}

/**
 * Holds for `durationMs`, polling the gates and logging one line per poll
 * (`canary 10 %: 3m of 5m, 6/6 healthy, 0 alarms`). Throws on the first failing
 * poll; `onEnd` sees the outcome first, so that it can be recorded.
 */
export async function watchGates(
  ctx: StepContext,
  p: {
    label: string;
    durationMs: number;
    spec: GateSpec;
    onEnd?: (result: WatchResult) => void;
  },
): Promise<GateReading> {
  const started = ctx.clock.now();
  let last: GateReading | undefined;
  let desired: number | undefined;
  const noteCapacity = (reading: GateReading): GateReading => {
    const group = reading.group;
    if (!group) return reading;
    if (desired !== undefined && group.desired !== desired) {
      ctx.log.warning(
        `${group.name}: desired capacity is now ${group.desired}, was ${desired}: changed outside this run (a scaling policy, a scheduled action or by hand); the gates hold it to its current desired capacity`,
      );
    }
    desired = group.desired;
    return reading;
  };
  try {
    const reading = await waitFor(ctx, {
      what: p.label,
      // A little slack past the hold, so that a failed read at its very end is read again.
      timeoutMs: p.durationMs + 3 * ctx.pollIntervalMs,
      read: async () => (last = noteCapacity(await readGates(ctx.aws, p.spec))),
      describe: (r) => describeGates(r, p.spec),
      progress: (r, elapsed) =>
        `${p.label}: ${formatDuration(Math.min(elapsed, p.durationMs))} of ${formatDuration(p.durationMs)}, ${describeGates(r, p.spec)}`,
      failure: (r) => gateFailure(r, p.spec),
      done: (r) => ctx.clock.now() - started >= p.durationMs && gateFailure(r, p.spec) === undefined,
    });
    p.onEnd?.({ passed: true, last: reading });
    return reading;
  } catch (error) {
    p.onEnd?.({
      passed: false,
      ...(last ? { last } : {}),
      failure: errorMessage(error).replace(`${p.label}: `, ''),
    });
    throw error;
  }
}

/**
 * Pre-flight: every alarm must exist and none may be in ALARM already (the
 * first gate would roll the deploy back). Adds problems naming alarm-names.
 */
export async function checkAlarms(
  aws: Aws,
  names: string[],
  problems: string[],
): Promise<Map<string, AlarmReading>> {
  if (names.length === 0) return new Map();
  let found: Map<string, AlarmReading>;
  try {
    found = await aws.cloudWatch.describeAlarms(names);
  } catch (error) {
    problems.push(`alarm-names: the alarms could not be read: ${errorMessage(error)}`);
    return new Map();
  }
  const missing = names.filter((n) => !found.has(n));
  if (missing.length > 0) {
    problems.push(
      `alarm-names: no CloudWatch alarm named ${missing.map((n) => `"${n}"`).join(', ')} in this account and region`,
    );
  }
  for (const name of names) {
    const alarm = found.get(name);
    if (alarm?.state === 'ALARM') {
      problems.push(
        `alarm-names: "${name}" is in ALARM before any change${alarm.reason ? ` (${alarm.reason})` : ''}: the first gate would roll the deploy back; wait until it is OK, or leave it out of alarm-names`,
      );
    }
  }
  return found;
}

function describeHealth(health: TargetHealth): string {
  return `${health.state}${health.reason ? ` (${health.reason})` : ''}`;
}

/** `4 OK, 1 INSUFFICIENT_DATA (db-latency)`, for the pre-flight log line. */
export function summarizeAlarms(alarms: Iterable<AlarmReading>): string {
  const byState = new Map<string, string[]>();
  for (const a of alarms) byState.set(a.state, [...(byState.get(a.state) ?? []), a.name]);
  return [...byState]
    .map(([state, names]) => `${names.length} ${state}${state === 'OK' ? '' : ` (${names.join(', ')})`}`)
    .join(', ');
}
