/**
 * What promote and abort read before any write: the stage record, both colors
 * and the production routes. They refuse unless a readable stage is on the
 * groups, on the color that production does not use.
 */
import type { BlueGreenConfig } from '../inputs/config.js';
import { formatPreviewHeader, sameHeader } from '../inputs/preview-header.js';
import { describeStaged, type StagedRelease } from '../state/staged.js';
import {
  type BlueGreenState,
  fleetsOf,
  liveColor,
  other,
  previewListenersOf,
  readBlueGreen,
} from './blue-green-preflight.js';
import { type PrepareOptions, PreflightError } from './prepared.js';

export function nothingStaged(mode: string, groups: string[]): string {
  return `no release is staged on ${groups.join(' or ')} (tags asg-deploy:staged-*): there is nothing to ${mode}. Nothing was changed. Run with mode: stage first.`;
}

/** The stage and the blue/green state with the staged color as `idle`; throws PreflightError. */
export async function observeStaged(
  config: BlueGreenConfig,
  options: PrepareOptions,
): Promise<{ staged: StagedRelease; state: BlueGreenState; promoted: boolean }> {
  const mode = config.mode;
  const groups = [config.blue.autoScalingGroup, config.green.autoScalingGroup];
  const reading = options.staged ?? { kind: 'none' };
  if (reading.kind === 'none') throw new PreflightError([nothingStaged(mode, groups)]);
  if (reading.kind === 'unreadable') {
    throw new PreflightError([
      `the stage record on ${groups.join(', ')} cannot be read (${describeStaged(reading)}): its tags asg-deploy:staged-* were changed by hand. Nothing was changed. Restore the preview listeners and delete those tags by hand.`,
    ]);
  }
  const staged = reading.staged;
  const problems: string[] = [];
  if (mode === 'promote' && config.versionLabel !== '' && config.versionLabel !== staged.versionLabel) {
    problems.push(
      `version-label: the staged release is ${describeStaged(staged)}, got ${JSON.stringify(config.versionLabel)}: nothing was changed`,
    );
  }
  const given = [...config.previewListenerArns].sort();
  const recorded = staged.previewListeners.map((l) => l.arn).sort();
  if (given.length > 0 && given.join(',') !== recorded.join(',')) {
    problems.push(
      `preview-listener-arns: must be the preview listeners of the stage (${recorded.join(', ') || 'none'}), got ${given.join(', ')}`,
    );
  }
  const header = config.previewHeader;
  if (header && !(staged.previewHeader && sameHeader(header, staged.previewHeader))) {
    problems.push(
      `preview-header: must be the preview header of the stage (${staged.previewHeader ? formatPreviewHeader(staged.previewHeader) : 'none'}), got ${formatPreviewHeader(header)}`,
    );
  }
  const data = await readBlueGreen(config, options.aws, problems, previewListenersOf(config, reading));
  const live = liveColor(data.routes, data.splits, problems);
  // A promote whose clean-up failed: production is on the staged color, the stage record still there.
  const promoted = live === staged.color;
  if (promoted && mode !== 'promote') {
    problems.push(
      `production traffic already goes to ${staged.color}, the staged color (${describeStaged(staged)}): it was promoted and only its clean-up is left. Nothing was changed. Run with mode: promote to finish it.`,
    );
  }
  if (problems.length > 0 || !live) throw new PreflightError(problems);
  const state: BlueGreenState = {
    live,
    idle: other(live),
    fleets: fleetsOf(data),
    colors: data.colors,
    routes: data.routes,
    splits: data.splits,
    target: {
      kind: 'version',
      launchTemplateId: staged.launchTemplate.id,
      version: staged.launchTemplate.version,
      resolvedVersion: Number(staged.launchTemplate.version),
    },
    unchanged: false,
    alarms: data.alarms,
  };
  return { staged, state, promoted };
}
