/**
 * Runs the bundled action the way the GitHub runner does: `node dist/index.js`
 * with each input as `INPUT_<NAME>` (upper-cased, hyphens kept), fresh
 * GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files, then the post step:
 * `node dist/index.js` again (action.yml's `post` is the same file) with the saved
 * state as `STATE_*`, among it the `isPost` main saved first thing.
 *
 * The environment is built from scratch: the developer's AWS_* settings,
 * ~/.aws files and proxies never reach the action, and the SDK is pointed at
 * `endpoint` (moto, or the recording proxy in front of it) with dummy keys.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './moto-server.js';
import { now } from './recording-proxy.js';

/** The bundle, or another build of it: ASG_DEPLOY_E2E_ACTION_DIR=/path/with/index.js. */
const ACTION_DIR = process.env.ASG_DEPLOY_E2E_ACTION_DIR ?? path.join(REPO_ROOT, 'dist');
export const ACTION_MAIN = path.join(ACTION_DIR, 'index.js');
/** action.yml `runs.post`: the same bundle, which tells the steps apart by the saved state `isPost`. */
export const ACTION_POST = path.join(ACTION_DIR, 'index.js');

export interface RunActionOptions {
  /** AWS endpoint the action talks to (http://127.0.0.1:PORT). */
  endpoint: string;
  /** Extra or overriding environment, e.g. `{ GITHUB_RUN_ID: '7' }`. */
  env?: Record<string, string>;
  /** Kill the step after this long (each of main and post). Default 45 s. */
  timeoutMs?: number;
  /** Run the post step after main. Default true. */
  runPost?: boolean;
  /**
   * Called once main has been spawned, e.g. to send it SIGINT while it waits, as the runner does when
   * a run is cancelled. Post still runs after main has exited, with whatever state main saved.
   */
  onMainSpawn?: (main: ChildProcess) => void;
  /**
   * Called after main has exited and before the post step starts (e.g. to lift a fault that made main's
   * rollback fail, as time or an operator would between the runner's steps).
   */
  beforePost?: (main: StepResult) => Promise<void>;
  /** Other scripts than the bundle for main and post (the harness tests its own stand-in). */
  scripts?: { main: string; post?: string };
}

export interface StepResult {
  /** Exit code; -1 when killed by a signal or the timeout. */
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** When the process was spawned and when it closed (ms since the epoch, as `now()` of the proxy). */
  startedAt: number;
  endedAt: number;
}

export interface ActionRun extends StepResult {
  /** Step outputs (GITHUB_OUTPUT of the main step). */
  outputs: Record<string, string>;
  /** Job summary written by main (and post, appended). */
  summary: string;
  /** What main saved for post (GITHUB_STATE). */
  state: Record<string, string>;
  /** The post step, unless runPost is false. */
  post?: StepResult;
}

/** The dummy identity and fakes every run gets. */
export const FAKE_ENV: Readonly<Record<string, string>> = {
  AWS_ACCESS_KEY_ID: 'AKIAE2ETESTEXAMPLE00',
  AWS_SECRET_ACCESS_KEY: 'e2e-test-secret-access-key-not-real',
  AWS_REGION: 'us-east-1',
  GITHUB_ACTIONS: 'true',
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_NUMBER: '7',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_REPOSITORY: 'octo-org/shop',
  GITHUB_REPOSITORY_OWNER: 'octo-org',
  GITHUB_SERVER_URL: 'https://github.example',
  GITHUB_API_URL: 'https://api.github.example',
  GITHUB_WORKFLOW: 'deploy',
  GITHUB_JOB: 'deploy',
  GITHUB_ACTION: 'asg-deploy',
  GITHUB_ACTOR: 'octocat',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  RUNNER_OS: 'Linux',
  RUNNER_ARCH: 'X64',
  RUNNER_NAME: 'e2e',
};

