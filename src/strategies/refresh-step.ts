/** The plan step that runs one Instance Refresh to its end (rolling and recreate). */
import {
  type InstanceRefreshSummary,
  isRefreshInProgressError,
  type LaunchSpec,
  type RefreshPreferences,
} from '../aws/index.js';
import type { Facts, Step, StepContext, StepRunContext, Undo } from '../engine/plan.js';
import type { HeldInstances } from '../inputs/config.js';
import {
  describeRefresh,
  refreshOfThisRun,
  TERMINAL_REFRESH,
  waitForRefresh,
} from '../aws/waits/instance-refresh.js';

export type RefreshUndo = Extract<Undo, { kind: 'roll-back-instance-refresh' }>;

/** protected-instances / standby-instances as Instance Refresh preferences (`refresh` of Standby is AWS's Terminate). */
export function heldPreferences(
  config: HeldInstances,
): Pick<RefreshPreferences, 'ScaleInProtectedInstances' | 'StandbyInstances'> {
  const protectedValue = { ignore: 'Ignore', refresh: 'Refresh', wait: 'Wait' } as const;
  const standbyValue = { ignore: 'Ignore', refresh: 'Terminate', wait: 'Wait' } as const;
  return {
    ScaleInProtectedInstances: protectedValue[config.protectedInstances],
    StandbyInstances: standbyValue[config.standbyInstances],
  };
}

export interface RefreshStepSpec {
  id: string;
  title: string;
  group: string;
  /** The launch template to refresh to (known only at run time for an image deploy). */
  /** The configuration to refresh to, from what earlier steps learned (a created version). */
  desired: (facts: Readonly<Facts>) => LaunchSpec;
  preferences: RefreshPreferences;
  /** Recorded before the start; the step fills in the refresh id once AWS answers. */
  undo: RefreshUndo;
  timeoutMs: number;
  /** Every reading, for the outputs and the summary. */
  seen: (refresh: InstanceRefreshSummary) => void;
}

/**
 * Starts the refresh and waits with one progress line per poll. Ends when AWS
 * does; a refresh AWS starts rolling back by itself (auto rollback after a
 * failure or an alarm) fails the step at once: the undo waits for the rollback.
 */
export function refreshStep(spec: RefreshStepSpec): Step {
  return {
    id: spec.id,
    title: spec.title,
    phase: 'deploy',
    // AWS replaces an instance only once its successor passed the group's health checks.
    gate: 'health (Instance Refresh)',
    writes: [
      {
        service: 'autoscaling',
        action: 'StartInstanceRefresh',
        target: spec.group,
        detail: preferencesText(spec.preferences),
      },
    ],
    undo: [spec.undo],
    run: (ctx) => runRefresh(ctx, spec),
  };
}

async function runRefresh(ctx: StepRunContext, spec: RefreshStepSpec): Promise<string> {
  const desired = spec.desired(ctx.facts);
  const startedAt = ctx.clock.now();
  const id = await startOrAdopt(ctx, spec, desired);
  spec.undo.refreshId = id;
  ctx.saveJournal?.();
  spec.seen({ id, status: 'Pending' });
  ctx.log.info(
    `instance refresh ${id} started on ${spec.group} towards launch template version ${desired.version}`,
  );
  const ended = await waitForRefresh(ctx, {
    group: spec.group,
    id,
    what: `instance refresh ${id}`,
    timeoutMs: spec.timeoutMs,
    launchesSince: startedAt,
    done: (r) => {
      spec.seen(r);
      return TERMINAL_REFRESH.has(r.status) || r.status === 'RollbackInProgress';
    },
  });
  if (ended.status === 'Successful') return `instance refresh ${id}: ${describeRefresh(ended)}`;
  const reason = ended.rollbackReason ?? ended.statusReason ?? 'no reason given';
  if (ended.status === 'RollbackInProgress')
    throw new Error(`instance refresh ${id} failed and AWS is rolling it back: ${reason}`);
  throw new Error(`instance refresh ${id} ended ${ended.status}: ${reason}`);
}

/**
 * Starts the refresh. When the SDK's retry of a start whose response was lost is
 * refused as "in progress", the refresh in progress is this run's own (pre-flight
 * saw none): adopt it rather than fail.
 */
async function startOrAdopt(ctx: StepContext, spec: RefreshStepSpec, desired: LaunchSpec): Promise<string> {
  try {
    return await ctx.aws.autoScaling.startInstanceRefresh({
      group: spec.group,
      desired,
      preferences: spec.preferences,
    });
  } catch (error) {
    if (!isRefreshInProgressError(error)) throw error;
    const ours = await refreshOfThisRun(ctx, spec.undo);
    if (!ours) throw error;
    ctx.log.warning(
      `StartInstanceRefresh was retried after its answer was lost; continuing with refresh ${ours.id}, which this run started`,
    );
    return ours.id;
  }
}

function preferencesText(p: RefreshPreferences): string {
  const parts = [
    `MinHealthyPercentage ${p.MinHealthyPercentage ?? 'unset'}`,
    `MaxHealthyPercentage ${p.MaxHealthyPercentage ?? 'unset'}`,
  ];
  if (p.InstanceWarmup !== undefined) parts.push(`InstanceWarmup ${p.InstanceWarmup}`);
  if (p.CheckpointPercentages?.length)
    parts.push(`Checkpoints ${p.CheckpointPercentages.join(',')} every ${p.CheckpointDelay ?? 3600} s`);
  parts.push(
    `SkipMatching ${String(p.SkipMatching ?? false)}`,
    `AutoRollback ${String(p.AutoRollback ?? false)}`,
  );
  if (p.AlarmSpecification?.Alarms?.length) parts.push(`Alarms ${p.AlarmSpecification.Alarms.join(', ')}`);
  if (p.BakeTime) parts.push(`BakeTime ${p.BakeTime}`);
  if (p.ScaleInProtectedInstances) parts.push(`ScaleInProtectedInstances ${p.ScaleInProtectedInstances}`);
  if (p.StandbyInstances) parts.push(`StandbyInstances ${p.StandbyInstances}`);
  return parts.join(', ');
}
