import type { SimState } from './state.js';

/** What the dispatcher knows about the request beyond its input. */
export interface RequestContext {
  /** The idempotency token as sent: the input's, or the one the SDK generated into the request. */
  clientToken?: string;
}

/** One simulated operation: input as the command received it, output without $metadata. */
export type Handler = (sim: SimState, input: unknown, ctx: RequestContext) => object;

/** Handlers keyed by operation name ('ModifyListener', not 'ModifyListenerCommand'). */
export type Handlers = Record<string, Handler>;
