/**
 * What holds a group's scaling and what it records: suspended processes
 * (SuspendProcesses, ResumeProcesses, SuspendedProcesses), scaling activities
 * (DescribeScalingActivities: one per launch or termination, newest first),
 * launches that AWS fails (with AWS's messages, and AWS's own retries), and a
 * scheduled action that changes desired capacity, held still while
 * ScheduledActions is suspended.
 */
import type {
  Activity as SdkActivity,
  DescribeScalingActivitiesCommandInput,
  DescribeScalingActivitiesCommandOutput,
  ScalingProcessQuery,
} from '@aws-sdk/client-auto-scaling';
import { clientError } from './errors.js';
import type { Handlers } from './handlers.js';
import type { Activity, Group, Instance, SimState } from './state.js';

/** Every process of EC2 Auto Scaling, as SuspendProcesses knows them. */
export const PROCESSES = [
  'Launch',
  'Terminate',
  'AddToLoadBalancer',
  'AlarmNotification',
  'AZRebalance',
  'HealthCheck',
  'InstanceRefresh',
  'ReplaceUnhealthy',
  'ScheduledActions',
];

const validation = (message: string): Error => clientError('autoscaling', 'ValidationError', message);

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function group(sim: SimState, name: string | undefined): Group {
  const g = name === undefined ? undefined : sim.groups.get(name);
  if (!g) throw validation(`AutoScalingGroup name not found - ${name ?? 'null'}`);
  return g;
}

function processes(input: ScalingProcessQuery): string[] {
  const asked = input.ScalingProcesses ?? [];
  for (const p of asked) if (!PROCESSES.includes(p)) throw validation(`Invalid Process: ${p}`);
  return asked.length === 0 ? PROCESSES : asked;
}

export function suspendProcesses(sim: SimState, input: ScalingProcessQuery): object {
  const g = group(sim, input.AutoScalingGroupName);
  for (const p of processes(input))
    if (!g.suspended.has(p)) g.suspended.set(p, `User suspended at ${iso(sim.now())}`);
  return {};
}

export function resumeProcesses(sim: SimState, input: ScalingProcessQuery): object {
  const g = group(sim, input.AutoScalingGroupName);
  for (const p of processes(input)) g.suspended.delete(p);
  return {};
}

/** SuspendedProcesses of DescribeAutoScalingGroups. */
export function suspendedProcesses(g: Group): { ProcessName: string; SuspensionReason: string }[] {
  return [...g.suspended].map(([ProcessName, SuspensionReason]) => ({ ProcessName, SuspensionReason }));
}

function record(sim: SimState, g: Group, a: Omit<Activity, 'id' | 'startedAt'>): Activity {
  const activity: Activity = {
    id: `00000000-0000-4000-b000-${sim.hexId('activity', 12)}`,
    startedAt: sim.now(),
    ...a,
  };
  g.activities.unshift(activity);
  return activity;
}

function capacityCause(sim: SimState, g: Group, verb: 'started' | 'taken out of service'): string {
  const active = g.instances.filter((i) => !i.lifecycle.startsWith('Terminating')).length;
  const change =
    verb === 'started'
      ? `increasing the capacity from ${active} to ${g.desired}`
      : `shrinking the capacity from ${active} to ${g.desired}`;
  return `At ${iso(sim.now())} an instance was ${verb} in response to a difference between desired and actual capacity, ${change}.`;
}

/** The launch activity of a new instance: InProgress until it is InService. */
export function recordLaunch(sim: SimState, g: Group, instance: Instance, inService: boolean): void {
  instance.launchActivity = record(sim, g, {
    description: `Launching a new EC2 instance: ${instance.id}`,
    cause: capacityCause(sim, g, 'started'),
    status: inService ? 'Successful' : 'InProgress',
    az: instance.az,
    ...(inService ? { endedAt: sim.now() } : {}),
  });
}

export function launchSucceeded(sim: SimState, instance: Instance): void {
  const a = instance.launchActivity;
  if (a && (a.status === 'InProgress' || a.status === 'MidLifecycleAction'))
    Object.assign(a, { status: 'Successful', endedAt: sim.now() });
}

