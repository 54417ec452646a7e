import { readFileSync } from 'node:fs';
import { createClients } from './aws/clients.js';
import { gateways, type SentWrite } from './aws/index.js';
import type { Config } from './config.js';
import { runDeployment } from './deployment.js';
import { systemClock } from './engine/clock.js';
import { publish, runnerLogger } from './report/runner.js';
import type { RunIdentity } from './state/lock.js';
import { saveRunnerState } from './state/runner-state.js';
import { VERSION } from './version.js';

/** The AWS half of main: real clients, system clock, runner logger and state. Loaded after validation. */
export async function deployFromRunner(config: Config, signal: AbortSignal): Promise<void> {
  const env = process.env;
  const run = runIdentity(env);
  const writesSent: SentWrite[] = [];
  const clients = createClients({
    region: config.region,
    onWrite: (write) => writesSent.push(write),
    userAgentSuffix: `asg-deploy/${VERSION}${env.GITHUB_RUN_ID ? ` md/run_id#${env.GITHUB_RUN_ID}` : ''}`,
  });
  const report = await runDeployment(config, {
    aws: gateways(clients),
    clock: systemClock,
    signal,
    log: runnerLogger,
    saveState: saveRunnerState,
    runLabel: run.runUrl,
    run,
    requestedReason: workflowReason(env.GITHUB_EVENT_PATH),
    writesSent,
  });
  await publish(report);
}

export function runIdentity(env: Record<string, string | undefined>): RunIdentity {
  const runUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : `run ${env.GITHUB_RUN_ID ?? 'local'}`;
  return {
    runId: env.GITHUB_RUN_ID ?? 'local',
    attempt: Number(env.GITHUB_RUN_ATTEMPT) || 1,
    runUrl,
  };
}

/**
 * Why a rollback was asked for: the `reason` input of the workflow itself
 * (workflow_dispatch), read from the event payload. The action's own inputs
 * are a fixed contract, so the reason is not one of them.
 */
export function workflowReason(eventPath: string | undefined): string | undefined {
  if (!eventPath) return undefined;
  try {
    const event = JSON.parse(readFileSync(eventPath, 'utf8')) as { inputs?: Record<string, unknown> };
    const reason = event.inputs?.reason;
    return typeof reason === 'string' && reason.trim() !== '' ? reason.trim().slice(0, 500) : undefined;
  } catch {
    return undefined;
  }
}
