/**
 * The inputs every strategy reads: the run (strategy, mode, region), its limits
 * (timeout, health-timeout, bake-time, poll-interval, auto-rollback) and what to
 * deploy. Limits are read first: other inputs are checked against them.
 */
import { type CommonConfig, type Mode, MODES, type Strategy, type WhatToDeploy } from './config.js';
import { formatDuration } from './duration.js';
import {
  parseWholeNumber,
  readBoolean,
  readChoice,
  readDuration,
  readRegion,
  readSuspendProcesses,
  readVersionLabel,
  shownDuration,
} from './fields.js';
import { quote } from './quote.js';
import type { InputReader } from './reader.js';

export const STRATEGIES: readonly Strategy[] = ['blue-green', 'rolling', 'recreate'];
export { MODES } from './config.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** A GitHub-hosted job stops after 6 hours; a longer deployment cannot finish. */
const MAX_TIMEOUT_MS = 6 * HOUR;
const MIN_POLL_MS = SECOND;
const MAX_POLL_MS = 5 * MINUTE;

/** The run and its limits; a value is undefined only when a problem was recorded for it. */
export interface RunInputs {
  strategy: Strategy | undefined;
  mode: Mode | undefined;
  region: string | undefined;
  timeoutMs: number | undefined;
  healthTimeoutMs: number | undefined;
  bakeTimeMs: number | undefined;
  pollIntervalMs: number | undefined;
  autoRollback: boolean | undefined;
  /** Rollback mode only; undefined when not given. */
  expectedVersionLabel: string | undefined;
  suspendProcesses: string[];
  dryRun: boolean | undefined;
}

export function readStrategy(r: InputReader): Strategy | undefined {
  return readChoice(r, 'strategy', r.text('strategy'), STRATEGIES);
}

/** Mode, region and the limits, with their checks against each other. */
export function readRun(
  r: InputReader,
  strategy: Strategy | undefined,
  env: Record<string, string | undefined>,
): RunInputs {
  const mode = readChoice(r, 'mode', r.text('mode'), MODES);
  const region = readRegion(r, r.text('aws-region'), env);

  const timeoutText = r.text('timeout');
  let timeoutMs = readDuration(r, 'timeout', timeoutText);
  if (timeoutMs !== undefined && (timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS)) {
    r.problem('timeout', `must be above 0 and at most 6h (the GitHub job limit), got ${quote(timeoutText)}`);
    timeoutMs = undefined;
  }
  const timeoutShown = timeoutMs === undefined ? '' : `timeout (${shownDuration(timeoutText, timeoutMs)})`;

  const healthTimeoutText = r.text('health-timeout');
  let healthTimeoutMs = readDuration(r, 'health-timeout', healthTimeoutText);
  if (healthTimeoutMs === 0) {
    r.problem('health-timeout', `must be above 0, got ${quote(healthTimeoutText)}`);
    healthTimeoutMs = undefined;
  } else if (healthTimeoutMs !== undefined && timeoutMs !== undefined && healthTimeoutMs > timeoutMs) {
    r.problem(
      'health-timeout',
      `must not be longer than ${timeoutShown}, got ${shownDuration(healthTimeoutText, healthTimeoutMs)}`,
    );
  }

  const bakeTimeText = r.text('bake-time');
  const bakeTimeMs = readDuration(r, 'bake-time', bakeTimeText);
  if (bakeTimeMs !== undefined && timeoutMs !== undefined && bakeTimeMs >= timeoutMs) {
    r.problem('bake-time', `must be shorter than ${timeoutShown}, got ${quote(bakeTimeText)}`);
  }

  const pollIntervalText = r.text('poll-interval');
  const pollIntervalMs = readDuration(r, 'poll-interval', pollIntervalText);
  if (pollIntervalMs !== undefined && (pollIntervalMs < MIN_POLL_MS || pollIntervalMs > MAX_POLL_MS)) {
    r.problem('poll-interval', `must be between 1s and 5m, got ${quote(pollIntervalText)}`);
  } else if (
    pollIntervalMs !== undefined &&
    healthTimeoutMs !== undefined &&
    pollIntervalMs > healthTimeoutMs
  ) {
    r.warn(
      'poll-interval',
      `${formatDuration(pollIntervalMs)} is longer than health-timeout (${formatDuration(healthTimeoutMs)}): health is checked only once`,
    );
  }
  const autoRollback = readBoolean(r, 'auto-rollback', r.text('auto-rollback'));
  // Only rollback and abort read it: in another mode it is ignored with a warning (warnInapplicable).
  const expectedVersionLabel =
    mode === 'rollback' || mode === 'abort'
      ? readVersionLabel(r, r.text('expected-version-label'), 'expected-version-label')
      : undefined;
  const suspendProcesses = readSuspendProcesses(r, r.text('suspend-processes'), strategy);
  const dryRun = readBoolean(r, 'dry-run', r.text('dry-run'));
  return {
    strategy,
    mode,
    region,
    timeoutMs,
    healthTimeoutMs,
    bakeTimeMs,
    pollIntervalMs,
    autoRollback,
    expectedVersionLabel,
    suspendProcesses,
    dryRun,
  };
}

