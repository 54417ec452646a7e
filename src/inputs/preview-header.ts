/**
 * `preview-header`: `Name: value`. A stage adds a rule on each production
 * listener that sends requests carrying this header to the staged color only.
 * Checked against what ALB's CreateRule accepts for an http-header condition
 * (HttpHeaderConditionConfig): a name of at most 40 characters made of RFC 7230
 * token characters, not `Host`; a value of at most 128 characters, where `*`
 * and `?` are wildcards; both compared case-insensitively.
 */
import type { PreviewHeader } from './config.js';
import { quote } from './quote.js';
import type { InputReader } from './reader.js';

export const MAX_HEADER_NAME = 40;
export const MAX_HEADER_VALUE = 128;
/** RFC 7230 `token` (tchar): the characters a header field name is made of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible ASCII and inner spaces (RFC 7230 field-value without obs-text). */
const VALUE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** Reads `preview-header`; undefined when not given or wrong (each problem names the input). */
export function readPreviewHeader(r: InputReader): PreviewHeader | undefined {
  const text = r.text('preview-header');
  if (text === '') return undefined;
  const colon = text.indexOf(':');
  if (colon < 0) {
    r.problem('preview-header', `must be "Name: value" (e.g. "X-Preview: 7f3c"), got ${quote(text)}`);
    return undefined;
  }
  const name = text.slice(0, colon).trim();
  const value = text.slice(colon + 1).trim();
  const problems: string[] = [];
  if (name === '') problems.push(`has no header name before the colon, got ${quote(text)}`);
  else if (!TOKEN.test(name))
    problems.push(
      `header name ${quote(name)} may contain only letters, digits and !#$%&'*+-.^_\`|~ (an RFC 7230 token)`,
    );
  else if (name.length > MAX_HEADER_NAME)
    problems.push(`header name must be at most ${MAX_HEADER_NAME} characters, got ${name.length}`);
  else if (name.toLowerCase() === 'host')
    problems.push('cannot match the Host header: ALB refuses it in an http-header condition');
  if (value === '') problems.push(`has no value after the colon, got ${quote(text)}`);
  else if (!VALUE.test(value))
    problems.push(`header value ${quote(value)} may contain only printable ASCII characters`);
  else if (value.length > MAX_HEADER_VALUE)
    problems.push(`header value must be at most ${MAX_HEADER_VALUE} characters, got ${value.length}`);
  for (const message of problems) r.problem('preview-header', message);
  if (problems.length > 0) return undefined;
  if (/[*?]/.test(value)) {
    r.warn(
      'preview-header',
      `value ${quote(value)} holds * or ?, which ALB reads as wildcards: every request whose ${name} header matches the pattern reaches the staged fleet`,
    );
  }
  return { name, value };
}

/** `X-Preview: 7f3c`. */
export function formatPreviewHeader(h: PreviewHeader): string {
  return `${h.name}: ${h.value}`;
}

/** The same header as ALB matches it: names and values case-insensitively. */
export function sameHeader(a: PreviewHeader, b: PreviewHeader): boolean {
  return a.name.toLowerCase() === b.name.toLowerCase() && a.value.toLowerCase() === b.value.toLowerCase();
}
