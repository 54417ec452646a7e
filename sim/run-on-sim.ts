import { type Aws, gateways, type SentWrite } from '../src/aws/index.js';
import type { Config } from '../src/inputs/config.js';
import { type DeploymentReport, runDeployment } from '../src/pipeline/run-deployment.js';
import type { JournalEntry } from '../src/engine/journal.js';
import { type Logger, MemoryLogger } from '../src/engine/log.js';
import { readConfig } from '../src/inputs/index.js';
import { cleanUpAfterMain, type PostOutcome } from '../src/pipeline/clean-up-after-main.js';
import type { RunIdentity } from '../src/state/lock.js';
import { readSavedRun, type StateName } from '../src/state/saved-run.js';
import type { SimAws } from './sim-aws.js';

export interface SimRun {
  report: DeploymentReport;
  log: MemoryLogger;
  /** Every journal state persisted during the run (what the post step would see). */
  persisted: JournalEntry[][];
  /** What main saved for the post step (GITHUB_STATE), as it stood at the end. */
  state: Map<StateName, string>;
}

export interface SimRunOptions {
  signal?: AbortSignal;
  maxAttempts?: number;
  log?: Logger;
  /** Gateways to use instead of the simulator's own (e.g. ones a test can cut off). */
  aws?: Aws;
  run?: RunIdentity;
  requestedReason?: string;
  /** Receives main's state as it is saved (shared with the test, e.g. to run post after a kill). */
  state?: Map<StateName, string>;
  /** Called after each state save. */
  onSave?: (name: StateName, value: string) => void;
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
  opts: SimRunOptions = {},
): Promise<SimRun> {
  const log = new MemoryLogger();
  const persisted: JournalEntry[][] = [];
  const state = opts.state ?? new Map<StateName, string>();
  const writesSent: SentWrite[] = [];
  const onWrite = (write: SentWrite) => writesSent.push(write);
  const report = await runDeployment(configFrom(inputs), {
    aws:
      opts.aws ??
      gateways(
        sim.clients(
          opts.maxAttempts === undefined ? { onWrite } : { maxAttempts: opts.maxAttempts, onWrite },
        ),
      ),
    writesSent,
    clock: sim.clock,
    signal: opts.signal ?? new AbortController().signal,
    log: opts.log ?? log,
    persistJournal: (entries) => persisted.push(structuredClone([...entries])),
    saveState: (name, value) => {
      state.set(name, value);
      opts.onSave?.(name, value);
    },
    runLabel: opts.run?.runUrl ?? 'simulated run',
    ...(opts.run && { run: opts.run }),
    ...(opts.requestedReason !== undefined && { requestedReason: opts.requestedReason }),
  });
  return { report, log, persisted, state };
}

/** Runs the post step on the simulator with the state main saved; undefined when main saved none. */
export async function postOnSim(
  sim: SimAws,
  state: Map<StateName, string>,
): Promise<(PostOutcome & { log: MemoryLogger }) | undefined> {
  const saved = readSavedRun((name) => state.get(name) ?? '');
  if (!saved) return undefined;
  const log = new MemoryLogger();
  const outcome = await cleanUpAfterMain(saved, { aws: gateways(sim.clients()), clock: sim.clock, log });
  return { ...outcome, log };
}
