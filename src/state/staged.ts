/**
 * The staged release: what `mode: stage` readied on the idle color and exposed
 * on preview listeners, kept as tags `asg-deploy:staged-…` on both groups
 * until `mode: promote` or `mode: abort` ends it. Another run reading these
 * tags (deploy, stage, rollback) is refused while the stage is live; an expired
 * stage is taken over with a warning. Pure: reading and writing the tags is the caller's.
 */
import type { Action } from '../aws/elbv2.js';
import type { Color, PreviewHeader } from '../inputs/config.js';
import { TAG_PREFIX } from './record.js';

export const STAGED_PREFIX = `${TAG_PREFIX}staged-`;
/** Read by `mode: status` too: keep these names. */
export const STAGED_VERSION_KEY = `${STAGED_PREFIX}version-label`;
export const STAGED_RUN_KEY = `${STAGED_PREFIX}run`;
export const STAGED_EXPIRES_KEY = `${STAGED_PREFIX}expires`;
const COLOR_KEY = `${STAGED_PREFIX}color`;
const GROUP_KEY = `${STAGED_PREFIX}group`;
const TEMPLATE_KEY = `${STAGED_PREFIX}launch-template`;
const BEFORE_KEY = `${STAGED_PREFIX}before`;
const TIME_KEY = `${STAGED_PREFIX}time`;
const HEADER_KEY = `${STAGED_PREFIX}preview-header`;
const CREATED_KEY = `${STAGED_PREFIX}created-version`;
const previewKey = (n: number) => `${STAGED_PREFIX}preview-${n}`;
/** The tag of the n-th preview rule's ARN (from 1). */
export const ruleKey = (n: number) => `${STAGED_PREFIX}preview-rule-${n}`;
const chunkKey = (n: number, m: number) => `${STAGED_PREFIX}preview-${n}-actions-${m}`;

/** Tag value limit of Auto Scaling. */
const MAX_VALUE = 256;
/** Tag chunks one preview listener's actions may take (a group holds 50 tags in all). */
export const MAX_CHUNKS = 6;

export interface GroupSettings {
  min: number;
  max: number;
  desired: number;
  launchTemplate?: { id: string; version: string };
}

/** A preview listener and the default actions it had before the stage (restored at promote/abort). */
export interface PreviewListener {
  arn: string;
  actions: Action[];
}

export interface StagedRelease {
  /** '' when the stage had no version-label. */
  versionLabel: string;
  /** The run that staged it (URL, or id outside Actions). */
  runUrl: string;
  /** Epoch ms after which the stage may be taken over. */
  expiresAt: number;
  /** Epoch ms it was staged. */
  stagedAt: number;
  color: Color;
  group: string;
  /** What the staged group runs. */
  launchTemplate: { id: string; version: string };
  /** What the staged group had before the stage: abort returns it there. */
  before: GroupSettings;
  previewListeners: PreviewListener[];
  /** `preview-header`: requests with it reach the staged color through `previewRules`. */
  previewHeader?: PreviewHeader;
  /** The rules the stage added to the production listeners (ARNs; the listener is in the ARN). */
  previewRules: string[];
  /**
   * The marker in the description of the launch template version the stage
   * created (an image stage): abort deletes that version. Absent when the stage
   * deployed an existing version.
   */
  createdVersionMarker?: string;
}

/** The record as tags; throws when a preview listener's actions do not fit. */
export function stagedTags(staged: StagedRelease): Record<string, string> {
  const tags: Record<string, string> = {
    [STAGED_VERSION_KEY]: staged.versionLabel.slice(0, MAX_VALUE),
    [STAGED_RUN_KEY]: staged.runUrl.slice(0, MAX_VALUE),
    [STAGED_EXPIRES_KEY]: new Date(staged.expiresAt).toISOString(),
    [TIME_KEY]: new Date(staged.stagedAt).toISOString(),
    [COLOR_KEY]: staged.color,
    [GROUP_KEY]: staged.group,
    [TEMPLATE_KEY]: `${staged.launchTemplate.id}:${staged.launchTemplate.version}`,
    [BEFORE_KEY]: describeSettings(staged.before),
  };
  if (staged.previewHeader) tags[HEADER_KEY] = `${staged.previewHeader.name}: ${staged.previewHeader.value}`;
  if (staged.createdVersionMarker) tags[CREATED_KEY] = staged.createdVersionMarker.slice(0, MAX_VALUE);
  staged.previewRules.forEach((arn, i) => {
    tags[ruleKey(i + 1)] = arn;
  });
  staged.previewListeners.forEach((listener, i) => {
    tags[previewKey(i + 1)] = listener.arn;
    chunksOf(JSON.stringify(listener.actions)).forEach((chunk, j) => {
      tags[chunkKey(i + 1, j + 1)] = chunk;
    });
  });
  return tags;
}

/** Splits a value into tag-sized chunks; throws when it needs more than MAX_CHUNKS. */
export function chunksOf(text: string): string[] {
  const chunks: string[] = [];
  for (let at = 0; at < text.length; at += MAX_VALUE) chunks.push(text.slice(at, at + MAX_VALUE));
  if (chunks.length > MAX_CHUNKS) {
    throw new Error(
      `actions of ${text.length} characters do not fit in ${MAX_CHUNKS} tags of ${MAX_VALUE} characters`,
    );
  }
  return chunks;
}

/** `min=0 max=0 desired=0 launch-template=lt-0abc:1`. */
function describeSettings(s: GroupSettings): string {
  const lt = s.launchTemplate ? ` launch-template=${s.launchTemplate.id}:${s.launchTemplate.version}` : '';
  return `min=${s.min} max=${s.max} desired=${s.desired}${lt}`;
}

