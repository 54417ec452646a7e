/**
 * Quotes a value given by the user for an error message: control characters
 * escaped, long values cut, and anything that looks like a credential replaced,
 * because messages end up in public workflow logs.
 */

const MAX_SHOWN = 100;
const TAIL_SHOWN = 40;

const CREDENTIAL_PATTERNS: readonly RegExp[] = [
  /\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{16}\b/, // AWS access key / role / user ids
  /(?:^|[^A-Za-z0-9/+=])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*\d)[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/, // AWS secret access key
  /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/, // GitHub tokens
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\b(?:password|passwd|secret|token|api[_-]?key)\s*[=:]/i,
];

export function looksLikeCredential(value: string): boolean {
  return CREDENTIAL_PATTERNS.some((pattern) => pattern.test(value));
}

/** `"value"`, safe to print. */
export function quote(value: string): string {
  if (looksLikeCredential(value)) return '(a value that looks like a credential, not shown)';
  const escaped = value.replace(/\p{Cc}/gu, (c) =>
    c === '\n'
      ? '\\n'
      : c === '\r'
        ? '\\r'
        : c === '\t'
          ? '\\t'
          : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const chars = characters(escaped);
  if (chars.length <= MAX_SHOWN) return `"${escaped}"`;
  // Keep both ends: ARNs and ids differ mostly at the end.
  const head = chars.slice(0, MAX_SHOWN - TAIL_SHOWN - 1).join('');
  const tail = chars.slice(-TAIL_SHOWN).join('');
  return `"${head}…${tail}" (${characters(value).length} characters)`;
}

/** `text` split into Unicode code points (surrogate pairs kept whole): how the length limits here count characters. */
export function characters(text: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- code points on purpose (limits and truncation), not grapheme clusters
  return [...text];
}

/** True when `value` holds a control character (newline, tab, NUL, DEL, …). */
export function hasControlCharacter(value: string): boolean {
  return /\p{Cc}/u.test(value);
}
