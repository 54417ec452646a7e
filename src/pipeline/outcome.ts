import type { Config } from '../inputs/config.js';
import type { RunOutcome } from '../engine/run-plan.js';
import type { FleetRow, Result } from '../report/model.js';
import type { DeploymentRecord } from '../state/record.js';
import type { PreparedDeployment } from '../strategies/index.js';
import type { ReportFields } from './report-builder.js';

/** What a finished plan means for the run: its result, why, and the action's outputs. */
export function outcomeReport(
  config: Config,
  p: {
    outcome: RunOutcome;
    /** What pre-flight found: headline, fleets before, planned writes. */
    known: Pick<ReportFields, 'headline' | 'before' | 'plannedWrites'>;
    prepared: PreparedDeployment;
    after: FleetRow[];
    record?: DeploymentRecord;
    requestedReason?: string;
  },
): ReportFields {
  const { outcome, prepared, after } = p;
  const rollbackMode = config.mode === 'rollback';
  const result =
    outcome.status === 'succeeded' && prepared.succeeded
      ? prepared.succeeded
      : resultOf(outcome, rollbackMode);
  const succeeded = outcome.status === 'succeeded';
  const outputs = {
    ...prepared.outputs(result),
    ...(succeeded && prepared.record
      ? {
          'version-label': prepared.record.serving.versionLabel,
          'previous-version-label': prepared.record.previous?.versionLabel ?? '',
        }
      : p.record
        ? recordOutputs(p.record)
        : {}),
  };
  // A stage leaves the record as it was; its version-label output is the staged release's.
  if (result === 'staged') outputs['version-label'] = prepared.outputs(result)['version-label'] ?? '';
  // What serves now, as read back (an image deploy creates its version during the run).
  const serving = after.find((row) => row.live && row.group === outputs['active-auto-scaling-group']);
  if (serving && serving.launchTemplateVersion !== '-')
    outputs['launch-template-version'] = serving.launchTemplateVersion;
  let reason = outcome.reason;
  if (rollbackMode) {
    if (succeeded) {
      reason = p.requestedReason ?? 'manual rollback (mode: rollback)';
      outputs['rollback-reason'] = reason;
    } else if (reason) reason = `the rollback failed: ${reason}`;
  } else if (reason && result !== 'deployed') outputs['rollback-reason'] = reason;
  const details = prepared.details?.();
  return {
    ...(details && details.length > 0 && { details }),
    ...(result === 'staged' && prepared.preview && { preview: prepared.preview }),
    ...p.known,
    result,
    reason,
    rollbackIncomplete: outcome.rollbackIncomplete,
    warnings: outcome.warnings,
    after,
    steps: outcome.journal,
    traffic: prepared.traffic?.(outcome.journal) ?? [],
    outputs,
  };
}

function resultOf(outcome: RunOutcome, rollbackMode: boolean): Result {
  if (outcome.status === 'succeeded') return rollbackMode ? 'rolled-back' : 'deployed';
  return outcome.status === 'rolled-back' && !rollbackMode ? 'rolled-back' : 'failed';
}

/** Outputs `version-label` and `previous-version-label` as the record on the groups has them. */
export function recordOutputs(record: DeploymentRecord | undefined): Record<string, string> {
  return {
    'version-label': record?.current.versionLabel ?? '',
    'previous-version-label': record?.previous?.versionLabel ?? '',
  };
}
