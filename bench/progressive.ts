/**
 * Progressive blue/green on the simulator: how fast a gate failure puts traffic
 * back (AWS calls and virtual ms from the failing poll to the last route read
 * back), and what one poll of the gates costs during a canary.
 */
import type { CallRecord } from '../sim/index.js';
import { blueGreenFixture } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';

const ROUTE_WRITES = new Set(['ModifyListener', 'ModifyRule']);
const ROUTE_READS = new Set(['DescribeListeners', 'DescribeRules']);

function world(listeners: number, rules: number, alarms: number) {
  const f = blueGreenFixture({ instances: 4, listeners, rules, stickiness: true });
  const names = Array.from({ length: alarms }, (_, i) => `app-alarm-${i + 1}`);
  for (const name of names) f.sim.createAlarm(name);
  const inputs = {
    'listener-arns': f.listenerArns.join(','),
    'listener-rule-arns': f.ruleArns.join(','),
    'blue-auto-scaling-group': f.blueGroup,
    'green-auto-scaling-group': f.greenGroup,
    'launch-template-version': String(f.newVersion),
    'traffic-shift': 'canary:10:5m',
    'alarm-names': names.join(','),
    'poll-interval': '10s',
  };
  return { f, names, inputs };
}

export interface RollbackFigures {
  routes: number;
  calls: number;
  writes: number;
  reads: number;
  virtualMs: number;
  byCommand: string;
}

/** An alarm turns ALARM 2 minutes into the canary; measured from the poll that sees it. */
export async function rollbackLatency(listeners: number, rules: number): Promise<RollbackFigures> {
  const { f, names, inputs } = world(listeners, rules, 1);
  const start = f.sim.clock.now();
  const alarmAt = start + 60_000 + 120_000 + 5_000;
  f.sim.setAlarmState(names[0] ?? '', 'ALARM', alarmAt);
  const { report } = await deployOnSim(f.sim, inputs);
  if (report.result !== 'rolled-back')
    throw new Error(`bench rollback: ${report.result} ${report.reason ?? ''}`);
  const calls = f.sim.calls;
  const failing = calls.find((c) => c.command === 'DescribeAlarms' && c.at >= alarmAt);
  const restores = calls.filter((c) => ROUTE_WRITES.has(c.command) && c.seq > (failing?.seq ?? 0));
  const lastRestore = restores.at(-1);
  const readBack = calls.find((c) => ROUTE_READS.has(c.command) && c.seq > (lastRestore?.seq ?? 0));
  if (!failing || !readBack) throw new Error('bench rollback: failing poll or read-back not found');
  const between = calls.filter((c) => c.seq > failing.seq && c.seq <= readBack.seq);
  return {
    routes: listeners + rules,
    calls: between.length,
    writes: between.filter((c) => c.mutating).length,
    reads: between.filter((c) => !c.mutating).length,
    virtualMs: readBack.at - failing.at,
    byCommand: countBy(between),
  };
}

export interface PollFigures {
  polls: number;
  calls: number;
  callsPerPoll: number;
  byCommand: string;
}

/** Calls made while the canary holds (between the 10 % read-back and the 100 % write), per poll. */
export async function canaryPollCost(listeners: number, alarms: number): Promise<PollFigures> {
  const { f, inputs } = world(listeners, 0, alarms);
  const { report, log } = await deployOnSim(f.sim, inputs);
  if (report.result !== 'deployed') throw new Error(`bench canary: ${report.result} ${report.reason ?? ''}`);
  // the canary's writes are the first route writes; the 100 % writes are the next ones
  const calls = f.sim.calls;
  const firstWrite = calls.findIndex((c) => ROUTE_WRITES.has(c.command));
  const readBack = calls.findIndex((c, i) => i > firstWrite && ROUTE_READS.has(c.command));
  const nextWrite = calls.findIndex((c, i) => i > readBack && ROUTE_WRITES.has(c.command));
  const inPause = calls.slice(readBack + 1, nextWrite);
  const polls = log.lines.filter((l) => l.startsWith('canary 10 %:')).length;
  return { polls, calls: inPause.length, callsPerPoll: inPause.length / polls, byCommand: countBy(inPause) };
}

function countBy(calls: CallRecord[]): string {
  const counts = new Map<string, number>();
  for (const c of calls) counts.set(c.command, (counts.get(c.command) ?? 0) + 1);
  return [...counts].map(([command, n]) => `${n} ${command}`).join(', ');
}
