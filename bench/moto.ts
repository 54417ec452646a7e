/**
 * Wall time of a blue/green deploy through the bundle (`node dist/index.js`,
 * as the runner runs it) against moto on 127.0.0.1 with `poll-interval: 1s`,
 * split from outside the process:
 *
 * - startup: spawn until the first AWS request reaches the recording proxy
 *   (node boot, input validation, loading the AWS chunk, building clients);
 * - AWS calls: the union of the intervals during which a request was at the
 *   proxy or moto (request fully received → answer fully sent), timed by the
 *   proxy; it is moto's own time plus the proxy's hop;
 * - waiting: the sleeps between polls, measured by the proxy as the gaps
 *   between one answer and the next request that are longer than half a poll
 *   interval (no request is shorter-spaced than that while the action sleeps;
 *   outside waits, calls follow each other within milliseconds). A gap also
 *   holds the few milliseconds of our code around the sleep, so this slightly
 *   over-counts. Cross-check from the log: the action prints one progress line
 *   per poll (`<what>: <state> (<elapsed> of <limit>)`) and sleeps after every
 *   poll but the last of each wait, so sleeps = progress lines − waits, each
 *   at most `poll-interval` (the last one of a bake is cut at the bake's end):
 *   sleeps × poll-interval is an upper bound;
 * - lock settle: the deployment lock is written, then read back after a fixed
 *   settle (tags have no compare-and-swap): the gap after the lock tag write;
 * - our code: the rest (logic, SDK serialisation and signing, runner files,
 *   exit after the last call).
 *
 * moto reports every target healthy at once, so a deploy without bake never
 * sleeps; with `bake-time` the action polls for the whole bake, which is the
 * waiting a real deploy also has (there, more of it, while instances boot).
 */
import { buildInfrastructure } from '../__tests__/e2e/fixture.js';
import { startMoto } from '../__tests__/e2e/moto-server.js';
import { startRecordingProxy, type RecordedCall } from '../__tests__/e2e/recording-proxy.js';
import { runAction, type ActionRun } from '../__tests__/e2e/run-action.js';
import { stats } from './cold-start.js';

export interface MotoDeployFigures {
  bakeSeconds: number;
  wallMs: number;
  startupMs: number;
  awsMs: number;
  calls: number;
  writes: number;
  /** Sleeps counted from the log (progress lines − waits). */
  sleeps: number;
  /** Upper bound of the waiting: sleeps × poll interval. */
  sleepBoundMs: number;
  /** Waiting as measured: gaps between calls longer than half a poll interval (the lock's settle excluded). */
  waitingMs: number;
  /** The deployment lock's settle: from the lock tag write's answer to the next call. */
  lockSettleMs: number;
  oursMs: number;
}

const POLL_MS = 1000;

/** Progress lines in the action's log: one per poll. */
const PROGRESS = /^(.+?): .*\b\d[\dhms ]* of \d[\dhms ]*\b/;

export function countSleeps(stdout: string): { polls: number; waits: number; sleeps: number } {
  let polls = 0;
  let waits = 0;
  let previous: string | undefined;
  for (const line of stdout.split('\n')) {
    const match = PROGRESS.exec(line.trim());
    if (!match) {
      if (!line.startsWith('::')) previous = undefined;
      continue;
    }
    polls++;
    if (match[1] !== previous) waits++;
    previous = match[1];
  }
  return { polls, waits, sleeps: polls - waits };
}

/** Total time covered by at least one interval. */
export function unionMs(intervals: [number, number][]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [from, to] of sorted) {
    if (to <= end) continue;
    total += to - Math.max(from, end);
    end = to;
  }
  return total;
}

function longGaps(calls: readonly RecordedCall[], threshold: number): number {
  let total = 0;
  let busyUntil: number | undefined;
  for (const call of [...calls].sort((a, b) => a.receivedAt - b.receivedAt)) {
    if (busyUntil !== undefined && call.receivedAt - busyUntil > threshold)
      total += call.receivedAt - busyUntil;
    busyUntil = Math.max(busyUntil ?? 0, call.answeredAt);
  }
  return total;
}

