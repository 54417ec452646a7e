/**
 * The writes of the staged flow, each a step with its undo: point preview
 * listeners at the staged color, put them back exactly, write and clear the
 * stage record (tags). Shared by stage, promote, abort and the take-over of an
 * expired stage.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Action } from '../aws/index.js';
import { shortArn } from '../aws/arn.js';
import { forwardsOnlyTo } from '../aws/route-actions.js';
import type { Step, StepContext, Undo } from '../engine/plan.js';
import { type StagedRelease, STAGED_PREFIX, stagedTags } from '../state/staged.js';

/** A preview listener: what it has now (pre-flight) and what it is to have. */
export interface PreviewChange {
  arn: string;
  /** Its default actions as pre-flight read them: the undo. */
  current: Action[];
  /** Its default actions after the step. */
  next: Action[];
}

/** The default action of a preview listener while staged: the staged color only. */
export function forwardOnly(targetGroupArn: string): Action[] {
  return [
    { Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: targetGroupArn, Weight: 1 }] } },
  ];
}

/** Writes each listener's `next` actions and reads them back; the undo writes `current` back. */
export function previewStep(p: {
  id: string;
  title: string;
  phase: Step['phase'];
  changes: PreviewChange[];
  detail: string;
  /** How a written listener must read back: `exact` (actions as recorded) or forwarding to this target group only. */
  verify: 'exact' | { onlyTo: string };
}): Step {
  return {
    id: p.id,
    title: p.title,
    phase: p.phase,
    writes: p.changes.map((c) => ({
      service: 'elbv2' as const,
      action: 'ModifyListener',
      target: c.arn,
      detail: p.detail,
    })),
    undo: p.changes.map((c): Undo => ({
      kind: 'restore-route',
      route: { kind: 'listener', arn: c.arn },
      actions: c.current,
    })),
    run: async (ctx) => {
      for (const c of p.changes) await ctx.aws.elbv2.writeRoute({ kind: 'listener', arn: c.arn }, c.next);
      await verifyListeners(ctx, p.changes, p.verify);
      return `${p.changes.length} preview listener(s) written and verified`;
    },
  };
}

async function verifyListeners(
  ctx: StepContext,
  changes: PreviewChange[],
  verify: 'exact' | { onlyTo: string },
): Promise<void> {
  const after = await ctx.aws.elbv2.describeRoutes(
    changes.map((c) => c.arn),
    [],
  );
  for (const route of after) {
    const want = changes.find((c) => c.arn === route.arn)?.next;
    const ok =
      verify === 'exact'
        ? isDeepStrictEqual(asJson(route.actions), asJson(want))
        : forwardsOnlyTo(route.actions, verify.onlyTo);
    if (!ok) {
      throw new Error(
        verify === 'exact'
          ? `listener ${shortArn(route.arn)} reads back different from its recorded actions`
          : `listener ${shortArn(route.arn)} reads back forwarding elsewhere than ${shortArn(verify.onlyTo)}`,
      );
    }
  }
}

/** The staged tags of each group as pre-flight read them: the undo of every tag write. */
export type StagedTagSnapshot = Record<string, Record<string, string>>;

function restoreTags(groups: string[], snapshot: StagedTagSnapshot): Undo {
  return { kind: 'restore-tags', groups, prefix: STAGED_PREFIX, tags: snapshot };
}

/** Writes the stage record on every group (replacing any earlier one). */
export function recordStageStep(groups: string[], staged: StagedRelease, snapshot: StagedTagSnapshot): Step {
  const tags = stagedTags(staged);
  return {
    id: 'record-stage',
    title: `Record the staged release in the tags of ${groups.join(', ')}`,
    phase: 'deploy',
    writes: [
      {
        service: 'autoscaling',
        action: 'CreateOrUpdateTags',
        target: groups.join(', '),
        detail: `stage record: ${staged.versionLabel || 'unlabelled version'} on ${staged.color}, ${Object.keys(tags).length} tag(s) ${STAGED_PREFIX}…, expires ${new Date(staged.expiresAt).toISOString()}`,
      },
    ],
    undo: [restoreTags(groups, snapshot)],
    run: async (ctx) => {
      const stale = Object.fromEntries(
        groups.map((g) => [g, Object.keys(snapshot[g] ?? {}).filter((k) => !(k in tags))]),
      );
      for (const group of groups) {
        const keys = stale[group] ?? [];
        if (keys.length > 0) await ctx.aws.autoScaling.deleteTags([group], keys);
      }
      await ctx.aws.autoScaling.putTags(groups, tags);
      return `staged until ${new Date(staged.expiresAt).toISOString()}`;
    },
  };
}

/** Deletes the stage record from every group. */
export function clearStageStep(p: {
  groups: string[];
  snapshot: StagedTagSnapshot;
  phase: Step['phase'];
  why: string;
}): Step {
  const keys = [...new Set(Object.values(p.snapshot).flatMap((tags) => Object.keys(tags)))];
  return {
    id: 'clear-stage',
    title: `Clear the stage record from ${p.groups.join(', ')} (${p.why})`,
    phase: p.phase,
    writes: [
      {
        service: 'autoscaling',
        action: 'DeleteTags',
        target: p.groups.join(', '),
        detail: `${keys.length} tag(s) ${STAGED_PREFIX}…`,
      },
    ],
    ...(p.phase === 'deploy' && { undo: [restoreTags(p.groups, p.snapshot)] }),
    run: async (ctx) => {
      const now = await ctx.aws.autoScaling.readTags(p.groups, STAGED_PREFIX);
      for (const group of p.groups) {
        const present = Object.keys(now.get(group) ?? {});
        if (present.length > 0) await ctx.aws.autoScaling.deleteTags([group], present);
      }
      return 'stage record cleared';
    },
  };
}

/** The staged tags of each group, from a tag reading (all asg-deploy: tags). */
export function stagedSnapshot(
  groups: string[],
  tags: Map<string, Record<string, string>>,
): StagedTagSnapshot {
  return Object.fromEntries(
    groups.map((g) => [
      g,
      Object.fromEntries(Object.entries(tags.get(g) ?? {}).filter(([k]) => k.startsWith(STAGED_PREFIX))),
    ]),
  );
}

function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null)) as unknown;
}