/** For values that are only undefined when a problem was recorded. */
export function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('readConfig: an input is invalid but no problem was recorded');
  return value;
}

/** The common part of every Config; call only when no problem was recorded. */
export function commonConfig(
  run: RunInputs,
  gates: { versionLabel: string | undefined; alarmNames: string[] },
): CommonConfig {
  return {
    mode: must(run.mode),
    region: must(run.region),
    versionLabel: gates.versionLabel ?? '',
    bakeTimeMs: must(run.bakeTimeMs),
    alarmNames: gates.alarmNames,
    autoRollback: must(run.autoRollback),
    // mode: plan is a dry run of a deploy already.
    dryRun: must(run.dryRun) && run.mode !== 'plan',
    healthTimeoutMs: must(run.healthTimeoutMs),
    timeoutMs: must(run.timeoutMs),
    pollIntervalMs: must(run.pollIntervalMs),
    ...(run.expectedVersionLabel !== undefined && { expectedVersionLabel: run.expectedVersionLabel }),
    suspendProcesses: run.suspendProcesses,
  };
}

/** launch-template-version or image-id (deploy and plan need exactly one), then version-label. */
export function readWhatToDeploy(
  r: InputReader,
  run: RunInputs,
  targetGroupsOnly: boolean,
): WhatToDeploy & { versionLabel: string | undefined } {
  // Status only reads what serves: nothing to deploy (set anyway, they are ignored with a warning).
  if (run.mode === 'status') return { versionLabel: undefined };
  const what = readVersion(r, run, targetGroupsOnly);
  return { ...what, versionLabel: readVersionLabel(r, r.text('version-label')) };
}

function readVersion(r: InputReader, run: RunInputs, targetGroupsOnly: boolean): WhatToDeploy {
  const version = r.text('launch-template-version');
  const imageId = r.text('image-id');
  const { mode } = run;
  const versionOk = version === '' || checkLaunchTemplateVersion(r, version, run.autoRollback, run.strategy);
  const imageOk = imageId === '' || checkImageId(r, imageId);

  // Retire deploys nothing: a version given is ignored with a warning (its spec row excludes retire).
  if (mode === 'retire') return {};
  if (mode === 'rollback' || mode === 'promote' || mode === 'abort') {
    const why =
      mode === 'rollback' ? 'the previous recorded version is restored' : 'the staged release is used';
    if (version !== '') r.warn('launch-template-version', `is ignored in ${mode} mode: ${why}`);
    if (imageId !== '') r.warn('image-id', `is ignored in ${mode} mode: ${why}`);
    return {};
  }
  if (targetGroupsOnly) {
    for (const [name, value] of [
      ['launch-template-version', version],
      ['image-id', imageId],
    ] as const) {
      if (value !== '') {
        r.problem(
          name,
          `needs blue-auto-scaling-group and green-auto-scaling-group, got ${quote(value)} with target groups only: then traffic moves between the target groups and no instance is changed`,
        );
      }
    }
    return {};
  }
  if (mode !== undefined) {
    if (version !== '' && imageId !== '') {
      r.problem(
        'launch-template-version',
        `must be given alone: set either launch-template-version or image-id, not both; got launch-template-version ${quote(version)} and image-id ${quote(imageId)}`,
      );
    } else if (version === '' && imageId === '') {
      r.problem(
        'launch-template-version',
        `is required in ${mode} mode, got nothing: set launch-template-version or image-id`,
      );
    }
  }
  return {
    ...(version !== '' && versionOk && { launchTemplateVersion: version }),
    ...(imageId !== '' && imageOk && { imageId }),
  };
}

function checkLaunchTemplateVersion(
  r: InputReader,
  version: string,
  autoRollback: boolean | undefined,
  strategy: Strategy | undefined,
): boolean {
  const n = parseWholeNumber(version);
  if (!(n !== undefined && n >= 1) && version !== '$Default' && version !== '$Latest') {
    r.problem(
      'launch-template-version',
      `must be a version number (1, 2, …), $Default or $Latest, got ${quote(version)}`,
    );
    return false;
  }
  if (autoRollback !== true) return true;
  if (version === '$Latest') {
    r.problem(
      'launch-template-version',
      'must be a version number when auto-rollback is true, got "$Latest": a rollback could not name the version that was running, as $Latest moves with every new version; give the number, or set auto-rollback: false',
    );
    return false;
  }
  if (version === '$Default' && strategy === 'rolling') {
    r.problem(
      'launch-template-version',
      'must be a version number for strategy rolling when auto-rollback is true, got "$Default": Instance Refresh cannot roll back a group that uses $Default or $Latest',
    );
    return false;
  }
  return true;
}

function checkImageId(r: InputReader, imageId: string): boolean {
  if (/^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(imageId)) return true;
  r.problem('image-id', `must be an AMI id (ami- and 8 or 17 hexadecimal digits), got ${quote(imageId)}`);
  return false;
}
