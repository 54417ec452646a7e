/**
 * StartInstanceRefresh, CancelInstanceRefresh and RollbackInstanceRefresh with
 * the refusals AWS makes; the replacing itself is in instance-refresh-run.ts.
 */
import {
  ActiveInstanceRefreshNotFoundFault,
  InstanceRefreshInProgressFault,
  IrreversibleInstanceRefreshFault,
  type CancelInstanceRefreshCommandInput,
  type RollbackInstanceRefreshCommandInput,
  type StartInstanceRefreshCommandInput,
} from '@aws-sdk/client-auto-scaling';
import { getGroup } from './auto-scaling.js';
import { findLaunchTemplate, resolveVersionNumber } from './ec2.js';
import { clientError, modeled } from './errors.js';
import { acceptPolicy } from './mixed-instances.js';
import type { Handlers } from './handlers.js';
import { beginRefresh, requestCancel, requestRollback, type RefreshPrefs } from './instance-refresh-run.js';
import { clone, type Group, type InstanceRefresh, type SimState } from './state.js';

const ACTIVE = new Set(['Pending', 'InProgress', 'Baking', 'Cancelling', 'RollbackInProgress']);
/** What Cancel and Rollback act on. */
const REVERSIBLE = new Set(['Pending', 'InProgress', 'Baking']);
const validation = (message: string): Error => clientError('autoscaling', 'ValidationError', message);
const isAlias = (version: string) => version === '$Latest' || version === '$Default';

function active(group: Group): InstanceRefresh | undefined {
  return group.refreshes.find((r) => ACTIVE.has(r.status));
}

function startInstanceRefresh(sim: SimState, input: StartInstanceRefreshCommandInput): object {
  const group = getGroup(sim, input.AutoScalingGroupName);
  const running = active(group);
  if (running) {
    throw modeled(
      InstanceRefreshInProgressFault,
      `An Instance Refresh is already in progress and blocks the execution of this Instance Refresh. (${running.id})`,
    );
  }
  const p = input.Preferences ?? {};
  const prefs: RefreshPrefs = {
    minHealthy: p.MinHealthyPercentage ?? 90,
    maxHealthy: p.MaxHealthyPercentage ?? 100,
    warmupMs: (p.InstanceWarmup ?? group.healthCheckGracePeriod) * 1000,
    checkpoints: p.CheckpointPercentages ?? [],
    checkpointDelayMs: (p.CheckpointDelay ?? 3600) * 1000,
    skipMatching: p.SkipMatching ?? false,
    autoRollback: p.AutoRollback ?? false,
    alarms: p.AlarmSpecification?.Alarms ?? [],
    bakeMs: (p.BakeTime ?? 0) * 1000,
    // AWS's default for both is Wait.
    protectedInstances: p.ScaleInProtectedInstances ?? 'Wait',
    standbyInstances: p.StandbyInstances ?? 'Wait',
  };
  checkPreferences(prefs);
  for (const name of prefs.alarms) {
    if (!sim.alarms.has(name)) throw validation(`The alarm ${name} does not exist.`);
  }
  const spec = input.DesiredConfiguration?.LaunchTemplate;
  const policy = input.DesiredConfiguration?.MixedInstancesPolicy;
  if (spec && policy) {
    throw validation(
      'If you specify a desired configuration, you must specify either a LaunchTemplate or a MixedInstancesPolicy.',
    );
  }
  let desired: { id: string; version: string } | undefined;
  const accepted = policy && acceptPolicy(sim, policy);
  if (accepted) desired = accepted.launchTemplate;
  if (spec) {
    const lt = findLaunchTemplate(sim, spec);
    const version = spec.Version ?? '$Default';
    if (resolveVersionNumber(lt, version) === undefined) {
      throw validation(`The launch template version ${version} of ${lt.id} does not exist.`);
    }
    desired = { id: lt.id, version };
  }
  if (prefs.autoRollback && (!desired || isAlias(desired.version) || isAlias(group.launchTemplate.version))) {
    throw validation(
      'AutoRollback requires a DesiredConfiguration, and neither it nor the Auto Scaling group may use the launch template version $Latest or $Default.',
    );
  }
  const refresh: InstanceRefresh = {
    id: `00000000-0000-4000-9000-${sim.hexId('refresh', 12)}`,
    status: 'Pending',
    startedAt: sim.now(),
    percentageComplete: 0,
    instancesToUpdate: 0,
    statusReason: '',
    preferences: clone(p) as Record<string, unknown>,
    ...(desired && { desired }),
    ...(accepted && { desiredPolicy: accepted.policy }),
  };
  group.refreshes.unshift(refresh);
  beginRefresh(sim, group, refresh, prefs, desired ?? { ...group.launchTemplate });
  return { InstanceRefreshId: refresh.id };
}

function checkPreferences(p: RefreshPrefs): void {
  if (!(p.minHealthy >= 0 && p.minHealthy <= 100))
    throw validation('MinHealthyPercentage must be between 0 and 100.');
  if (!(p.maxHealthy >= 100 && p.maxHealthy <= 200))
    throw validation('MaxHealthyPercentage must be between 100 and 200.');
  if (p.maxHealthy - p.minHealthy > 100)
    throw validation(
      'The difference between MaxHealthyPercentage and MinHealthyPercentage cannot exceed 100.',
    );
  if (p.checkpoints.some((c, i) => c < 1 || c > 100 || (i > 0 && c <= (p.checkpoints[i - 1] ?? 0))))
    throw validation('CheckpointPercentages must be in ascending order, each from 1 to 100.');
  if (p.warmupMs < 0) throw validation('InstanceWarmup must be 0 or more.');
}

function reversible(
  sim: SimState,
  groupName: string | undefined,
): { group: Group; refresh: InstanceRefresh } {
  const group = getGroup(sim, groupName);
  const refresh = group.refreshes.find((r) => REVERSIBLE.has(r.status));
  if (!refresh) {
    throw modeled(
      ActiveInstanceRefreshNotFoundFault,
      'No in progress or pending Instance Refresh found for this Auto Scaling group.',
    );
  }
  return { group, refresh };
}

function cancelInstanceRefresh(sim: SimState, input: CancelInstanceRefreshCommandInput): object {
  const { refresh } = reversible(sim, input.AutoScalingGroupName);
  requestCancel(refresh);
  return { InstanceRefreshId: refresh.id };
}

function rollbackInstanceRefresh(sim: SimState, input: RollbackInstanceRefreshCommandInput): object {
  const { group, refresh } = reversible(sim, input.AutoScalingGroupName);
  if (!refresh.desired || isAlias(refresh.desired.version) || isAlias(group.launchTemplate.version)) {
    throw modeled(
      IrreversibleInstanceRefreshFault,
      'The request failed because a desired configuration was not found or an incompatible launch template version ($Latest or $Default) is present on the Auto Scaling group.',
    );
  }
  requestRollback(refresh);
  return { InstanceRefreshId: refresh.id };
}

export const instanceRefreshHandlers: Handlers = {
  StartInstanceRefresh: (sim, input) => startInstanceRefresh(sim, input as StartInstanceRefreshCommandInput),
  CancelInstanceRefresh: (sim, input) =>
    cancelInstanceRefresh(sim, input as CancelInstanceRefreshCommandInput),
  RollbackInstanceRefresh: (sim, input) =>
    rollbackInstanceRefresh(sim, input as RollbackInstanceRefreshCommandInput),
};
