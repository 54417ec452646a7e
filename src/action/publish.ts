import * as core from '@actions/core';
import type { DeploymentReport } from '../report/model.js';
import type { Logger } from '../engine/log.js';
import { renderSummary } from '../report/summary.js';
import { verdictOf } from '../report/verdict.js';
import { errorMessage } from '../util/errors.js';

/** The engine's Logger on the runner: log groups per phase, warnings as annotations. */
export const runnerLogger: Logger = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  group: (name, fn) => core.group(name, fn),
};

/**
 * Outputs, job summary and the step's verdict: a notice on success with the
 * version, an error on failure with the reason and what was restored.
 */
export async function publish(report: DeploymentReport): Promise<void> {
  for (const [name, value] of Object.entries(report.outputs)) core.setOutput(name, value);
  try {
    await core.summary.addRaw(renderSummary(report)).write();
  } catch (error) {
    core.warning(`could not write the job summary: ${errorMessage(error)}`);
  }
  const verdict = verdictOf(report);
  for (const notice of verdict.notices) core.notice(notice);
  for (const error of verdict.errors) core.error(error);
  if (verdict.failure !== undefined) core.setFailed(verdict.failure);
}
