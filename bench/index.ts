/** `npm run bench`: prints the benchmark tables (not part of `npm test`). */
import { canaryPollCost, rollbackLatency } from './progressive.js';
import { simulatorFigures } from './simulator.js';

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