export function recordTermination(sim: SimState, g: Group, instance: Instance): void {
  record(sim, g, {
    description: `Terminating EC2 instance: ${instance.id}`,
    cause: capacityCause(sim, g, 'taken out of service'),
    status: 'Successful',
    az: instance.az,
    endedAt: sim.now(),
  });
}

/**
 * Why a launch from this image fails now, if it does: an image listed as
 * missing, or a failure queued for the group. Records the Failed activity as
 * AWS does and says when the group tries again.
 */
export function failedLaunch(
  sim: SimState,
  g: Group,
  imageId: string,
  az: string,
): { retryAfterSeconds: number } | undefined {
  let failure: { message: string; retryAfterSeconds: number } | undefined;
  if (sim.failingImages.has(imageId)) {
    failure = {
      message: `The image id '[${imageId}]' does not exist. Launching EC2 instance failed.`,
      retryAfterSeconds: sim.timing.launchRetrySeconds,
    };
  } else failure = g.failNext.shift();
  if (!failure) return undefined;
  record(sim, g, {
    description: `Launching a new EC2 instance.  Status Reason: ${failure.message}`,
    cause: capacityCause(sim, g, 'started'),
    status: 'Failed',
    statusMessage: failure.message,
    az,
    endedAt: sim.now(),
  });
  return { retryAfterSeconds: failure.retryAfterSeconds };
}

/** AWS's InsufficientInstanceCapacity wording, for `failNextLaunches`. */
export function insufficientCapacityMessage(instanceType: string, az: string, other: string): string {
  return `We currently do not have sufficient ${instanceType} capacity in the Availability Zone you requested (${az}). Our system will be working on provisioning additional capacity. You can currently get ${instanceType} capacity by not specifying an Availability Zone in your request or choosing ${other}. Launching EC2 instance failed.`;
}

function describeScalingActivities(
  sim: SimState,
  input: DescribeScalingActivitiesCommandInput,
): Omit<DescribeScalingActivitiesCommandOutput, '$metadata'> {
  const groups = input.AutoScalingGroupName
    ? [group(sim, input.AutoScalingGroupName)]
    : [...sim.groups.values()];
  let all = groups
    .flatMap((g) => g.activities.map((a) => ({ g, a })))
    .sort((x, y) => y.a.startedAt - x.a.startedAt);
  if (input.ActivityIds?.length) all = all.filter(({ a }) => input.ActivityIds?.includes(a.id));
  const max = input.MaxRecords ?? 100;
  if (max < 1 || max > 100) throw validation(`MaxRecords must be between 1 and 100`);
  const start = input.NextToken ? Number(input.NextToken) : 0;
  const page = all.slice(start, start + max);
  const activities: SdkActivity[] = page.map(({ g, a }) => ({
    ActivityId: a.id,
    AutoScalingGroupName: g.name,
    AutoScalingGroupARN: g.arn,
    Description: a.description,
    Cause: a.cause,
    StartTime: new Date(a.startedAt),
    ...(a.endedAt === undefined ? {} : { EndTime: new Date(a.endedAt) }),
    StatusCode: a.status,
    ...(a.statusMessage ? { StatusMessage: a.statusMessage } : {}),
    Progress: a.status === 'InProgress' ? 30 : 100,
    Details: JSON.stringify({ 'Subnet ID': 'subnet-00000000000000001', 'Availability Zone': a.az }),
  }));
  return {
    Activities: activities,
    ...(start + max < all.length ? { NextToken: String(start + max) } : {}),
  };
}

export const scalingHandlers: Handlers = {
  SuspendProcesses: (sim, input) => suspendProcesses(sim, input as ScalingProcessQuery),
  ResumeProcesses: (sim, input) => resumeProcesses(sim, input as ScalingProcessQuery),
  DescribeScalingActivities: (sim, input) =>
    describeScalingActivities(sim, input as DescribeScalingActivitiesCommandInput),
};
