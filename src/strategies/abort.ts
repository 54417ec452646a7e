/**
 * `mode: abort`: the staged color returns to the capacity and launch template
 * it had before the stage, the preview listeners get their recorded actions
 * back, the preview-header rules are deleted, and the stage record is cleared.
 * Production routes are not written. Last, the launch template version an
 * image stage created is deleted (a clean-up step: no group uses it any more).
 */
import type { BlueGreenConfig } from '../inputs/config.js';
import type { Step } from '../engine/plan.js';
import { describeStaged, type GroupSettings, type StagedRelease } from '../state/staged.js';
import { blueGreenOutputs, blueGreenRowsAfter, blueGreenRowsBefore } from './blue-green-report.js';
import { restoreIdle } from './blue-green.js';
import { waitForEmpty, waitForHealthy } from './fleet.js';
import type { Prepare } from './prepared.js';
import { clearStageStep, previewStep, stagedSnapshot } from './staged-steps.js';
import { observeStaged } from './staged-preflight.js';
import { previewChangesBack } from './staged-takeover.js';
import { stagedRulesDeletion } from './preview-rule.js';
import type { BlueGreenState } from './blue-green-preflight.js';

export const prepareAbort: Prepare<BlueGreenConfig> = async (config, options) => {
  const { staged, state } = await observeStaged(config, options);
  const idle = state.fleets[state.idle];
  const groups = [state.fleets.blue.group.name, state.fleets.green.group.name];
  const changes = await previewChangesBack(options.aws, staged, options.log);
  // The group first: while the preview listener still forwards to it, its targets stay health-checked.
  const steps: Step[] = restoreStagedGroupSteps(config, state, staged.before);
  if (changes.length > 0) {
    steps.push(
      previewStep({
        id: 'restore-preview',
        title: `Give ${changes.length} preview listener(s) their actions from before the stage`,
        phase: 'deploy',
        changes,
        detail: 'default actions as recorded before the stage',
        verify: 'exact',
      }),
    );
  }
  // Deleted once the group is back (its targets stay health-checked through the rule until then), before the
  // record is cleared: a failure rolls back (the rules are put back) and leaves the stage recorded.
  steps.push(
    ...(await stagedRulesDeletion(options.aws, {
      staged,
      groups,
      targetGroupArn: state.colors[staged.color],
      phase: 'deploy',
      why: 'aborted',
    })),
  );
  steps.push(
    clearStageStep({
      groups,
      snapshot: stagedSnapshot(groups, options.tags ?? new Map<string, Record<string, string>>()),
      phase: 'deploy',
      why: 'aborted',
    }),
  );
  steps.push(...deleteStagedVersionSteps(staged, groups));
  options.log.info(`aborting ${describeStaged(staged)} on ${state.idle} (${idle.group.name})`);
  return {
    headline: `${describeStaged(staged)} on ${state.idle} (${idle.group.name})`,
    plan: { steps },
    before: blueGreenRowsBefore(state),
    unchanged: false,
    succeeded: 'aborted',
    outputs: (result) => ({ ...blueGreenOutputs(config, state, result), 'version-label': '' }),
    readAfter: () => blueGreenRowsAfter(options.aws, state),
  };
};

/**
 * Empties the staged group (every staged instance goes), then, when it had
 * capacity before the stage, gives it back that size and launch template and
 * waits until it is healthy. Each write's undo is the group as staged.
 */
