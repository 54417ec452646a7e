/**
 * Durations as the action inputs write them: `90` (seconds), `90s`, `5m`, `1h`,
 * `1h30m`, `1h30m15s`. Whole units only, so every value is a whole number of
 * seconds (Instance Refresh takes seconds). Results are milliseconds.
 */

const BARE_SECONDS = /^\d+$/;
const WITH_UNITS = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Milliseconds, or undefined when `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (BARE_SECONDS.test(t)) return safe(Number(t) * SECOND);
  const m = WITH_UNITS.exec(t);
  if (!m) return undefined;
  const [, h = '0', min = '0', s = '0'] = m;
  return safe(Number(h) * HOUR + Number(min) * MINUTE + Number(s) * SECOND);
}

function safe(ms: number): number | undefined {
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** `5400000` → `1h30m`; the inverse of parseDuration, for messages. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const h = Math.floor(ms / HOUR);
  const m = Math.floor((ms % HOUR) / MINUTE);
  const s = Math.floor((ms % MINUTE) / SECOND);
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}` || `${ms}ms`;
}
