/**
 * The inputs of the staged flow (blue-green modes stage, promote and abort):
 * the preview listeners, the preview header and how long a stage blocks other runs.
 */
import { loadBalancerOf } from './arn.js';
import type { Mode, PreviewHeader } from './config.js';
import { formatDuration } from './duration.js';
import { ArnReader } from './elb.js';
import { readDuration } from './fields.js';
import { readPreviewHeader } from './preview-header.js';
import { quote } from './quote.js';
import type { InputReader } from './reader.js';

/** The modes of the staged flow. */
export const STAGED_MODES: readonly Mode[] = ['stage', 'promote', 'abort'];

const MIN_EXPIRY_MS = 60_000;
const MAX_EXPIRY_MS = 30 * 24 * 3_600_000;
/** A stage records each preview listener's actions in tags: a few listeners at most. */
export const MAX_PREVIEW_LISTENERS = 5;

export interface StageInputs {
  previewListenerArns: string[];
  previewHeader: PreviewHeader | undefined;
  stageExpiresAfterMs: number | undefined;
}

/** preview-listener-arns and stage-expires-after, checked against listener-arns and the mode. */
export function readStage(
  r: InputReader,
  p: {
    mode: Mode | undefined;
    region: string | undefined;
    listenerArns: string[];
    targetGroupsOnly: boolean;
  },
): StageInputs {
  const arns = new ArnReader(r, p.region);
  const previewListenerArns = arns.list(
    'preview-listener-arns',
    r.text('preview-listener-arns'),
    'alb-listener',
  );
  const staged = p.mode !== undefined && STAGED_MODES.includes(p.mode);
  if (staged && p.targetGroupsOnly) {
    r.problem(
      'mode',
      `${p.mode ?? 'this mode'} needs blue-auto-scaling-group and green-auto-scaling-group: a staged release is recorded on the groups, got target groups only`,
    );
  }
  const given = r.text('preview-header') !== '';
  const previewHeader = readPreviewHeader(r);
  if (p.mode === 'stage' && previewListenerArns.length === 0 && !given) {
    r.problem(
      'preview-listener-arns',
      'or preview-header is required in stage mode, got neither: test listeners that send requests to the staged fleet (production listeners are not touched), or a header (`Name: value`) whose requests a rule on each production listener sends to it',
    );
  }
  if (previewListenerArns.length > MAX_PREVIEW_LISTENERS) {
    r.problem(
      'preview-listener-arns',
      `must list at most ${MAX_PREVIEW_LISTENERS} listeners (their actions are recorded in the group tags), got ${previewListenerArns.length}`,
    );
  }
  if (previewHeader && p.listenerArns.length > MAX_PREVIEW_LISTENERS) {
    r.problem(
      'preview-header',
      `adds a rule to each listener of listener-arns, recorded in the group tags: at most ${MAX_PREVIEW_LISTENERS} listeners, got ${p.listenerArns.length}`,
    );
  }
  const production = new Set(p.listenerArns);
  const lbs = new Set(p.listenerArns.map(loadBalancerOf).filter((lb) => lb !== undefined));
  for (const arn of previewListenerArns) {
    if (production.has(arn)) {
      r.problem(
        'preview-listener-arns',
        `must not list a production listener (one in listener-arns), got ${quote(arn)}: a preview listener gets the staged fleet only`,
      );
      continue;
    }
    const lb = loadBalancerOf(arn);
    if (lb !== undefined && lbs.size > 0 && !lbs.has(lb)) {
      r.problem(
        'preview-listener-arns',
        `must be listeners of the load balancer of listener-arns (${[...lbs].join(', ')}), got ${quote(arn)} on load balancer ${lb}: a target group serves one load balancer only`,
      );
    }
  }
  const text = r.text('stage-expires-after');
  let stageExpiresAfterMs = readDuration(r, 'stage-expires-after', text);
  if (
    stageExpiresAfterMs !== undefined &&
    (stageExpiresAfterMs < MIN_EXPIRY_MS || stageExpiresAfterMs > MAX_EXPIRY_MS)
  ) {
    r.problem(
      'stage-expires-after',
      `must be between ${formatDuration(MIN_EXPIRY_MS)} and ${formatDuration(MAX_EXPIRY_MS)}, got ${quote(text)}`,
    );
    stageExpiresAfterMs = undefined;
  }
  return { previewListenerArns, previewHeader, stageExpiresAfterMs };
}
