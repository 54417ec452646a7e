/**
 * `mode: status`: the staged release as the group tags carry it, read
 * leniently (a partial record still shows), and where it answers.
 */
import { shortArn } from '../aws/arn.js';
import { formatPreviewHeader } from '../inputs/preview-header.js';
import type { StagedRelease as StagedStatus } from '../report/model.js';
import { parseStaged, STAGED_EXPIRES_KEY, STAGED_RUN_KEY, STAGED_VERSION_KEY } from '../state/staged.js';

export function findStaged(
  groups: string[],
  tags: Map<string, Record<string, string>>,
  now: number,
): StagedStatus | undefined {
  for (const group of groups) {
    const t = tags.get(group) ?? {};
    const versionLabel = t[STAGED_VERSION_KEY];
    if (versionLabel === undefined || versionLabel === '') continue;
    const expires = t[STAGED_EXPIRES_KEY] ?? '';
    const at = Date.parse(expires);
    return {
      versionLabel,
      run: t[STAGED_RUN_KEY] ?? '',
      expires,
      // An expiry that cannot be read is never guessed away: the stage is taken as waiting.
      expired: !Number.isNaN(at) && at <= now,
      group,
      preview: previewRoutes(parseStaged(t)),
    };
  }
  return undefined;
}

/** Its preview listeners and header rules (none when its record cannot be read whole). */
function previewRoutes(reading: ReturnType<typeof parseStaged>): string[] {
  if (reading.kind !== 'staged') return [];
  const { previewListeners, previewRules, previewHeader } = reading.staged;
  const header = previewHeader ? formatPreviewHeader(previewHeader) : '?';
  return [
    ...previewListeners.map((l) => `listener ${shortArn(l.arn)}`),
    ...previewRules.map((arn) => `header ${header}: rule ${shortArn(arn)}`),
  ];
}
