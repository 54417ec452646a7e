/**
 * `npm run bench`: prints the benchmark tables (not part of `npm test`).
 *
 *   npm run bench                 # all: cold start, first request, moto, simulator, progressive
 *   npm run bench -- cold-start   # or any of: cold-start first-request moto simulator progressive
 *
 * Cold start, first request and moto run the bundle: `npm run bundle` first. Runs per side:
 * BENCH_RUNS (cold start, default 20), BENCH_PAIRS (first request, default 11),
 * BENCH_MOTO_ROUNDS (default 3).
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { motoAvailable } from '../__tests__/e2e/moto-server.js';
import { coldStart, coldStartSubjects, coldStartTable, OUR_BUNDLE, PEER_BUNDLE } from './cold-start.js';
import { firstRequest, firstRequestTable, oursFirstRequest, peerFirstRequest } from './first-request.js';
import { motoFigures, motoTable } from './moto.js';
import { canaryPollCost, rollbackLatency } from './progressive.js';
import { simulatorFigures } from './simulator.js';

const ALL = ['cold-start', 'first-request', 'moto', 'simulator', 'progressive'];
const picked = process.argv.slice(2).filter((a) => ALL.includes(a));
const wanted = new Set(picked.length ? picked : ALL);
const count = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

const cpus = os.cpus();
console.log(
  `${new Date().toISOString()} · node ${process.version} · ${os.platform()} ${os.arch()} · ${cpus.length} × ${cpus[0]?.model ?? 'cpu'} · load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

if (wanted.has('cold-start')) {
  console.log(
    '\nCold start: `node dist/index.js` with no inputs and a clean environment, until it exits on its first input error\n',
  );
  if (!existsSync(OUR_BUNDLE)) console.log(`skipped: ${OUR_BUNDLE} not built (npm run bundle)`);
  else {
    const { subjects, note } = coldStartSubjects();
    if (note) console.log(note);
    const runs = count('BENCH_RUNS', 20);
    console.log(
      `${runs} runs each after 2 warm-up runs each, in turn A B A B …; wall time from spawn to exit\n`,
    );
    console.log(coldStartTable(coldStart(subjects, runs, 2)));
  }
}

if (wanted.has('first-request')) {
  console.log(
    '\nSpawn → first AWS request, both at one 127.0.0.1 endpoint answering AccessDenied (ours: a valid blue/green deploy; peer: static keys)\n',
  );
  if (!existsSync(OUR_BUNDLE)) console.log(`skipped: ${OUR_BUNDLE} not built (npm run bundle)`);
  else {
    const subjects = [oursFirstRequest(OUR_BUNDLE)];
    if (existsSync(PEER_BUNDLE)) subjects.push(peerFirstRequest(PEER_BUNDLE));
    else console.log(`peer bundle not found (${PEER_BUNDLE}): measured for ours alone`);
    const pairs = count('BENCH_PAIRS', 11);
    console.log(`${pairs} pairs after 2 warm-up pairs, in turn A B A B …\n`);
    console.log(firstRequestTable(await firstRequest(subjects, pairs, 2)));
  }
}

if (wanted.has('moto')) {
  console.log(
    '\nBlue/green deploy through the bundle on moto (poll-interval 1s, 2 listeners + 1 rule, 2 → 2 instances)\n',
  );
  if (!existsSync(OUR_BUNDLE)) console.log(`skipped: ${OUR_BUNDLE} not built (npm run bundle)`);
  else if (!motoAvailable()) console.log("skipped: python3 cannot 'import moto' (see test/moto/README.md)");
  else console.log(motoTable(await motoFigures([0, 5], count('BENCH_MOTO_ROUNDS', 3))));
}

if (wanted.has('simulator')) {
  for (const poll of [10, 7]) {
    const rows = [];
    for (const n of [2, 20, 200, 1000]) rows.push(await simulatorFigures(n, poll));
    console.log(`\nBlue/green deploy on the simulator (virtual time, poll-interval ${poll}s, 2 listeners)\n`);
    console.log(
      '| instances | AWS calls | writes | polls | calls/poll | virtual time | lower bound | overhead | overhead bound |',
    );
    console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of rows) {
      console.log(
        `| ${r.instances} | ${r.calls} | ${r.writes} | ${r.polls} | ${r.callsPerPoll.toFixed(2)} | ${r.virtualSeconds}s | ${r.lowerBoundSeconds}s | ${r.overheadSeconds}s | ${r.waitPhases * r.pollIntervalSeconds}s (${r.waitPhases} waits × poll) |`,
      );
    }
  }
}

if (wanted.has('progressive')) {
  console.log(
    '\nRollback from a gate failure during a canary (alarm to ALARM), until every route is read back restored\n',
  );
  console.log('| listeners + rules | AWS calls | writes | reads | virtual ms | calls |');
  console.log('| ---: | ---: | ---: | ---: | ---: | --- |');
  for (const [listeners, rules] of [
    [1, 0],
    [2, 0],
    [2, 1],
    [3, 2],
  ] as const) {
    const r = await rollbackLatency(listeners, rules);
    console.log(
      `| ${listeners} + ${rules} | ${r.calls} | ${r.writes} | ${r.reads} | ${r.virtualMs} | ${r.byCommand} |`,
    );
  }

  console.log('\nGate polls while a canary holds (canary:10:5m, poll-interval 10s)\n');
  console.log('| listeners | alarms | polls | calls | calls/poll | calls |');
  console.log('| ---: | ---: | ---: | ---: | ---: | --- |');
  for (const [listeners, alarms] of [
    [2, 0],
    [2, 10],
    [2, 100],
  ] as const) {
    const p = await canaryPollCost(listeners, alarms);
    console.log(
      `| ${listeners} | ${alarms} | ${p.polls} | ${p.calls} | ${p.callsPerPoll.toFixed(2)} | ${p.byCommand} |`,
    );
  }
}
