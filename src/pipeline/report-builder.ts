import type { Config } from '../inputs/config.js';
import type { JournalEntry } from '../engine/journal.js';
import type { DeploymentReport, FleetRow, Result } from '../report/model.js';
import type { DeploymentDeps } from './run-deployment.js';

export type ReportFields = Partial<DeploymentReport> & { result: Result; outputs: Record<string, string> };

export interface ReportBuilder {
  /** The report as the run ends: what is known, the writes sent, `duration-seconds`. */
  finish(fields: ReportFields): DeploymentReport;
  /** A run stopped in pre-flight: every problem a warning, the first one the reason. */
  refuse(problems: string[]): DeploymentReport;
}

/** Starts the report of a run begun at `startedAt`; every way out of the pipeline ends in `finish`. */
export function reportBuilder(config: Config, deps: DeploymentDeps, startedAt: number): ReportBuilder {
  const base = {
    strategy: config.strategy,
    mode: config.mode,
    startedAt,
    headline: '',
    problems: [] as string[],
    rollbackIncomplete: false,
    warnings: [] as string[],
    before: [] as FleetRow[],
    after: [] as FleetRow[],
    steps: [] as JournalEntry[],
    plannedWrites: [] as DeploymentReport['plannedWrites'],
  };
  const finish = (fields: ReportFields): DeploymentReport => {
    const endedAt = deps.clock.now();
    const outputs = {
      ...fields.outputs,
      'duration-seconds': String(Math.round((endedAt - startedAt) / 1000)),
    };
    return { ...base, ...fields, writesSent: [...(deps.writesSent ?? [])], endedAt, outputs };
  };
  const refuse = (problems: string[]): DeploymentReport => {
    for (const problem of problems) deps.log.warning(`pre-flight: ${problem}`);
    return finish({
      result: 'failed',
      reason: `pre-flight: ${problems[0] ?? 'failed'}`,
      problems,
      outputs: { result: 'failed' },
    });
  };
  return { finish, refuse };
}
