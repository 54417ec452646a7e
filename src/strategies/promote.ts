/**
 * `mode: promote`: the staged color takes production traffic exactly as a
 * deploy's cut-over does (all at once, canary or linear, with the health and
 * alarm gates and the bake). Once it holds all traffic the record is written,
 * the preview listeners get their recorded actions back, the stage record is
 * cleared and the old color handled per previous-fleet. A gate failure puts
 * production back and leaves the stage as it was (the preview still answers).
 */
import type { BlueGreenConfig } from '../inputs/config.js';
import { shortArn } from '../aws/arn.js';
import type { TrafficStepRecord } from '../report/model.js';
import { describeStaged, type StagedRelease } from '../state/staged.js';
import { blueGreenOutputs, blueGreenRowsAfter, blueGreenRowsBefore } from './blue-green-report.js';
import { cutOverSteps, waitHealthyStep } from './blue-green.js';
import { PreflightError, type Prepare, type PreparedDeployment, type PrepareOptions } from './prepared.js';
import type { Step } from '../engine/plan.js';
import { type BlueGreenState, other } from './blue-green-preflight.js';
import { clearStageStep, previewStep, stagedSnapshot } from './staged-steps.js';
import { observeStaged } from './staged-preflight.js';
import { previewChangesBack } from './staged-takeover.js';
import { stagedRulesDeletion } from './preview-rule.js';
import { withRollback } from './traffic-steps.js';

export const preparePromote: Prepare<BlueGreenConfig> = async (config, options) => {
  const { staged, state, promoted } = await observeStaged(config, options);
  if (promoted) return finishPromote(config, options, { staged, state });
  const idle = state.fleets[state.idle];
  const live = state.fleets[state.live];
  const lt = idle.group.launchTemplate;
  const problems: string[] = [];
  if (lt?.id !== staged.launchTemplate.id || lt.version !== staged.launchTemplate.version) {
    problems.push(
      `${idle.group.name} (${state.idle}) now runs launch template ${lt ? `${lt.id}:${lt.version}` : 'none'}, but ${describeStaged(staged)} staged ${staged.launchTemplate.id}:${staged.launchTemplate.version}: it changed since the stage. Nothing was changed; run mode: abort, then stage again.`,
    );
  }
  if (idle.group.desired === 0) {
    problems.push(
      `${idle.group.name} (${state.idle}, staged) has no capacity (desired 0): nothing to promote`,
    );
  }
  if (problems.length > 0) throw new PreflightError(problems);

  const groups = [state.fleets.blue.group.name, state.fleets.green.group.name];
  const cleanup = await cleanupSteps(options, staged, groups, state.colors[staged.color]);
  const records: TrafficStepRecord[] = [];
  const bg = { runToken: options.runToken, runLabel: options.runLabel, records };
  const cutOver = cutOverSteps(config, state, bg);
  const at = cutOver.findIndex((s) => s.phase === 'cleanup');
  const steps = [
    waitHealthyStep(config, state, idle.group.desired),
    ...(at < 0 ? cutOver : cutOver.slice(0, at)),
    ...cleanup,
    ...(at < 0 ? [] : cutOver.slice(at)),
  ];
  options.log.info(
    `live: ${state.live} (${live.group.name}); promoting ${describeStaged(staged)} on ${state.idle} (${idle.group.name}); preview: ${[...staged.previewListeners.map((l) => shortArn(l.arn)), ...staged.previewRules.map((r) => `rule ${shortArn(r)}`)].join(', ')}`,
  );
  const label = staged.versionLabel;
  return {
    headline: `${label ? `${label}, ` : ''}launch template version ${staged.launchTemplate.version}, promoted to ${state.idle} (${idle.group.name})`,
    plan: { steps },
    before: blueGreenRowsBefore(state),
    unchanged: false,
    outputs: (result) => ({
      ...blueGreenOutputs({ ...config, versionLabel: label }, state, result),
    }),
    readAfter: () => blueGreenRowsAfter(options.aws, state),
    traffic: (journal) => withRollback(records, journal, state.live),
    record: {
      groups,
      serving: { group: idle.group.name, color: state.idle, versionLabel: label },
      ...(options.record?.current.group === live.group.name && options.record.current.color === state.live
        ? { previous: options.record.current }
        : live.group.launchTemplate && {
            previous: {
              versionLabel: '',
              launchTemplateId: live.group.launchTemplate.id,
              launchTemplateVersion: live.group.launchTemplate.version,
              color: state.live,
              group: live.group.name,
              time: new Date(options.now).toISOString(),
              runUrl: '',
            },
          }),
    },
  };
};