export function split(
  run: ActionRun,
  calls: readonly RecordedCall[],
  bakeSeconds: number,
): MotoDeployFigures {
  const wallMs = run.endedAt - run.startedAt;
  const first = Math.min(...calls.map((c) => c.receivedAt));
  const startupMs = first - run.startedAt;
  const awsMs = unionMs(calls.map((c) => [c.receivedAt, c.answeredAt]));
  const { sleeps } = countSleeps(run.stdout);
  const sorted = [...calls].sort((a, b) => a.receivedAt - b.receivedAt);
  const lockWrite = sorted.findIndex((c) => c.action === 'CreateOrUpdateTags');
  const afterLock = sorted[lockWrite + 1];
  const lockSettleMs =
    lockWrite >= 0 && afterLock
      ? afterLock.receivedAt - (sorted[lockWrite]?.answeredAt ?? afterLock.receivedAt)
      : 0;
  const waitingMs = longGaps(calls, POLL_MS / 2) - lockSettleMs;
  return {
    bakeSeconds,
    wallMs,
    startupMs,
    awsMs,
    calls: calls.length,
    writes: calls.filter((c) => c.write).length,
    sleeps,
    sleepBoundMs: sleeps * POLL_MS,
    waitingMs,
    lockSettleMs,
    oursMs: wallMs - startupMs - awsMs - waitingMs - lockSettleMs,
  };
}

/** `rounds` deploys for each bake time, alternating colors; one moto server, one fixture. */
export async function motoFigures(bakeTimes = [0, 5], rounds = 3): Promise<MotoDeployFigures[][]> {
  const moto = await startMoto();
  const proxy = await startRecordingProxy(moto.endpoint);
  try {
    const infra = await buildInfrastructure(moto.endpoint, { name: 'bench' });
    const inputs = {
      strategy: 'blue-green',
      'listener-arns': infra.listenerArns.join('\n'),
      'listener-rule-arns': infra.listenerRuleArn,
      'blue-auto-scaling-group': infra.autoScalingGroups.blue,
      'green-auto-scaling-group': infra.autoScalingGroups.green,
      'poll-interval': `${POLL_MS / 1000}s`,
    };
    const results = bakeTimes.map(() => [] as MotoDeployFigures[]);
    let version = 2;
    for (let round = 0; round < rounds; round++) {
      for (const [k, bake] of bakeTimes.entries()) {
        proxy.clear();
        const run = await runAction(
          { ...inputs, 'launch-template-version': String(version), 'bake-time': `${bake}s` },
          // main only: the post step's calls (it finds nothing to undo) would count as waiting
          { endpoint: proxy.endpoint, timeoutMs: 60_000, runPost: false },
        );
        if (run.code !== 0 || run.outputs.result !== 'deployed') {
          throw new Error(`bench deploy failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
        }
        results[k]?.push(split(run, proxy.calls, bake));
        version = version === 2 ? 1 : 2;
      }
    }
    return results;
  } finally {
    await proxy.stop();
    await moto.stop();
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function motoTable(results: MotoDeployFigures[][]): string {
  const lines = [
    '| bake-time | runs | wall | startup (spawn → 1st call) | AWS calls (moto + proxy) | lock settle | waiting between polls (gaps > 0.5 s) | our code (the rest) | sleeps in the log (× 1 s, upper bound) | calls / writes |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const runs of results) {
    const median = (pick: (f: MotoDeployFigures) => number) => stats(runs.map(pick)).median;
    const first = runs[0];
    if (!first) continue;
    lines.push(
      `| ${first.bakeSeconds}s | ${runs.length} | ${s(median((f) => f.wallMs))} | ${s(median((f) => f.startupMs))} | ${s(median((f) => f.awsMs))} | ${s(median((f) => f.lockSettleMs))} | ${s(median((f) => f.waitingMs))} | ${s(median((f) => f.oursMs))} | ${median((f) => f.sleeps)} (${s(median((f) => f.sleepBoundMs))}) | ${median((f) => f.calls)} / ${median((f) => f.writes)} |`,
    );
  }
  lines.push('', 'Medians per column (each column its own median, so a row need not add up exactly).');
  return lines.join('\n');
}
