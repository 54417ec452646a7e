import { context } from '@actions/github';
import { createClients } from '../aws/clients.js';
import { gateways, type SentWrite } from '../aws/index.js';
import type { Config } from '../inputs/config.js';
import { systemClock } from '../engine/clock.js';
import { runDeployment } from '../pipeline/run-deployment.js';
import { runIdentity, userAgent, workflowReason } from './github-context.js';
import { publish, runnerLogger } from './publish.js';
import { saveRunnerState } from './runner-state.js';
import { VERSION } from '../version.js';

/**
 * The AWS half of main: real clients, system clock, runner logger and state,
 * the run from the toolkit's GitHub context. Loaded after validation.
 */
export async function deployFromRunner(config: Config, signal: AbortSignal): Promise<void> {
  const run = runIdentity(context);
  const writesSent: SentWrite[] = [];
  const clients = createClients({
    region: config.region,
    onWrite: (write) => writesSent.push(write),
    userAgentSuffix: userAgent(`asg-deploy/${VERSION}`, context),
  });
  const report = await runDeployment(config, {
    aws: gateways(clients),
    clock: systemClock,
    signal,
    log: runnerLogger,
    saveState: saveRunnerState,
    runLabel: run.runUrl,
    run,
    requestedReason: workflowReason(context.payload),
    writesSent,
  });
  await publish(report);
}
