/**
 * Time for the action and the simulator. The action only sees `Clock`; tests and
 * the demo drive a `VirtualClock`, which also carries the simulator's event queue
 * (instance boots, health-check transitions, draining, scheduled alarm changes).
 */

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export function abortReason(signal: AbortSignal): unknown {
  if (signal.reason !== undefined) return signal.reason;
  const err = new Error('The operation was aborted');
  err.name = 'AbortError';
  return err;
}

interface SimEvent {
  at: number;
  seq: number;
  run: () => void;
}

export const DEFAULT_START_MS = Date.UTC(2026, 10, 27, 12);

export class VirtualClock implements Clock {
  private t: number;
  private seq = 0;
  /** Sorted by (at, seq): events due at the same time run in scheduling order. */
  private queue: SimEvent[] = [];
  /**
   * Shared by concurrent runs (two deploys racing): a sleep waits for its time
   * instead of moving the clock at once, and the clock moves to the next event
   * only when no run has anything left to do before then, so two runs that
   * sleep 5 s each spend 5 s together, as on a real clock.
   */
  shared = false;

  constructor(startMs: number = DEFAULT_START_MS) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  /**
   * Advances virtual time by `ms`, running every event due on the way in time
   * order, then yields one macrotask so other promise chains progress.
   */
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw abortReason(signal);
    if (this.shared) await this.waitUntil(this.t + ms, signal);
    else {
      this.advance(ms);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (signal?.aborted) throw abortReason(signal);
  }

  /**
   * Resolves once virtual time reaches `at`. While other promise chains still
   * make progress (the clock or the queue changes within a turn) it only
   * yields; after a few idle turns it moves the clock to the next event.
   */
  async waitUntil(at: number, signal?: AbortSignal): Promise<void> {
    // An object, not a `let`: the scheduled callback sets it while this loop awaits.
    const wait = { arrived: this.t >= at };
    if (!wait.arrived)
      this.schedule(at, () => {
        wait.arrived = true;
      });
    let idle = 0;
    while (!wait.arrived && !signal?.aborted) {
      const seen = `${this.t}/${this.seq}/${this.queue.length}`;
      await new Promise<void>((resolve) => setImmediate(resolve));
      idle = seen === `${this.t}/${this.seq}/${this.queue.length}` ? idle + 1 : 0;
      const next = this.queue.at(0);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by the scheduled callback during the await above
      if (!wait.arrived && idle >= 3 && next) this.advance(Math.max(0, next.at - this.t));
    }
  }

  /** Same as sleep without the yield. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`VirtualClock.advance: ms must be >= 0, got ${ms}`);
    const target = this.t + ms;
    for (;;) {
      const next = this.queue[0];
      if (next === undefined || next.at > target) break;
      this.queue.shift();
      if (next.at > this.t) this.t = next.at;
      next.run();
    }
    this.t = target;
  }

  /** Schedules `run` at virtual time `at` (epoch ms); returns an id for cancel(). */
  schedule(at: number, run: () => void): number {
    const ev: SimEvent = { at, seq: ++this.seq, run };
    let i = this.queue.length;
    while (i > 0) {
      const prev = this.queue[i - 1] as SimEvent;
      if (prev.at <= at) break;
      i--;
    }
    this.queue.splice(i, 0, ev);
    return ev.seq;
  }

  cancel(id: number): void {
    const i = this.queue.findIndex((e) => e.seq === id);
    if (i >= 0) this.queue.splice(i, 1);
  }

  /** Virtual time of the next pending event, if any. */
  nextEventAt(): number | undefined {
    return this.queue[0]?.at;
  }

  pendingEvents(): number {
    return this.queue.length;
  }
}
