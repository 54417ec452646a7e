/**
 * Spawn → first AWS request: ours against the peer bundle, both pointed at one
 * local endpoint (127.0.0.1) that answers every request with AccessDenied, run
 * in pairs (ours, peer, ours, peer …) so that machine drift hits both alike.
 * Ours runs a valid blue/green deploy (its first request is the lock read);
 * the peer runs with static keys (its first request is sts:GetCallerIdentity).
 * The endpoint timestamps each request as it arrives; that minus the spawn time
 * is the figure.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stats } from './cold-start.js';

/** A Query-protocol error, as IAM answers a caller without permission. */
const ACCESS_DENIED =
  '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>' +
  '<Message>User is not authorized to perform this action</Message></Error>' +
  '<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>';

export interface FirstRequestSubject {
  name: string;
  script: string;
  /** Inputs and settings that make it send a request (the endpoint URL is passed in). */
  env: (endpoint: string) => Record<string, string>;
}

export interface FirstRequestRow {
  name: string;
  runs: number;
  minMs: number;
  medianMs: number;
  maxMs: number;
  /** Action and User-Agent of the first request of the last run. */
  action: string;
  userAgent: string;
}

export interface FirstRequestResult {
  rows: FirstRequestRow[];
  pairs: number;
  pairedRatio?: { min: number; median: number; max: number };
}

interface Seen {
  atNs: bigint;
  action: string;
  userAgent: string;
}

/** The endpoint: records the first request after `expect()` and answers AccessDenied to all. */
async function deniedEndpoint() {
  let waiting: ((seen: Seen) => void) | undefined;
  const server = http.createServer((req, res) => {
    const atNs = process.hrtime.bigint();
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const action = /(?:^|&)Action=([^&]*)/.exec(body)?.[1] ?? String(req.headers['x-amz-target'] ?? '?');
      waiting?.({ atNs, action, userAgent: req.headers['user-agent'] ?? '' });
      waiting = undefined;
      res.writeHead(403, { 'content-type': 'text/xml', 'x-amzn-requestid': '00000000-0000' });
      res.end(ACCESS_DENIED);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const expect = () => new Promise<Seen>((resolve) => (waiting = resolve));
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { url, expect, close };
}

/** The runner's files and variables, fresh for each run, and nothing from the developer's environment. */
function runnerEnv(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of ['OUTPUT', 'STATE', 'ENV', 'PATH', 'STEP_SUMMARY']) {
    const file = path.join(dir, name.toLowerCase());
    writeFileSync(file, '');
    files[`GITHUB_${name}`] = file;
  }
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    LANG: 'C.UTF-8',
    RUNNER_TEMP: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...files,
  };
}

async function once(
  subject: FirstRequestSubject,
  endpoint: Awaited<ReturnType<typeof deniedEndpoint>>,
): Promise<{ ms: number; seen: Seen }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'asg-deploy-first-request-'));
  try {
    const seen = endpoint.expect();
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [subject.script], {
      cwd: dir,
      env: { ...runnerEnv(dir), ...subject.env(endpoint.url) },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const first = await Promise.race([seen, exited.then(() => undefined)]);
    // What follows the first request (the peer retries its credential check for a while) is not measured.
    child.kill('SIGKILL');
    await exited;
    clearTimeout(timer);
    if (!first) throw new Error(`${subject.name} exited without sending a request`);
    return { ms: Number(first.atNs - started) / 1e6, seen: first };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `pairs` pairs after `warmup` pairs, each subject in turn. */
export async function firstRequest(
  subjects: FirstRequestSubject[],
  pairs = 11,
  warmup = 2,
): Promise<FirstRequestResult> {
  const endpoint = await deniedEndpoint();
  try {
    for (let i = 0; i < warmup; i++) for (const s of subjects) await once(s, endpoint);
    const times = subjects.map(() => [] as number[]);
    const last: (Seen | undefined)[] = subjects.map(() => undefined);
    for (let i = 0; i < pairs; i++) {
      for (const [k, s] of subjects.entries()) {
        const run = await once(s, endpoint);
        times[k]?.push(run.ms);
        last[k] = run.seen;
      }
    }
    const rows = subjects.map((s, k): FirstRequestRow => {
      const { min, median, max } = stats(times[k] ?? []);
      const seen = last[k];
      return {
        name: s.name,
        runs: pairs,
        minMs: min,
        medianMs: median,
        maxMs: max,
        action: seen?.action ?? '',
        userAgent: seen?.userAgent ?? '',
      };
    });
    const [a, b] = times;
    const pairedRatio = a && b && b.length ? stats(a.map((t, i) => t / (b[i] ?? NaN))) : undefined;
    return { rows, pairs, ...(pairedRatio ? { pairedRatio } : {}) };
  } finally {
    await endpoint.close();
  }
}

const ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2';

/** Ours: a valid blue/green deploy with the keys in the environment (as configure-aws-credentials leaves them). */
export function oursFirstRequest(script: string): FirstRequestSubject {
  return {
    name: 'asg-deploy dist/index.js',
    script,
    env: (endpoint) => ({
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'INPUT_AWS-REGION': 'us-east-1',
      'INPUT_LISTENER-ARNS': ARN,
      'INPUT_BLUE-AUTO-SCALING-GROUP': 'shop-blue',
      'INPUT_GREEN-AUTO-SCALING-GROUP': 'shop-green',
      'INPUT_LAUNCH-TEMPLATE-VERSION': '3',
    }),
  };
}

/** The peer: static keys as inputs, its STS endpoint pointed at ours. */
export function peerFirstRequest(script: string): FirstRequestSubject {
  return {
    name: 'configure-aws-credentials dist/index.js',
    script,
    env: (endpoint) => ({
      'INPUT_AWS-REGION': 'us-east-1',
      'INPUT_AWS-ACCESS-KEY-ID': 'AKIAIOSFODNN7EXAMPLE',
      'INPUT_AWS-SECRET-ACCESS-KEY': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'INPUT_STS-ENDPOINT': endpoint,
    }),
  };
}

export function firstRequestTable(result: FirstRequestResult): string {
  const lines = [
    '| bundle | runs | min | median | max | first request | User-Agent (end) |',
    '| --- | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const r of result.rows) {
    const ua = r.userAgent.split(' ').slice(-2).join(' ');
    lines.push(
      `| ${r.name} | ${r.runs} | ${r.minMs.toFixed(1)} ms | ${r.medianMs.toFixed(1)} ms | ${r.maxMs.toFixed(1)} ms | ${r.action} | \`${ua}\` |`,
    );
  }
  const out = [lines.join('\n')];
  if (result.pairedRatio) {
    const { min, median, max } = result.pairedRatio;
    out.push(
      `- ours / peer, pair by pair (${result.pairs} pairs): median ${median.toFixed(2)} (min ${min.toFixed(2)}, max ${max.toFixed(2)}); target ≤ 1.00`,
    );
  }
  return out.join('\n');
}
