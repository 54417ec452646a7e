/** Small Markdown helpers shared by the summary's sections. */

/**
 * Text from inputs or AWS as literal text anywhere in the summary (table cells,
 * headings, callouts): HTML is shown, not parsed (`<`, `>`, `&` as entities, so
 * no `<!--`, `</details>` or tag survives), Markdown punctuation that opens
 * markup is backslash-escaped (no link, image, emphasis, code span, math or
 * strike-through), no pipe ends a cell early, and line breaks become spaces
 * (no new row, heading or list).
 */
export function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~$]/g, (c) => `\\${c}`)
    .replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/**
 * A code span showing `text` exactly: fenced with one backtick more than the
 * longest run inside, padded when it starts or ends with one (CommonMark).
 */
export function codeSpan(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** `12:03:05`: UTC wall-clock time of an epoch-ms instant. */
export function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

export function table(header: string[], rows: string[][], align?: ('left' | 'right')[]): string[] {
  const rule = header.map((_, i) => (align?.[i] === 'right' ? '---:' : '---'));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`);
}

export function details(summary: string, body: string[]): string[] {
  return [`<details><summary>${summary}</summary>`, '', ...body, '', '</details>', ''];
}
