import * as core from '@actions/core';
import { createClients } from '../aws/clients.js';
import { gateways } from '../aws/index.js';
import { systemClock } from '../engine/clock.js';
import { cleanUpAfterMain } from '../pipeline/clean-up-after-main.js';
import { runnerLogger } from './publish.js';
import { renderPostSummary } from '../report/summary.js';
import { readRunnerState } from './runner-state.js';

/** The post step on the runner: main's saved state, real clients, system clock. */
export async function runPost(): Promise<void> {
  const saved = readRunnerState();
  if (!saved) {
    core.info('asg-deploy post: main made no AWS call; nothing to clean up');
    return;
  }
  try {
    const clients = createClients({
      region: saved.context.region,
      userAgentSuffix: `asg-deploy-post${process.env.GITHUB_RUN_ID ? ` md/run_id#${process.env.GITHUB_RUN_ID}` : ''}`,
    });
    const outcome = await cleanUpAfterMain(saved, {
      aws: gateways(clients),
      clock: systemClock,
      log: runnerLogger,
    });
    if (outcome.undone !== undefined) {
      await core.summary
        .addRaw(renderPostSummary(outcome.undone, outcome.journal))
        .write()
        .catch(() => {});
      if (!outcome.undone)
        core.setFailed('the interrupted deployment could not be fully restored: see the job summary');
    }
  } catch (error) {
    core.setFailed(`asg-deploy post step: ${(error as Error).message}`);
  }
}
