/**
 * The deployment record: what serves now and what served before, kept as tags
 * on the Auto Scaling group(s) under `asg-deploy:`. It is written once a
 * release holds all traffic (deploy or rollback) and is the source of truth for
 * `mode: rollback`. Pure: reading and writing the tags is the caller's.
 */
import type { Color } from '../inputs/config.js';
import { characters } from '../inputs/quote.js';

export const TAG_PREFIX = 'asg-deploy:';

/** One deployment as recorded. */
export interface DeploymentEntry {
  /** `version-label` of that run; '' when none was given. */
  versionLabel: string;
  launchTemplateId: string;
  /** As the group stored it: a number (or $Default when the group used that). */
  launchTemplateVersion: string;
  /** blue-green only. */
  color?: Color;
  /** The group that served it. */
  group: string;
  /** ISO 8601, when it took all traffic. */
  time: string;
  /** The run that deployed it ('' for a fleet found live before the first recorded run). */
  runUrl: string;
}

export interface DeploymentRecord {
  current: DeploymentEntry;
  previous?: DeploymentEntry;
}

/** Tag value limit of Auto Scaling. */
const MAX_VALUE = 256;

const FIELDS = ['version-label', 'launch-template', 'color', 'group', 'time', 'run-url'] as const;
type Field = (typeof FIELDS)[number];
type Slot = 'current' | 'previous';

function key(slot: Slot, field: Field): string {
  return `${TAG_PREFIX}${slot === 'previous' ? 'previous-' : ''}${field}`;
}

/** Every tag key of the record, for plan output and clean-up. */
export const RECORD_KEYS: readonly string[] = (['current', 'previous'] as const).flatMap((slot) =>
  FIELDS.map((field) => key(slot, field)),
);

/** The record as tags; an absent previous entry is written as empty values (so a stale one never lingers). */
export function recordTags(record: DeploymentRecord): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const slot of ['current', 'previous'] as const) {
    const entry = record[slot];
    const values: Record<Field, string> = {
      'version-label': entry?.versionLabel ?? '',
      'launch-template': entry ? `${entry.launchTemplateId}:${entry.launchTemplateVersion}` : '',
      color: entry?.color ?? '',
      group: entry?.group ?? '',
      time: entry?.time ?? '',
      'run-url': entry?.runUrl ?? '',
    };
    for (const field of FIELDS) tags[key(slot, field)] = tagValue(values[field]);
  }
  return tags;
}

/**
 * A tag value: at most 256 Unicode characters, counted and cut as code points
 * (a cut through a surrogate pair would leave half an emoji, which the SDK
 * cannot encode: `URI malformed`).
 */
export function tagValue(text: string): string {
  const chars = characters(text);
  return chars.length <= MAX_VALUE ? text : chars.slice(0, MAX_VALUE).join('');
}

/** The record in one group's tags; undefined when there is none (or it is unreadable). */
export function parseRecord(tags: Record<string, string>): DeploymentRecord | undefined {
  const current = parseEntry(tags, 'current');
  if (!current) return undefined;
  const previous = parseEntry(tags, 'previous');
  return previous ? { current, previous } : { current };
}

/** The newest record over several groups (blue and green carry the same one). */
export function newestRecord(tagsByGroup: Map<string, Record<string, string>>): DeploymentRecord | undefined {
  let newest: DeploymentRecord | undefined;
  for (const tags of tagsByGroup.values()) {
    const record = parseRecord(tags);
    if (record && (!newest || record.current.time > newest.current.time)) newest = record;
  }
  return newest;
}

/** `v1.2 (blue, launch template version 7)`: for headlines and the summary. */
export function describeEntry(entry: DeploymentEntry): string {
  const where = [entry.color, `launch template version ${entry.launchTemplateVersion}`].filter(Boolean);
  return `${entry.versionLabel || 'unlabelled version'} (${where.join(', ')})`;
}

function parseEntry(tags: Record<string, string>, slot: Slot): DeploymentEntry | undefined {
  const get = (field: Field) => tags[key(slot, field)] ?? '';
  const lt = /^(lt-[0-9a-zA-Z]+):(\S+)$/.exec(get('launch-template'));
  const time = get('time');
  if (!lt || time === '' || Number.isNaN(Date.parse(time))) return undefined;
  const color = get('color');
  return {
    versionLabel: get('version-label'),
    launchTemplateId: lt[1] ?? '',
    launchTemplateVersion: lt[2] ?? '',
    ...((color === 'blue' || color === 'green') && { color }),
    group: get('group'),
    time,
    runUrl: get('run-url'),
  };
}
