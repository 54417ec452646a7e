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
import { describeStaged } from '../state/staged.js';
import { blueGreenOutputs, blueGreenRowsAfter, blueGreenRowsBefore } from './blue-green-report.js';
import { cutOverSteps, waitHealthyStep } from './blue-green.js';
import { PreflightError, type Prepare } from './prepared.js';
import { clearStageStep, previewStep, stagedSnapshot } from './staged-steps.js';
import { observeStaged } from './staged-preflight.js';
import { previewChangesBack } from './staged-takeover.js';
import { withRollback } from './traffic-steps.js';

export const preparePromote: Prepare<BlueGreenConfig> = async (config, options) => {
  const { staged, state } = await observeStaged(config, options);
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
  const changes = await previewChangesBack(options.aws, staged, options.log);
  const records: TrafficStepRecord[] = [];
  const bg = { runToken: options.runToken, runLabel: options.runLabel, records };
  const cutOver = cutOverSteps(config, state, bg);
  const at = cutOver.findIndex((s) => s.phase === 'cleanup');
  const cleanup = [
    ...(changes.length > 0
      ? [
          previewStep({
            id: 'restore-preview',
            title: `Give ${changes.length} preview listener(s) their actions from before the stage`,
            phase: 'cleanup',
            changes,
            detail: 'default actions as recorded before the stage',
            verify: 'exact',
          }),
        ]
      : []),
    clearStageStep({
      groups,
      snapshot: stagedSnapshot(groups, options.tags ?? new Map()),
      phase: 'cleanup',
      why: 'promoted',
    }),
  ];
  const steps = [
    waitHealthyStep(config, state, idle.group.desired),
    ...(at < 0 ? cutOver : cutOver.slice(0, at)),
    ...cleanup,
    ...(at < 0 ? [] : cutOver.slice(at)),
  ];
  options.log.info(
    `live: ${state.live} (${live.group.name}); promoting ${describeStaged(staged)} on ${state.idle} (${idle.group.name}); preview: ${staged.previewListeners.map((l) => shortArn(l.arn)).join(', ')}`,
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
      ...(options.record?.current.group === live.group.name
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
