/** `npm run bench`: prints the benchmark tables (not part of `npm test`). */
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
