import * as core from '@actions/core';
import { readConfig } from '../inputs/index.js';
import { errorMessage } from '../util/errors.js';

/**
 * Entry: validate every input before anything else, then load the AWS part
 * (kept out of the way so a bad input fails in milliseconds, with zero AWS calls).
 */
export async function run(): Promise<void> {
  const parsed = readConfig((name) => core.getInput(name), process.env);
  if (!parsed.ok) {
    for (const problem of parsed.problems) {
      core.error(`${problem.input}: ${problem.message}`, { title: `Invalid input: ${problem.input}` });
    }
    core.setOutput('result', 'failed');
    core.setFailed(
      `${parsed.problems.length} input problem(s), listed above. Nothing was sent to AWS and nothing was changed.`,
    );
    return;
  }
  for (const warning of parsed.warnings) core.warning(warning);

  const controller = new AbortController();
  const cancel = (signal: NodeJS.Signals) => {
    core.warning(`received ${signal}: stopping and restoring the last good state`);
    controller.abort(new Error(`the run was cancelled (${signal})`));
  };
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  try {
    const { deployFromRunner } = await import('./deploy.js');
    await deployFromRunner(parsed.config, controller.signal);
  } catch (error) {
    core.setOutput('result', 'failed');
    core.setFailed(`asg-deploy stopped unexpectedly: ${errorMessage(error)}`);
  } finally {
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
  }
}