/**
 * Gives the preview listeners their recorded actions back, then clears the
 * stage record: one clean-up step (never rolled back), so the record goes only
 * once the listeners are back, and a failed restore leaves the stage for a
 * second promote to finish.
 */
async function cleanupSteps(
  options: PrepareOptions,
  staged: StagedRelease,
  groups: string[],
  targetGroupArn: string,
): Promise<Step[]> {
  const changes = await previewChangesBack(options.aws, staged, options.log);
  const clear = clearStageStep({
    groups,
    snapshot: stagedSnapshot(groups, options.tags ?? new Map<string, Record<string, string>>()),
    phase: 'cleanup',
    why: 'promoted',
  });
  const ends: Step[] = [
    ...(changes.length === 0
      ? []
      : [
          previewStep({
            id: 'restore-preview',
            title: `Give ${changes.length} preview listener(s) their actions from before the stage`,
            phase: 'cleanup',
            changes,
            detail: 'default actions as recorded before the stage',
            verify: 'exact',
          }),
        ]),
    ...(await stagedRulesDeletion(options.aws, {
      staged,
      groups,
      targetGroupArn,
      phase: 'cleanup',
      why: 'promoted',
    })),
  ];
  if (ends.length === 0) return [clear];
  return [
    {
      id: 'end-stage',
      title: `${ends.map((s) => s.title).join('; ')}; then clear the stage record`,
      phase: 'cleanup',
      writes: [...ends.flatMap((s) => s.writes), ...clear.writes],
      run: async (ctx) => {
        const done: string[] = [];
        for (const step of ends) done.push((await step.run(ctx)) ?? '');
        done.push((await clear.run(ctx)) ?? '');
        return done.join('; ');
      },
    },
  ];
}

/**
 * A promote whose clean-up failed left production on the staged color and the
 * stage record on the groups: only the clean-up is left (and the record, when
 * it was not written).
 */
async function finishPromote(
  config: BlueGreenConfig,
  options: PrepareOptions,
  p: { staged: StagedRelease; state: BlueGreenState },
): Promise<PreparedDeployment> {
  const { staged, state } = p;
  // observeStaged named the staged color `idle`: here it is the one serving.
  const serving = state.fleets[state.idle === staged.color ? state.idle : state.live];
  const groups = [state.fleets.blue.group.name, state.fleets.green.group.name];
  const recorded = options.record?.current.group === staged.group;
  options.log.info(`${describeStaged(staged)} already serves production: finishing its promote`);
  const label = staged.versionLabel;
  const after: BlueGreenState = { ...state, live: staged.color, idle: other(staged.color) };
  return {
    headline: `${label ? `${label}, ` : ''}promote of ${staged.color} (${serving.group.name}) finished`,
    plan: { steps: await cleanupSteps(options, staged, groups, state.colors[staged.color]) },
    before: blueGreenRowsBefore(after),
    unchanged: false,
    outputs: (result) => ({
      ...blueGreenOutputs(
        { ...config, versionLabel: label },
        after,
        result === 'deployed' ? 'unchanged' : result,
      ),
      result,
      'version-label': label,
    }),
    readAfter: () => blueGreenRowsAfter(options.aws, after),
    ...(!recorded && {
      record: {
        groups,
        serving: { group: staged.group, color: staged.color, versionLabel: label },
        ...(options.record && { previous: options.record.current }),
      },
    }),
  };
}
