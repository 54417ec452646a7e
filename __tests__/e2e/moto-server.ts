/**
 * A moto server for the end-to-end tests: the project's own launcher,
 * `test/moto/server.py` (moto plus what the tests need and moto lacks, see
 * test/moto/README.md), on a free port of 127.0.0.1, one per test file.
 * Test files use it through `use-moto.ts` (`describeWithMoto`, `useMoto`).
 *
 *   const moto = await startMoto();   // beforeAll
 *   await moto.reset();               // beforeEach (state and switches)
 *   await moto.setSwitches({ healthSeconds: 2 });
 *   await moto.stop();                // afterAll
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in `<repo>/__tests__/e2e/`). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The project's moto launcher: `<repo>/test/moto/server.py`. */
export const MOTO_SERVER_PY = fileURLToPath(new URL('../../test/moto/server.py', import.meta.url));
/** The moto release the launcher and the tests are written for (CI installs exactly this). */
export const MOTO_VERSION = '5.2.1';
export const MOTO_INSTALL_HINT = `python3 -m pip install "moto[server]==${MOTO_VERSION}"`;

const READY_TIMEOUT_MS = 60_000; // python imports moto's EC2, ELBv2 and Auto Scaling models at start: seconds, more on a loaded machine
const STOP_TIMEOUT_MS = 5_000;
const KEEP_STDERR_CHARS = 8_000;

export interface MotoServer {
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  port: number;
  /** Forget every resource and set the switches back to the environment's (POST /moto-api/reset). */
  reset(): Promise<void>;
  /** Change switches of test/moto for this run (POST /_asgdeploy/switches); returns them all. */
  setSwitches(changes: Partial<MotoSwitches>): Promise<MotoSwitches>;
  /** Kill the server and wait until it has exited. */
  stop(): Promise<void>;
}

/** The switches of test/moto/README.md. */
export interface MotoSwitches {
  refreshSeconds: number;
  healthSeconds: number;
  drainSeconds: number | null;
  unhealthyTargetGroups: string[];
  failingImages: string[];
  launchRetrySeconds: number;
  /** Writes refused as AWS refuses them (test/moto/faults.py). */
  failingWrites: FailingWrite[];
}

/** One entry of the failingWrites switch: `action` (on `resource`, a parameter's exact value) refused `times` times. */
export interface FailingWrite {
  action: string;
  resource?: string;
  /** Refusals left; without it, every time. */
  times?: number;
  /** Default AccessDenied, 403 and AWS's explicit-deny wording. */
  code?: string;
  status?: number;
  message?: string;
}

export interface StartMotoOptions {
  /** Extra environment for the server, e.g. `{ ASGDEPLOY_MOTO_REFRESH_SECONDS: '1' }`. */
  env?: Record<string, string>;
}

let available: boolean | undefined;

let unavailableReason: string | undefined;

/** True when python3 can import moto (and the launcher is in the checkout). */
export function motoAvailable(): boolean {
  if (available === undefined) {
    unavailableReason = probeMoto();
    available = unavailableReason === undefined;
  }
  return available;
}

/** Why moto cannot run here, with how to install it; undefined when it can. */
export function motoUnavailableReason(): string | undefined {
  motoAvailable();
  return unavailableReason;
}

function probeMoto(): string | undefined {
  if (!existsSync(MOTO_SERVER_PY)) return `${MOTO_SERVER_PY} not found`;
  const probe = spawnSync('python3', ['-c', 'import moto, werkzeug, flask; print(moto.__version__)'], {
    encoding: 'utf8',
    // Importing moto takes a second or two, far longer on a loaded machine: a slow answer is not a missing python3.
    timeout: 120_000,
  });
  if (probe.error && 'code' in probe.error && probe.error.code === 'ETIMEDOUT')
    return `python3 did not finish importing moto within 120 s (machine overloaded?)`;
  if (probe.error)
    return `python3 not found (${probe.error.message}); install Python 3, then ${MOTO_INSTALL_HINT}`;
  if (probe.status !== 0)
    return `python3 cannot import moto with its server; install it: ${MOTO_INSTALL_HINT}`;
  const version = probe.stdout.trim();
  if (version !== MOTO_VERSION)
    console.warn(
      `[e2e] moto ${version} found; the tests are written for ${MOTO_VERSION} (${MOTO_INSTALL_HINT})`,
    );
  return undefined;
}

export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  if (!existsSync(MOTO_SERVER_PY)) throw new Error(`moto launcher not found: ${MOTO_SERVER_PY}`);
  // A free port can be taken between probing and binding: try a few.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(await freePort(), options);
    } catch (error) {
      lastError = error;
      if (!String(error).includes('Address already in use')) break;
    }
  }
  throw lastError;
}

async function startOnce(port: number, options: StartMotoOptions): Promise<MotoServer> {
  const child = spawn('python3', [MOTO_SERVER_PY, '-H', '127.0.0.1', '-p', String(port)], {
    cwd: REPO_ROOT,
    env: { ...serverEnv(), ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-KEEP_STDERR_CHARS);
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (spawnError) throw new Error(`cannot start moto: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `moto exited (${String(child.exitCode ?? child.signalCode)}) before answering:\n${stderr}`,
      );
    }
    if (await answers(`${endpoint}/moto-api/`)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`moto did not answer on ${endpoint} within ${READY_TIMEOUT_MS} ms:\n${stderr}`);
    }
    await sleep(100);
  }

  return {
    endpoint,
    port,
    async reset() {
      const { status, body } = await request('POST', `${endpoint}/moto-api/reset`);
      if (status !== 200) throw new Error(`moto reset answered ${status}: ${body}`);
    },
    async setSwitches(changes) {
      const { status, body } = await request(
        'POST',
        `${endpoint}/_asgdeploy/switches`,
        JSON.stringify(changes),
      );
      if (status !== 200) throw new Error(`moto switches answered ${status}: ${body}`);
      return JSON.parse(body) as MotoSwitches;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The developer's environment without AWS settings or proxies: moto needs neither. */
function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^AWS_/i.test(name) || /_proxy$/i.test(name)) continue;
    env[name] = value;
  }
  return env;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await request('GET', url)).status < 500;
  } catch {
    return false;
  }
}

/** A plain HTTP request to 127.0.0.1 (no proxy, no keep-alive), with a short timeout. */
export function request(method: string, url: string, body = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = body
      ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
      : {};
    const req = http.request(url, { method, agent: false, timeout: 5_000, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${url}`)));
    req.on('error', reject);
    req.end(body);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
