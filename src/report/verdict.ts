import type { DeploymentReport } from './model.js';
import { describeNotRestored, describeRestored } from './restored.js';

/**
 * The step's verdict as the runner shows it: a notice on success (with the
 * version), errors on failure (the reason, then what was restored). Pure, so
 * the demo prints exactly what the runner would.
 */
export interface Verdict {
  /** `::notice` lines. */
  notices: string[];
  /** `::error` lines, each its own annotation (pre-flight problems after the first). */
  errors: string[];
  /** The message the step fails with (`core.setFailed`), when it fails. */
  failure?: string;
}

export function verdictOf(report: DeploymentReport): Verdict {
  switch (report.result) {
    case 'deployed': {
      const unrecorded = recordFailure(report);
      if (unrecorded === undefined) return { notices: [`Deployed ${describeDeployed(report)}`], errors: [] };
      // The release is live (never rolled back for this), but a later rollback needs the record: fail loudly.
      return { notices: [`Deployed ${describeDeployed(report)}`], errors: [], failure: unrecorded };
    }
    case 'unchanged':
      return { notices: [`Unchanged: ${report.headline}`], errors: [] };
    case 'staged':
      return {
        notices: [
          `Staged ${report.headline}${report.outputs['preview-url'] ? `: preview at ${report.outputs['preview-url']}` : ''}`,
        ],
        errors: [],
      };
    case 'aborted':
      return { notices: [`Aborted ${report.headline}`], errors: [] };
    case 'retired':
      return { notices: [`Retired ${report.headline}`], errors: [] };
    case 'planned':
      return {
        notices: [`Planned: ${report.headline}: ${report.plannedWrites.length} write(s), none sent`],
        errors: [],
      };
    case 'rolled-back':
      if (report.mode === 'rollback')
        return { notices: [`Rolled back ${report.headline}. Why: ${report.reason ?? ''}`], errors: [] };
      return failed(report);
    default:
      return failed(report);
  }
}

function failed(report: DeploymentReport): Verdict {
  const reason = report.reason ?? 'the deployment failed';
  return {
    notices: [],
    errors: report.problems.slice(1),
    failure: `${sentence(reason)} ${aftermath(report)}`,
  };
}

/**
 * Why the run's deployment record was not written, as the step's error, when
 * its record step failed: the groups keep the record of the deploy before.
 */
export function recordFailure(report: DeploymentReport): string | undefined {
  const step = report.steps.find((s) => s.id === 'record-deployment' && s.status === 'failed');
  if (!step) return undefined;
  return `The release is live (result deployed, not rolled back), but its deployment record could not be written: ${step.detail ?? 'unknown error'}. The groups still carry the record of the deploy before it (or none), so mode: rollback must not be trusted for this release: fix the cause, then write the asg-deploy: record tags by hand as README "The deployment record" shows, or deploy again (the next deploy records what it finds live).`;
}

/** What state the failure left: restored (and how), left as it was, or nothing changed. */
export function aftermath(report: DeploymentReport): string {
  if (report.writesSent.length === 0 && report.steps.length === 0) return 'Nothing was changed.';
  const restored = describeRestored(report);
  if (report.rollbackIncomplete) {
    const missing = describeNotRestored(report);
    return `The rollback did not finish${restored.length > 0 ? ` (restored: ${restored.join(', ')})` : ''}${missing.length > 0 ? `; NOT restored: ${missing.join(', ')}` : ''}. The post step tries again; see the job summary for what needs a hand.`;
  }
  if (report.result === 'rolled-back')
    return restored.length > 0
      ? `Restored the state before the run: ${restored.join(', ')}.`
      : 'Nothing had changed yet: nothing needed restoring.';
  if (report.steps.some((s) => s.status === 'done' && s.phase === 'deploy'))
    return 'auto-rollback is false: the completed steps are left as they are (see the job summary).';
  return 'Nothing was left changed.';
}

function describeDeployed(report: DeploymentReport): string {
  const o = report.outputs;
  const label = o['version-label'] ? `${o['version-label']} ` : '';
  const group = o['active-auto-scaling-group'];
  const version = o['launch-template-version']
    ? `launch template version ${o['launch-template-version']}`
    : '';
  if (o['active-color'])
    return `${label}to ${o['active-color']} (${[group, version].filter(Boolean).join(', ')})`;
  if (group) return `${label}to ${group}${version ? ` (${version})` : ''}`;
  return report.headline;
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
