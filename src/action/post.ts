import * as core from '@actions/core';
import { context } from '@actions/github';
import { createClients } from '../aws/clients.js';
import { gateways } from '../aws/index.js';
import { systemClock } from '../engine/clock.js';
import { cleanUpAfterMain } from '../pipeline/clean-up-after-main.js';
import { userAgent } from './github-context.js';
import { runnerLogger } from './publish.js';
import { renderPostSummary } from '../report/summary.js';
import { readRunnerState } from './runner-state.js';
import { errorMessage } from '../util/errors.js';

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
      userAgentSuffix: userAgent('asg-deploy-post', context),
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
    core.setFailed(`asg-deploy post step: ${errorMessage(error)}`);
  }
}
