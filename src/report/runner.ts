import * as core from '@actions/core';
import type { DeploymentReport } from './model.js';
import type { Logger } from '../engine/log.js';
import { renderSummary } from './summary.js';

/** The engine's Logger on the runner: log groups per phase, warnings as annotations. */
export const runnerLogger: Logger = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  group: (name, fn) => core.group(name, fn),
};

/** Outputs, job summary and the step's verdict. */
export async function publish(report: DeploymentReport): Promise<void> {
  for (const [name, value] of Object.entries(report.outputs)) core.setOutput(name, value);
  try {
    await core.summary.addRaw(renderSummary(report)).write();
  } catch (error) {
    core.warning(`could not write the job summary: ${(error as Error).message}`);
  }
  switch (report.result) {
    case 'deployed':
      core.notice(`Deployed ${describeActive(report)}`);
      break;
    case 'unchanged':
    case 'planned':
      break;
    case 'rolled-back':
      if (report.mode === 'rollback') {
        core.notice(`Rolled back ${report.headline}. Why: ${report.reason ?? ''}`);
        break;
      }
      failed(report);
      break;
    default:
      failed(report);
  }
}

function failed(report: DeploymentReport): void {
  for (const problem of report.problems.slice(1)) core.error(problem);
  const restored = report.result === 'rolled-back' ? ' Traffic and capacity were restored.' : '';
  const incomplete = report.rollbackIncomplete ? ' The rollback did not finish: see the job summary.' : '';
  core.setFailed(`${report.reason ?? 'deployment failed'}.${restored}${incomplete}`);
}

function describeActive(report: DeploymentReport): string {
  const o = report.outputs;
  const label = o['version-label'] ? `${o['version-label']} ` : '';
  return `${label}to ${o['active-color']} (${o['active-auto-scaling-group']}, launch template version ${o['launch-template-version']})`;
}
