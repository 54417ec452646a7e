/**
 * The one moto set-up of the end-to-end files:
 *
 *   const describeE2E = describeWithMoto('blue-green');          // or { bundle: false, moto: false }
 *   describeE2E('…', () => {
 *     const world = useMoto({ env: { ASGDEPLOY_MOTO_REFRESH_SECONDS: '1' } });
 *     it('…', async () => { world.moto; world.proxy; world.aws; });
 *   });
 *
 * `useMoto` starts one server and one recording proxy for the file (beforeAll),
 * resets moto (resources and switches) and clears the proxy log before each test,
 * and stops both after. `describeWithMoto` runs the block, or, when moto or the
 * bundle is missing: skips it with a warning locally, and FAILS under `CI=true`
 * with how to install what is missing (CI must never skip the end-to-end suites).
 */
import { existsSync } from 'node:fs';
import { awsClients, type AwsClients } from './fixture.js';
import { motoUnavailableReason, startMoto, type MotoServer, type StartMotoOptions } from './moto-server.js';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.js';
import { ACTION_MAIN } from './run-action.js';

const SETUP_TIMEOUT = 90_000;

export interface Needs {
  /** The block runs dist/index.js. Default true. */
  bundle?: boolean;
  /** The block talks to moto. Default true. */
  moto?: boolean;
}

/** Why the block cannot run here, or undefined. */
export function missingFor(needs: Needs = {}): string | undefined {
  const motoMissing = needs.moto === false ? undefined : motoUnavailableReason();
  if (motoMissing) return motoMissing;
  if (needs.bundle !== false && !existsSync(ACTION_MAIN))
    return `${ACTION_MAIN} not built yet (npm run bundle)`;
  return undefined;
}

/** `describe`, or `describe.skip` with a warning; under CI=true a missing prerequisite throws (the suite fails). */
export function describeWithMoto(label: string, needs: Needs = {}): jest.Describe {
  const missing = missingFor(needs);
  if (!missing) return describe;
  if (process.env.CI === 'true') {
    throw new Error(`[e2e] ${label}: cannot run under CI=true: ${missing}`);
  }
  console.warn(`[e2e] ${label} tests SKIPPED: ${missing}`);
  return describe.skip;
}

export interface MotoWorld {
  readonly moto: MotoServer;
  readonly proxy: RecordingProxy;
  /** SDK clients to moto itself (or through the proxy with `awsThroughProxy`). */
  readonly aws: AwsClients;
}

export interface UseMotoOptions extends StartMotoOptions {
  /** Point `aws` at the recording proxy instead of moto (its calls are then recorded too). */
  awsThroughProxy?: boolean;
}

/** Registers the file's moto hooks (call inside the describe block); read the fields inside tests. */
export function useMoto(options: UseMotoOptions = {}): MotoWorld {
  let moto: MotoServer | undefined;
  let proxy: RecordingProxy | undefined;
  let aws: AwsClients | undefined;
  beforeAll(async () => {
    moto = await startMoto(options);
    proxy = await startRecordingProxy(moto.endpoint);
    aws = awsClients(options.awsThroughProxy ? proxy.endpoint : moto.endpoint);
  }, SETUP_TIMEOUT);
  beforeEach(async () => {
    await moto?.reset();
    proxy?.clear();
  });
  afterAll(async () => {
    aws?.destroy();
    await proxy?.stop();
    await moto?.stop();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useMoto: ${what} not started (read it inside a test or hook)`);
    return value;
  };
  return {
    get moto() {
      return started(moto, 'moto');
    },
    get proxy() {
      return started(proxy, 'the recording proxy');
    },
    get aws() {
      return started(aws, 'the SDK clients');
    },
  };
}
