/**
 * Calls and virtual-time overhead of a blue/green deploy on the simulator, by
 * fleet size. The lower bound is what AWS itself takes: boot, then health
 * checks (interval × healthy threshold), then the old fleet's deregistration
 * delay; plus the deployment lock's fixed settle (5 s). Everything above it is the action's own waiting (poll granularity).
 */
import { blueGreenFixture, DEFAULT_TIMING } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { LOCK_SETTLE_MS } from '../src/state/lock.js';

export interface SimulatorFigures {
  instances: number;
  calls: number;
  writes: number;
  polls: number;
  callsPerPoll: number;
  virtualSeconds: number;
  lowerBoundSeconds: number;
  overheadSeconds: number;
  waitPhases: number;
  pollIntervalSeconds: number;
}

async function deploy(instances: number, pollIntervalSeconds: number) {
  const f = blueGreenFixture({ instances, listeners: 2 });
  const started = f.sim.clock.now();
  const { report, log } = await deployOnSim(f.sim, {
    'listener-arns': f.listenerArns.join(','),
    'blue-auto-scaling-group': f.blueGroup,
    'green-auto-scaling-group': f.greenGroup,
    'launch-template-version': String(f.newVersion),
    'poll-interval': `${pollIntervalSeconds}s`,
  });
  if (report.result !== 'deployed')
    throw new Error(`bench deploy ${instances}: ${report.result} ${report.reason ?? ''}`);
  // every poll logs exactly one progress line: `<what>: <state> (<elapsed> of <limit>)`
  const polls = log.lines.filter((l) => / of \d[\dhms ]*\)$/.test(l)).length;
  return { f, report, polls, calls: f.sim.calls.length, seconds: (f.sim.clock.now() - started) / 1000 };
}

export async function simulatorFigures(
  instances: number,
  pollIntervalSeconds: number,
): Promise<SimulatorFigures> {
  const run = await deploy(instances, pollIntervalSeconds);
  // calls per poll from the difference against a run that polls about twice as often
  const dense = await deploy(instances, Math.max(1, Math.floor(pollIntervalSeconds / 2)));
  const callsPerPoll = (dense.calls - run.calls) / (dense.polls - run.polls);
  const t = DEFAULT_TIMING;
  // AWS's own time, plus the deployment lock's fixed settle (write, wait, read back): not poll overhead
  const lowerBoundSeconds =
    LOCK_SETTLE_MS / 1000 +
    t.bootSeconds +
    t.defaultHealthCheckIntervalSeconds * t.defaultHealthyThreshold +
    t.defaultDeregistrationDelaySeconds;
  return {
    instances,
    calls: run.calls,
    writes: run.f.sim.writes().length,
    polls: run.polls,
    callsPerPoll,
    virtualSeconds: run.seconds,
    lowerBoundSeconds,
    overheadSeconds: run.seconds - lowerBoundSeconds,
    waitPhases: run.report.steps.filter((s) => s.id === 'wait-healthy' || s.id === 'scale-down-previous')
      .length,
    pollIntervalSeconds,
  };
}