function restoreStagedGroupSteps(
  config: BlueGreenConfig,
  state: BlueGreenState,
  before: GroupSettings,
): Step[] {
  const idle = state.fleets[state.idle];
  const name = idle.group.name;
  const undo = [restoreIdle(state)];
  const lt = before.launchTemplate;
  const steps: Step[] = [
    {
      id: 'empty-staged',
      title: `Empty ${state.idle} (${name}) of the staged release`,
      phase: 'deploy',
      writes: [
        {
          service: 'autoscaling',
          action: 'UpdateAutoScalingGroup',
          target: name,
          detail: `MinSize 0, DesiredCapacity 0${before.desired === 0 ? `, MaxSize ${before.max}` : ''}${lt && before.desired === 0 ? `, LaunchTemplate ${lt.id}:${lt.version}` : ''}`,
        },
      ],
      undo,
      run: async (ctx) => {
        await ctx.aws.autoScaling.updateGroup(name, {
          min: 0,
          desired: 0,
          ...(before.desired === 0 && { max: before.max, ...(lt && { launchTemplate: lt }) }),
        });
        await waitForEmpty(ctx, {
          what: `${state.idle} emptying`,
          groupName: name,
          targetGroupArn: idle.targetGroupArn,
          timeoutMs: config.healthTimeoutMs,
        });
        return `${idle.group.instances.length} staged instance(s) removed`;
      },
    },
  ];
  if (before.desired === 0) return steps;
  steps.push({
    id: 'restore-staged-group',
    title: `Return ${state.idle} (${name}) to ${before.min}/${before.desired}/${before.max}${lt ? ` on launch template version ${lt.version}` : ''}, as before the stage`,
    phase: 'deploy',
    gate: 'health',
    writes: [
      {
        service: 'autoscaling',
        action: 'UpdateAutoScalingGroup',
        target: name,
        detail: `${lt ? `LaunchTemplate ${lt.id}:${lt.version}, ` : ''}MinSize ${before.min}, MaxSize ${before.max}, DesiredCapacity ${before.desired}`,
      },
    ],
    undo,
    run: async (ctx) => {
      await ctx.aws.autoScaling.updateGroup(name, {
        min: before.min,
        max: before.max,
        desired: before.desired,
        ...(lt && { launchTemplate: lt }),
      });
      const reading = await waitForHealthy(ctx, {
        what: `${state.idle} health`,
        groupName: name,
        targetGroupArn: idle.targetGroupArn,
        timeoutMs: config.healthTimeoutMs,
      });
      return `${reading.group.desired} instance(s) back, healthy`;
    },
  });
  return steps;
}

/**
 * An image stage created the version it staged: once the group is back on
 * what it had and the record is cleared, that version is deleted, when it
 * still carries the stage's marker, is not the template's default, and
 * neither group uses it. A clean-up step: a failure is a warning and leaves
 * an unused version.
 */
function deleteStagedVersionSteps(staged: StagedRelease, groups: string[]): Step[] {
  const marker = staged.createdVersionMarker;
  const { id, version } = staged.launchTemplate;
  const n = Number(version);
  if (marker === undefined || !Number.isInteger(n) || n < 1) return [];
  return [
    {
      id: 'delete-staged-version',
      title: `Delete launch template version ${version} of ${id}, created by the stage`,
      phase: 'cleanup',
      writes: [
        {
          service: 'ec2',
          action: 'DeleteLaunchTemplateVersions',
          target: id,
          detail: `version ${version} (created from image-id by the stage)`,
        },
      ],
      run: async (ctx) => {
        const found = (await ctx.aws.ec2.versionsAfter(id, n - 1)).find((v) => v.version === n);
        if (!found) return `version ${version} is already gone`;
        if (!(found.description ?? '').includes(marker) || found.isDefault) {
          ctx.log.warning(
            `launch template ${id} version ${version} is ${found.isDefault ? "the template's default" : 'not marked as created by the stage'}: left as it is`,
          );
          return `version ${version} left as it is`;
        }
        for (const name of groups) {
          const lt = (await ctx.aws.autoScaling.describeGroup(name))?.launchTemplate;
          if (lt?.id === id && lt.version === version) {
            ctx.log.warning(`${name} still uses launch template ${id} version ${version}: left as it is`);
            return `version ${version} left as it is (${name} uses it)`;
          }
        }
        await ctx.aws.ec2.deleteVersion(id, n);
        return `version ${version} deleted`;
      },
    },
  ];
}
