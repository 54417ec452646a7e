/**
 * `npm run demo`: two blue/green deploys of a 4-instance fleet on the simulated
 * AWS, in virtual time, printing the log and the job summary each would post.
 */
import { formatDuration } from '../engine/clock.js';
import type { Logger } from '../engine/log.js';
import { renderSummary } from '../report/summary.js';
import { blueGreenFixture } from './fixtures.js';
import { deployOnSim } from './run-on-sim.js';

const fixture = blueGreenFixture({ instances: 4, listeners: 2, stickiness: true });
const { sim } = fixture;
const started = sim.clock.now();
const stamp = () => `[+${formatDuration(sim.clock.now() - started).padStart(7)}]`;
const console_: Logger = {
  info: (m) => console.log(`${stamp()} ${m}`),
  warning: (m) => console.log(`${stamp()} ⚠ ${m}`),
  group: async (name, fn) => {
    console.log(`${stamp()} ▸ ${name}`);
    return fn();
  },
};

const common = {
  strategy: 'blue-green',
  'listener-arns': fixture.listenerArns.join('\n'),
  'blue-auto-scaling-group': fixture.blueGroup,
  'green-auto-scaling-group': fixture.greenGroup,
  'bake-time': '2m',
  'poll-interval': '15s',
};

const runs: { title: string; inputs: Record<string, string> }[] = [
  {
    title: 'Run 1: deploy launch template version 2 (v1.1.0)',
    inputs: { 'launch-template-version': '2', 'version-label': 'v1.1.0' },
  },
  {
    title: 'Run 2: deploy a new AMI (v1.2.0); colors alternate',
    inputs: { 'image-id': 'ami-0abcdef1234567890', 'version-label': 'v1.2.0' },
  },
  {
    title: 'Run 3: deploy version 3, whose instances never pass health checks',
    inputs: { 'launch-template-version': '3', 'version-label': 'v1.3.0-broken', 'health-timeout': '5m' },
  },
];

let failed = false;
for (const run of runs) {
  console.log(`\n════ ${run.title} ════`);
  const { report } = await deployOnSim(sim, { ...common, ...run.inputs }, { log: console_ });
  console.log('\n──── job summary ────\n');
  console.log(renderSummary(report));
  console.log('──── outputs ────');
  for (const [k, v] of Object.entries(report.outputs)) console.log(`${k}=${v}`);
  const expected = run === runs[2] ? 'rolled-back' : 'deployed';
  if (report.result !== expected) failed = true;
}
console.log(
  `\n${sim.calls.length} simulated AWS calls, ${sim.writes().length} writes, ${formatDuration(sim.clock.now() - started)} of virtual time.`,
);
if (failed) process.exitCode = 1;
