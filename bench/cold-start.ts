/**
 * Cold start: wall time of `node <bundle>` from spawn to exit when it fails on
 * its first input check (no inputs, a clean environment), ours against a peer
 * action's committed bundle, run in turn A B A B … in one process so that
 * machine drift hits both alike. Also which files each loads on that path
 * (traced with a module load hook in a separate, untimed run) and their size.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
export const OUR_BUNDLE = path.join(REPO_ROOT, 'dist', 'index.js');
/** aws-actions/configure-aws-credentials' committed dist (see ../shared/peers/README.md). */
export const PEER_BUNDLE = fileURLToPath(
  new URL('../../shared/peers/configure-aws-credentials/dist/index.js', import.meta.url),
);

export interface Subject {
  name: string;
  script: string;
}

export interface ColdStartRow {
  name: string;
  runs: number;
  minMs: number;
  medianMs: number;
  maxMs: number;
  exitCode: number | null;
  /** First `::error` line it printed (what it stopped on). */
  firstError: string;
  /** Files of the bundle's directory loaded before it exits on the error path. */
  loaded: string[];
  errorPathBytes: number;
  /** Every .js file of the bundle's directory (recursively). */
  totalBytes: number;
  totalFiles: number;
}

export interface ColdStartResult {
  rows: ColdStartRow[];
  /** Median over pairs of ours/peer wall time, run i against run i. */
  pairedRatio?: { min: number; median: number; max: number };
}

/** No inputs, nothing from the developer's environment: what a runner gives a step with no `with:`. */
function cleanEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', ...extra };
}

function once(script: string, home: string): { ms: number; code: number | null; stdout: string } {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [script], {
    cwd: home,
    env: cleanEnv(home),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- typed string, but a spawn that fails leaves it null
  return { ms, code: child.status, stdout: child.stdout ?? '' };
}

/**
 * A `--import` module that records every file URL the ESM loader loads (hooks
 * run on their own thread) and, at exit, every CommonJS module in require's
 * cache. Used only in an untimed run.
 */
const LOAD_HOOKS = `
import { appendFileSync } from 'node:fs';
let out;
export function initialize(file) { out = file; }
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(out, url + '\\n');
  return next(url, context);
}`;
const TRACE_MODULE = `
import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
const out = process.env.BENCH_LOAD_TRACE;
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(LOAD_HOOKS)}`)}, { data: out });
const require = createRequire(process.cwd() + '/trace.js');
process.on('exit', () => {
  for (const file of Object.keys(require.cache)) appendFileSync(out, 'file://' + file + '\\n');
});
`;

let traces = 0;

function loadedFiles(script: string, home: string): string[] {
  const trace = path.join(home, `load-trace-${++traces}.txt`);
  spawnSync(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(TRACE_MODULE)}`, script],
    {
      cwd: home,
      env: cleanEnv(home, { BENCH_LOAD_TRACE: trace }),
      stdio: 'ignore',
      timeout: 30_000,
    },
  );
  let text: string;
  try {
    text = readFileSync(trace, 'utf8');
  } catch {
    throw new Error(`cold start: the load trace of ${script} was not written`);
  }
  const dir = path.dirname(script);
  const files = text
    .split('\n')
    .filter((line) => line.startsWith('file:'))
    .map((url) => fileURLToPath(url))
    .filter((file) => file.startsWith(dir + path.sep));
  return [...new Set(files)];
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return jsFiles(full);
    return /\.(c|m)?js$/.test(entry.name) ? [full] : [];
  });
}

const size = (files: string[]) => files.reduce((sum, file) => sum + statSync(file).size, 0);

export function stats(values: number[]): { min: number; median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
  return { min: sorted[0] ?? NaN, median, max: sorted[sorted.length - 1] ?? NaN };
}

/** Runs every subject `warmup` times, then `runs` times each, in turn. */
export function coldStart(subjects: Subject[], runs = 20, warmup = 2): ColdStartResult {
  const home = mkdtempSync(path.join(os.tmpdir(), 'asg-deploy-bench-'));
  try {
    for (let i = 0; i < warmup; i++) for (const s of subjects) once(s.script, home);
    const times = subjects.map(() => [] as number[]);
    const last = subjects.map(() => ({ code: null as number | null, stdout: '' }));
    for (let i = 0; i < runs; i++) {
      subjects.forEach((s, k) => {
        const run = once(s.script, home);
        times[k]?.push(run.ms);
        last[k] = run;
      });
    }
    const rows = subjects.map((s, k): ColdStartRow => {
      const { min, median, max } = stats(times[k] ?? []);
      const loaded = loadedFiles(s.script, home);
      const all = jsFiles(path.dirname(s.script));
      const firstError = (last[k]?.stdout ?? '').split('\n').find((l) => l.startsWith('::error')) ?? '';
      return {
        name: s.name,
        runs,
        minMs: min,
        medianMs: median,
        maxMs: max,
        exitCode: last[k]?.code ?? null,
        firstError,
        loaded: loaded.map((f) => path.relative(path.dirname(s.script), f)),
        errorPathBytes: size(loaded),
        totalBytes: size(all),
        totalFiles: all.length,
      };
    });
    const [a, b] = times;
    const pairedRatio = a && b && b.length ? stats(a.map((t, i) => t / (b[i] ?? NaN))) : undefined;
    return { rows, ...(pairedRatio ? { pairedRatio } : {}) };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

export function coldStartTable(result: ColdStartResult): string {
  const lines = [
    '| bundle | runs | min | median | max | exit | error-path JS (files loaded) | whole dist JS |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
  ];
  for (const r of result.rows) {
    lines.push(
      `| ${r.name} | ${r.runs} | ${r.minMs.toFixed(1)} ms | ${r.medianMs.toFixed(1)} ms | ${r.maxMs.toFixed(1)} ms | ${String(r.exitCode)} | ${kb(r.errorPathBytes)} (${r.loaded.join(', ')}) | ${kb(r.totalBytes)} in ${r.totalFiles} file(s) |`,
    );
  }
  const out = [lines.join('\n')];
  for (const r of result.rows) out.push(`- ${r.name} stopped on: \`${r.firstError.slice(0, 110)}\``);
  const [ours, peer] = result.rows;
  if (ours && peer) {
    out.push(
      `- whole dist JS: ${ours.totalBytes} bytes against ${peer.totalBytes}: ${(ours.totalBytes / peer.totalBytes).toFixed(2)} × the peer's; target ≤ 1.20`,
    );
  }
  if (result.pairedRatio) {
    const { min, median, max } = result.pairedRatio;
    out.push(
      `- ours / peer, pair by pair: median ${median.toFixed(2)} (min ${min.toFixed(2)}, max ${max.toFixed(2)}); target ≤ 1.00`,
    );
  }
  return out.join('\n');
}

export function coldStartSubjects(): { subjects: Subject[]; note?: string } {
  const subjects: Subject[] = [{ name: 'asg-deploy dist/index.js', script: OUR_BUNDLE }];
  let note: string | undefined;
  try {
    statSync(PEER_BUNDLE);
    subjects.push({ name: 'configure-aws-credentials dist/index.js', script: PEER_BUNDLE });
  } catch {
    note = `peer bundle not found (${PEER_BUNDLE}): cold start measured for ours alone`;
  }
  return { subjects, ...(note ? { note } : {}) };
}