/** The name the runner gives an input's variable: `listener-arns` → `INPUT_LISTENER-ARNS`. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export async function runAction(
  inputs: Record<string, string>,
  options: RunActionOptions,
): Promise<ActionRun> {
  const mainScript = options.scripts?.main ?? ACTION_MAIN;
  const postScript = options.scripts ? options.scripts.post : ACTION_POST;
  if (!existsSync(mainScript)) throw new Error(`${mainScript} does not exist: run 'npm run bundle' first`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'asg-deploy-e2e-'));
  try {
    const base = baseEnv(dir, inputs, options);
    const mainFiles = commandFiles(dir, 'main');
    const main = await runNode(
      mainScript,
      { ...base, ...mainFiles.env },
      options.timeoutMs,
      options.onMainSpawn,
    );
    const outputs = parseFileCommands(readFileSync(mainFiles.output, 'utf8'), 'GITHUB_OUTPUT');
    const state = parseFileCommands(readFileSync(mainFiles.state, 'utf8'), 'GITHUB_STATE');
    let summary = readFileSync(mainFiles.summary, 'utf8');

    let post: StepResult | undefined;
    if (options.runPost !== false && postScript !== undefined && existsSync(postScript)) {
      await options.beforePost?.(main);
      const postFiles = commandFiles(dir, 'post');
      const stateEnv = Object.fromEntries(
        Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]),
      );
      post = await runNode(postScript, { ...base, ...postFiles.env, ...stateEnv }, options.timeoutMs);
      summary += readFileSync(postFiles.summary, 'utf8');
    }
    return { ...main, outputs, summary, state, ...(post ? { post } : {}) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A clean environment: only what a runner would set, plus PATH for `node`. */
function baseEnv(
  dir: string,
  inputs: Record<string, string>,
  options: RunActionOptions,
): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C.UTF-8',
    // No ~/.aws files, no instance metadata (169.254.169.254): only the keys below.
    HOME: dir,
    AWS_CONFIG_FILE: path.join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    RUNNER_TEMP: dir,
    GITHUB_WORKSPACE: dir,
    ...FAKE_ENV,
    AWS_ENDPOINT_URL: options.endpoint,
  };
  for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value;
  return { ...env, ...options.env };
}

function commandFiles(dir: string, step: string) {
  const output = path.join(dir, `${step}-output`);
  const state = path.join(dir, `${step}-state`);
  const summary = path.join(dir, `${step}-summary.md`);
  const env = path.join(dir, `${step}-env`);
  const addPath = path.join(dir, `${step}-path`);
  for (const file of [output, state, summary, env, addPath]) writeFileSync(file, '');
  return {
    output,
    state,
    summary,
    env: {
      GITHUB_OUTPUT: output,
      GITHUB_STATE: state,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_ENV: env,
      GITHUB_PATH: addPath,
    },
  };
}

function runNode(
  script: string,
  env: Record<string, string>,
  timeoutMs = 45_000,
  onSpawn?: (child: ChildProcess) => void,
): Promise<StepResult> {
  return new Promise((resolve, reject) => {
    const startedAt = now();
    const child = spawn(process.execPath, [script], {
      cwd: env.GITHUB_WORKSPACE,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    onSpawn?.(child);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (timedOut) stderr += `\n[run-action] ${path.basename(script)} killed after ${timeoutMs} ms\n`;
      resolve({ code: code ?? -1, stdout, stderr, timedOut, startedAt, endedAt: now() });
    });
  });
}

/**
 * Parses a runner file command (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV) as the
 * runner does: `name<<DELIMITER` … `DELIMITER` blocks (what @actions/core 3
 * writes) and plain `name=value` lines; whichever of `<<` and `=` comes first
 * decides. A block without its closing delimiter is an error, as on the runner.
 */
export function parseFileCommands(text: string, file = 'file'): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    const heredoc = line.indexOf('<<');
    const equals = line.indexOf('=');
    if (heredoc > 0 && (equals < 0 || heredoc < equals)) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      const value: string[] = [];
      for (i++; ; i++) {
        if (i >= lines.length) throw new Error(`${file}: no closing delimiter '${delimiter}' for '${name}'`);
        if (lines[i] === delimiter) break;
        value.push(lines[i] ?? '');
      }
      result[name] = value.join('\n');
    } else if (equals > 0) {
      result[line.slice(0, equals)] = line.slice(equals + 1);
    } else {
      throw new Error(`${file}: malformed line '${line}'`);
    }
  }
  return result;
}
