import { gateways } from '../aws/index.js';
import type { Config } from '../config.js';
import { type DeploymentReport, runDeployment } from '../deployment.js';
import type { JournalEntry } from '../engine/journal.js';
import { type Logger, MemoryLogger } from '../engine/log.js';
import { readConfig } from '../inputs.js';
import type { SimAws } from './sim-aws.js';

export interface SimRun {
  report: DeploymentReport;
  log: MemoryLogger;
  /** Every journal state persisted during the run (what the post step would see). */
  persisted: JournalEntry[][];
}

/** Parses action inputs exactly as main.ts does; throws on a problem (a test or demo bug). */
export function configFrom(inputs: Record<string, string>): Config {
  const parsed = readConfig((name) => inputs[name] ?? '', { AWS_REGION: 'us-east-1' });
  if (!parsed.ok)
    throw new Error(`bad inputs: ${parsed.problems.map((p) => `${p.input}: ${p.message}`).join('; ')}`);
  return parsed.config;
}

/** Runs a whole deployment on the simulator, in its virtual time. */
export async function deployOnSim(
  sim: SimAws,
  inputs: Record<string, string>,
  opts: { signal?: AbortSignal; maxAttempts?: number; log?: Logger } = {},
): Promise<SimRun> {
  const log = new MemoryLogger();
  const persisted: JournalEntry[][] = [];
  const report = await runDeployment(configFrom(inputs), {
    aws: gateways(sim.clients(opts.maxAttempts === undefined ? {} : { maxAttempts: opts.maxAttempts })),
    clock: sim.clock,
    signal: opts.signal ?? new AbortController().signal,
    log: opts.log ?? log,
    persistJournal: (entries) => persisted.push(structuredClone([...entries])),
    runLabel: 'simulated run',
  });
  return { report, log, persisted };
}