function parseSettings(text: string): GroupSettings | undefined {
  const m = /^min=(\d+) max=(\d+) desired=(\d+)(?: launch-template=(lt-[0-9a-zA-Z]+):(\S+))?$/.exec(text);
  if (!m) return undefined;
  return {
    min: Number(m[1]),
    max: Number(m[2]),
    desired: Number(m[3]),
    ...(m[4] !== undefined && m[5] !== undefined && { launchTemplate: { id: m[4], version: m[5] } }),
  };
}

/** Every staged key present in one group's tags (for clearing them). */
export function stagedKeys(tags: Record<string, string>): string[] {
  return Object.keys(tags).filter((key) => key.startsWith(STAGED_PREFIX));
}

export type StagedReading =
  | { kind: 'none' }
  | { kind: 'staged'; staged: StagedRelease }
  /** Staged keys that cannot be read back: treated as staged until cleared (never guessed away). */
  | { kind: 'unreadable'; versionLabel: string; runUrl: string };

/** The stage record in one group's tags. */
export function parseStaged(tags: Record<string, string> | undefined): StagedReading {
  if (!tags || stagedKeys(tags).length === 0) return { kind: 'none' };
  const versionLabel = tags[STAGED_VERSION_KEY] ?? '';
  const runUrl = tags[STAGED_RUN_KEY] ?? '';
  const unreadable = { kind: 'unreadable' as const, versionLabel, runUrl };
  const expiresAt = Date.parse(tags[STAGED_EXPIRES_KEY] ?? '');
  const stagedAt = Date.parse(tags[TIME_KEY] ?? '');
  const color = tags[COLOR_KEY];
  const lt = /^(lt-[0-9a-zA-Z]+):(\S+)$/.exec(tags[TEMPLATE_KEY] ?? '');
  const before = parseSettings(tags[BEFORE_KEY] ?? '');
  const group = tags[GROUP_KEY] ?? '';
  if (Number.isNaN(expiresAt) || (color !== 'blue' && color !== 'green') || !lt || !before || !group)
    return unreadable;
  const previewListeners: PreviewListener[] = [];
  for (let n = 1; tags[previewKey(n)] !== undefined; n++) {
    let json = '';
    for (let m = 1; tags[chunkKey(n, m)] !== undefined; m++) json += tags[chunkKey(n, m)] ?? '';
    try {
      const actions = JSON.parse(json) as unknown;
      if (!Array.isArray(actions)) return unreadable;
      previewListeners.push({ arn: tags[previewKey(n)] ?? '', actions: actions as Action[] });
    } catch {
      return unreadable;
    }
  }
  const header = parseHeader(tags[HEADER_KEY]);
  if (header === null) return unreadable;
  const previewRules: string[] = [];
  for (let n = 1; tags[ruleKey(n)] !== undefined; n++) previewRules.push(tags[ruleKey(n)] ?? '');
  const created = tags[CREATED_KEY];
  return {
    kind: 'staged',
    staged: {
      versionLabel,
      runUrl,
      expiresAt,
      stagedAt: Number.isNaN(stagedAt) ? 0 : stagedAt,
      color,
      group,
      launchTemplate: { id: lt[1] ?? '', version: lt[2] ?? '' },
      before,
      previewListeners,
      ...(header && { previewHeader: header }),
      previewRules,
      ...(created !== undefined && created !== '' && { createdVersionMarker: created }),
    },
  };
}

/** `Name: value` → the header; undefined when absent, null when unreadable. */
function parseHeader(text: string | undefined): PreviewHeader | undefined | null {
  if (text === undefined) return undefined;
  const colon = text.indexOf(':');
  const name = text.slice(0, colon).trim();
  const value = text.slice(colon + 1).trim();
  return colon < 1 || name === '' || value === '' ? null : { name, value };
}

/** The stage on any of the groups (blue and green carry the same one). */
export function findStaged(tagsByGroup: Map<string, Record<string, string>>): StagedReading {
  let found: StagedReading = { kind: 'none' };
  for (const tags of tagsByGroup.values()) {
    const reading = parseStaged(tags);
    if (reading.kind === 'staged') return reading;
    if (reading.kind === 'unreadable') found = reading;
  }
  return found;
}

/** `v1.3 (staged by https://…/runs/12)`. */
export function describeStaged(s: { versionLabel: string; runUrl: string }): string {
  return `${s.versionLabel || 'an unlabelled version'} (staged by ${s.runUrl || 'an unknown run'})`;
}

export class StagedError extends Error {
  override readonly name = 'StagedError';
}

/**
 * Refuses a deploy, stage or rollback while a release is staged on the groups.
 * Returns the expired stage to take over (with a warning), if any.
 */
export function checkStaged(
  reading: StagedReading,
  mode: string,
  now: number,
  warn: (message: string) => void,
): StagedRelease | undefined {
  if (reading.kind === 'none') return undefined;
  if (reading.kind === 'staged' && reading.staged.expiresAt <= now) {
    warn(
      `taking over the expired stage of ${describeStaged(reading.staged)}, expired ${new Date(reading.staged.expiresAt).toISOString()}: its preview listeners are restored first`,
    );
    return reading.staged;
  }
  const what = reading.kind === 'staged' ? describeStaged(reading.staged) : describeStaged(reading);
  throw new StagedError(
    `a release is staged: ${what}. Nothing was changed. A ${mode} cannot run while a release is staged: run with mode: promote to send it production traffic, or mode: abort to take it down, then run again.`,
  );
}
