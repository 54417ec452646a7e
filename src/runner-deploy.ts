import { createClients } from './aws/clients.js';
import { gateways } from './aws/index.js';
import type { Config } from './config.js';
import { runDeployment } from './deployment.js';
import { systemClock } from './engine/clock.js';
import { publish, runnerLogger } from './report/runner.js';
import { saveJournal } from './state/runner-state.js';

const VERSION = '0.1.0';

/** The AWS half of main: real clients, system clock, runner logger and state. Loaded after validation. */
export async function deployFromRunner(config: Config, signal: AbortSignal): Promise<void> {
  const env = process.env;
  const runUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  const clients = createClients({
    region: config.region,
    userAgentSuffix: `asg-deploy/${VERSION}${env.GITHUB_RUN_ID ? ` md/run_id#${env.GITHUB_RUN_ID}` : ''}`,
  });
  const report = await runDeployment(config, {
    aws: gateways(clients),
    clock: systemClock,
    signal,
    log: runnerLogger,
    persistJournal: saveJournal,
    runLabel: runUrl ?? `run ${env.GITHUB_RUN_ID ?? 'local'}`,
  });
  await publish(report);
}
