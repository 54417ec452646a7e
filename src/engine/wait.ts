import { formatDuration } from '../util/time.js';
import type { StepContext } from './plan.js';
import { errorMessage } from '../util/errors.js';

export interface WaitSpec<T> {
  /** `green fleet healthy`: used in progress lines and errors. */
  what: string;
  /** Phase bound (the whole deployment's deadline also applies). */
  timeoutMs: number;
  /** Reads the state once (one poll). */
  read: () => Promise<T>;
  /** A one-line picture of the state: `4/6 healthy (2 initial)`. */
  describe: (state: T) => string;
  /** True when the wait is over. */
  done: (state: T) => boolean;
  /** A reason to stop waiting and fail now (a target turned unhealthy). */
  failure?: (state: T) => string | undefined;
  /** The whole progress line of a poll, when `what: state (elapsed of limit)` does not fit. */
  progress?: (state: T, elapsedMs: number) => string;
}

export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

/** Consecutive failed reads (after the SDK's own retries) tolerated while waiting. */
const READ_FAILURES_TOLERATED = 3;

/**
 * Polls every `pollIntervalMs` until `done`, a `failure`, the phase timeout or
 * the deployment deadline, logging one progress line per poll. Returns the last state.
 */
export async function waitFor<T>(ctx: StepContext, spec: WaitSpec<T>): Promise<T> {
  const started = ctx.clock.now();
  const until = Math.min(started + spec.timeoutMs, ctx.deadline);
  let failedReads = 0;
  let last = 'no reading yet';
  for (;;) {
    ctx.signal.throwIfAborted();
    let state: T | undefined;
    try {
      state = await spec.read();
      failedReads = 0;
    } catch (error) {
      if (++failedReads > READ_FAILURES_TOLERATED) throw error;
      ctx.log.warning(`${spec.what}: reading state failed (${errorMessage(error)}); retrying`);
    }
    const elapsed = ctx.clock.now() - started;
    if (state !== undefined) {
      last = spec.describe(state);
      ctx.log.info(
        spec.progress?.(state, elapsed) ??
          `${spec.what}: ${last} (${formatDuration(elapsed)} of ${formatDuration(until - started)})`,
      );
      if (spec.done(state)) return state;
      const failure = spec.failure?.(state);
      if (failure) throw new Error(`${spec.what}: ${failure}`);
    }
    const remaining = until - ctx.clock.now();
    if (remaining <= 0) {
      const bound = started + spec.timeoutMs > ctx.deadline ? 'the deployment timeout' : 'its time limit';
      throw new WaitTimeoutError(
        `${spec.what}: not reached within ${formatDuration(until - started)} (${bound}); last seen: ${last}`,
      );
    }
    await ctx.clock.sleep(Math.min(ctx.pollIntervalMs, remaining), ctx.signal);
  }
}
