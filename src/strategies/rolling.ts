/**
 * Rolling (in place): one Instance Refresh with a DesiredConfiguration. The
 * group is not changed first, so AWS's rollback returns exactly to what was
 * there, and on success AWS makes the desired configuration the group's.
 * Alarms are AWS's (AlarmSpecification) and so is the bake (BakeTime).
 */
import type { InstanceRefreshSummary, RefreshPreferences } from '../aws/index.js';
import type { RollingConfig } from '../inputs/config.js';
import type { Step } from '../engine/plan.js';
import { createVersionStep } from './deploy-target.js';
import type { Prepare } from './prepared.js';
import { heldPreferences, refreshStep } from './refresh-step.js';
import { launchSpecAt, observeSingleGroup, singleGroupPrepared } from './single-group.js';

export const prepareRolling: Prepare<RollingConfig> = async (config, options) => {
  const state = await observeSingleGroup(config, options.aws, options.log);
  const { group, launchTemplate: lt, target } = state;
  let last: InstanceRefreshSummary | undefined;
  const steps: Step[] = [];
  if (target.kind === 'image') {
    steps.push(createVersionStep(target, { ...options, groupName: group.name }));
  }
  steps.push(
    refreshStep({
      id: 'instance-refresh',
      title: `Instance Refresh of ${group.name} (${group.instances.length} instance(s)) to ${target.kind === 'version' ? `version ${target.version}` : 'the new version'}`,
      group: group.name,
      desired: (facts) =>
        launchSpecAt(
          state,
          target.launchTemplateId,
          target.kind === 'version' ? target.version : (facts.createdVersion ?? ''),
        ),
      preferences: rollingPreferences(config),
      undo: {
        kind: 'roll-back-instance-refresh',
        group: group.name,
        before: state.refreshesBefore,
        previous: launchSpecAt(state, lt.id, lt.version),
        minHealthyPercent: config.minHealthyPercent,
        waitMs: config.timeoutMs,
      },
      timeoutMs: config.timeoutMs,
      seen: (r) => (last = r),
    }),
  );
  return singleGroupPrepared(config, state, options, {
    verb: 'rolling over',
    steps,
    lastRefresh: () => last,
  });
};

export function rollingPreferences(config: RollingConfig): RefreshPreferences {
  return {
    MinHealthyPercentage: config.minHealthyPercent,
    MaxHealthyPercentage: config.maxHealthyPercent,
    ...(config.instanceWarmupSeconds !== undefined && { InstanceWarmup: config.instanceWarmupSeconds }),
    ...(config.checkpoints.length > 0 && {
      CheckpointPercentages: config.checkpoints,
      CheckpointDelay: Math.round((config.checkpointDelayMs ?? 3_600_000) / 1000),
    }),
    SkipMatching: true,
    AutoRollback: config.autoRollback,
    ...(config.alarmNames.length > 0 && { AlarmSpecification: { Alarms: config.alarmNames } }),
    ...(config.bakeTimeMs > 0 && { BakeTime: Math.round(config.bakeTimeMs / 1000) }),
    ...heldPreferences(config),
  };
}
