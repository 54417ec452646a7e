/**
 * `npm run demo -- <scenario>`: runs the action on the simulated AWS, in virtual
 * time, printing the log as the runner shows it (a group per phase, a progress
 * line per poll, the annotations) and writing the job summary it would post to
 * `demo-summary-<scenario>.md`. Scenarios are listed in ./index.ts; `all` runs each.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatDuration } from '../../src/util/time.js';
import type { Logger } from '../../src/engine/log.js';
import { renderSummary } from '../../src/report/summary.js';
import { verdictOf } from '../../src/report/verdict.js';
import type { VirtualClock } from '../clock.js';
import { type Scenario, SCENARIOS, scenarioNamed } from './index.js';

/** Runner-style log lines stamped with the virtual time since the run began. */
function runnerLog(clock: VirtualClock): Logger {
  const started = clock.now();
  const line = (text: string) =>
    console.log(`[+${formatDuration(clock.now() - started).padStart(7)}] ${text}`);
  return {
    info: (m) => line(m),
    warning: (m) => line(`::warning::${m}`),
    group: async (name, fn) => {
      line(`::group::${name}`);
      try {
        return await fn();
      } finally {
        line('::endgroup::');
      }
    },
  };
}

async function show(scenario: Scenario): Promise<boolean> {
  console.log(`\n════ ${scenario.name}: ${scenario.title} ════\n`);
  const world = await scenario.build();
  const { report } = await world.run(runnerLog(world.sim.clock));
  const verdict = verdictOf(report);
  for (const notice of verdict.notices) console.log(`::notice::${notice}`);
  for (const error of verdict.errors) console.log(`::error::${error}`);
  if (verdict.failure !== undefined) console.log(`::error::${verdict.failure}`);
  console.log('\nOutputs:');
  for (const [name, value] of Object.entries(report.outputs)) console.log(`  ${name}=${value}`);
  const path = resolve(`demo-summary-${scenario.name}.md`);
  writeFileSync(path, renderSummary(report));
  console.log(
    `\n${report.writesSent.length} write(s) sent to the simulated AWS in ${formatDuration(report.endedAt - report.startedAt)} of virtual time.`,
  );
  console.log(`Job summary: ${path}`);
  if (report.result === scenario.expected) return true;
  console.log(`demo: expected the result ${scenario.expected}, got ${report.result}`);
  return false;
}

// With no name: a deploy to green, then the next run, which goes back to blue.
const name = process.argv[2] ?? 'happy,alternate';
const chosen =
  name === 'all'
    ? SCENARIOS
    : name
        .split(',')
        .map((n) => scenarioNamed(n))
        .filter((s) => s !== undefined);
if (chosen.length === 0) {
  console.error(`demo: no scenario "${name}". Pick one of: ${SCENARIOS.map((s) => s.name).join(', ')}, all.`);
  process.exitCode = 2;
}
for (const scenario of chosen) if (!(await show(scenario))) process.exitCode = 1;
