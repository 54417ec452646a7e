/**
 * The read-only ends of a run: `mode: status` (what serves now), and a
 * rollback with `expected-version-label` where that release does not serve
 * (unchanged, zero writes, the status as its outputs). Neither takes the lock.
 */
import type { Config } from '../inputs/config.js';
import type { DeploymentReport } from '../report/model.js';
import type { DeploymentRecord } from '../state/record.js';
import { describeEntry } from '../state/record.js';
import { groupsOf, PreflightError } from '../strategies/index.js';
import { readStatus, type StatusReading } from '../strategies/status.js';
import { errorMessage } from '../util/errors.js';
import { recordOutputs } from './outcome.js';
import type { ReportBuilder } from './report-builder.js';
import type { DeploymentDeps } from './run-deployment.js';
import { describeStaged, type StagedReading } from '../state/staged.js';

/** `mode: status`: reads, reports, writes nothing. */
export async function runStatus(
  config: Config,
  deps: DeploymentDeps,
  report: ReportBuilder,
): Promise<DeploymentReport> {
  let reading: StatusReading;
  try {
    reading = await deps.log.group('Read what serves now', () =>
      readStatus(config, { aws: deps.aws, now: deps.clock.now(), groups: groupsOf(config) }),
    );
  } catch (error) {
    return report.refuse(error instanceof PreflightError ? error.problems : [errorMessage(error)]);
  }
  const { status, outputs } = reading;
  deps.log.info(`serving in ${status.region}: ${status.serving}`);
  for (const note of status.notes) deps.log.info(`note: ${note}`);
  if (status.lock && !status.lock.expired)
    deps.log.info(`locked on ${status.lock.group} by ${status.lock.holder}`);
  return report.finish({
    result: 'unchanged',
    headline: status.serving,
    before: status.fleets,
    after: status.fleets,
    outputs,
    status,
  });
}

/**
 * Rollback with expected-version-label: the message saying what serves
 * instead when the record does not name that release as serving now;
 * undefined when the rollback may act.
 */
export function rollbackGuard(
  config: Config,
  record: DeploymentRecord | undefined,
  staged: StagedReading = { kind: 'none' },
): string | undefined {
  const expected = config.expectedVersionLabel;
  if (expected === undefined) return undefined;
  if (config.mode === 'abort') {
    // An unreadable stage record is never guessed away: abort goes on and its own checks refuse it.
    if (staged.kind === 'unreadable' || (staged.kind === 'staged' && staged.staged.versionLabel === expected))
      return undefined;
    const instead =
      staged.kind === 'staged'
        ? `the stage record says ${describeStaged(staged.staged)} is staged there`
        : 'nothing is staged there';
    return `${expected} is not staged in ${config.region}: ${instead}. Nothing was aborted (expected-version-label: ${expected})`;
  }
  if (config.mode !== 'rollback') return undefined;
  if (record?.current.versionLabel === expected) return undefined;
  const instead = record
    ? `the deployment record says ${describeEntry(record.current)} serves there`
    : `there is no deployment record on ${groupsOf(config).join(', ') || 'the target groups'} (tags asg-deploy:*)`;
  return `${expected} does not serve in ${config.region}: ${instead}. Nothing was rolled back (expected-version-label: ${expected})`;
}

/** A guarded rollback that does not act: unchanged, what serves as its outputs, zero writes. */
export async function guardedUnchanged(
  config: Config,
  deps: DeploymentDeps,
  report: ReportBuilder,
  p: { message: string; record?: DeploymentRecord },
): Promise<DeploymentReport> {
  deps.log.info(p.message);
  const reading = await readStatus(config, {
    aws: deps.aws,
    now: deps.clock.now(),
    groups: groupsOf(config),
  }).catch((error: unknown) => {
    deps.log.warning(`could not read what serves: ${errorMessage(error)}`);
    return undefined;
  });
  const { locked: _locked, staged: _staged, ...outputs } = reading?.outputs ?? {};
  return report.finish({
    result: 'unchanged',
    headline: p.message,
    before: reading?.status.fleets ?? [],
    after: reading?.status.fleets ?? [],
    outputs: { ...outputs, ...recordOutputs(p.record), result: 'unchanged' },
  });
}
