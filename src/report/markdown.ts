/** Small Markdown helpers shared by the summary's sections. */

/** Keeps table cells intact: no pipe ends a cell early, no newline ends a row. */
export function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
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
