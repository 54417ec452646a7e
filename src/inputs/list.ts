/**
 * List inputs: items separated by newlines or commas (YAML block scalars and
 * one-liners both work), trimmed, empty items dropped.
 */
export interface ParsedList {
  items: string[];
  /** Items given more than once, each named once, in order of first repeat. */
  duplicates: string[];
}

export function parseList(text: string): ParsedList {
  const items = text
    .split(/[\r\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const item of items) {
    if (seen.has(item)) duplicates.add(item);
    seen.add(item);
  }
  return { items, duplicates: [...duplicates] };
}
