/** Tries `work` up to `attempts` times, sleeping `delayMs` between tries; the last failure is thrown. */
export async function retry<T>(
  work: () => Promise<T>,
  p: {
    attempts: number;
    delayMs: number;
    sleep: (ms: number) => Promise<void>;
    /** Told of each failure that is retried (attempt counts from 1). */
    onRetry?: (error: unknown, attempt: number) => void;
  },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= p.attempts) throw error;
      p.onRetry?.(error, attempt);
      await p.sleep(p.delayMs);
    }
  }
}
