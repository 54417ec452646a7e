/**
 * A moto server for the end-to-end tests: `../shared/moto/server.py` (moto plus
 * Instance Refresh) on a free port of 127.0.0.1, one per test file.
 *
 *   const moto = await startMoto();   // beforeAll
 *   await moto.reset();               // beforeEach
 *   await moto.stop();                // afterAll
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in `<repo>/__tests__/e2e/`). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The launcher shared by every checkout: `<repo>/../shared/moto/server.py`. */
export const MOTO_SERVER_PY = fileURLToPath(new URL('../../../shared/moto/server.py', import.meta.url));

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;
const KEEP_STDERR_CHARS = 8_000;

export interface MotoServer {
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  port: number;
  /** Forget every resource (POST /moto-api/reset). */
  reset(): Promise<void>;
  /** Kill the server and wait until it has exited. */
  stop(): Promise<void>;
}

export interface StartMotoOptions {
  /** Extra environment for the server, e.g. `{ MOTO_IR_SECONDS: '1' }`. */
  env?: Record<string, string>;
}

let available: boolean | undefined;

/** True when python3 can import moto and the shared launcher exists. */
export function motoAvailable(): boolean {
  if (available === undefined) {
    const probe = spawnSync('python3', ['-c', 'import moto'], { stdio: 'ignore', timeout: 15_000 });
    available = probe.status === 0 && existsSync(MOTO_SERVER_PY);
  }
  return available;
}

/** Why the e2e tests are skipped, for a console message; undefined when moto can run. */
export function motoUnavailableReason(): string | undefined {
  if (!existsSync(MOTO_SERVER_PY)) return `${MOTO_SERVER_PY} not found`;
  if (!motoAvailable()) return "python3 cannot 'import moto'";
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
      throw new Error(`moto exited (${child.exitCode ?? child.signalCode}) before answering:\n${stderr}`);
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
    const req = http.request(url, { method, agent: false, timeout: 5_000 }, (res) => {
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
