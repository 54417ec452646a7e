import type { Action, Aws } from '../index.js';
import type { Logger } from '../../engine/log.js';
import { waitGroupHealthy } from '../waits/group-health.js';
import type { StepContext, Undo, Undoer } from '../../engine/plan.js';
import { shortArn } from '../arn.js';
import { forwardsOnlyTo, sameRouteActions } from '../route-actions.js';
import { rollBackRefresh } from './roll-back-refresh.js';

/**
 * Puts back one recorded change. Idempotent: every undo restores a snapshot.
 * Undos that wait (Instance Refresh rollback, health) need `ctx` for its clock;
 * they are not cancellable (a cancel is what they answer) and have their own bound.
 */
export async function applyUndo(aws: Aws, undo: Undo, log: Logger, ctx?: StepContext): Promise<string> {
  switch (undo.kind) {
    case 'restore-route': {
      await aws.elbv2.writeRoute(undo.route, undo.actions);
      const [after] = await aws.elbv2.describeRoutes(
        undo.route.kind === 'listener' ? [undo.route.arn] : [],
        undo.route.kind === 'rule' ? [undo.route.arn] : [],
      );
      // Compared as JSON: an undo read back from runner state has lost its undefined fields.
      if (!after || !sameRouteActions(after.actions, undo.actions)) {
        throw new Error(
          `${undo.route.kind} ${undo.route.arn} reads back different from its recorded actions`,
        );
      }
      return `${undo.route.kind} ${shortArn(undo.route.arn)} restored and verified`;
    }
    case 'restore-group': {
      await aws.autoScaling.updateGroup(undo.group, {
        min: undo.min,
        max: undo.max,
        desired: undo.desired,
        launchTemplate: undo.launchTemplate,
      });
      const lt = undo.launchTemplate ? `, launch template version ${undo.launchTemplate.version}` : '';
      return `${undo.group} back to min ${undo.min} / desired ${undo.desired} / max ${undo.max}${lt}`;
    }
    case 'delete-created-versions': {
      const created = (await aws.ec2.versionsAfter(undo.launchTemplateId, undo.after)).filter(
        (v) => !v.isDefault && (v.description ?? '').includes(undo.marker),
      );
      for (const v of created) await aws.ec2.deleteVersion(undo.launchTemplateId, v.version);
      if (created.length === 0) log.info(`no launch template version of this run to delete`);
      return created.length === 0
        ? 'no version to delete'
        : `deleted launch template version ${created.map((v) => v.version).join(', ')}`;
    }
    case 'roll-back-instance-refresh':
      return rollBackRefresh(waiting(ctx, undo.waitMs), undo);
    case 'delete-marked-rules': {
      const tg = undo.targetGroupArn;
      const ours = (await aws.elbv2.listenerRules(undo.listenerArn)).filter(
        (r) =>
          hasMarker(r.conditions, undo) &&
          (tg === undefined || (r.conditions.length === 1 && forwardsOnlyTo(r.actions, tg))),
      );
      for (const rule of ours) await aws.elbv2.deleteRule(rule.arn);
      const what = tg === undefined ? 'health-check' : 'preview';
      return ours.length === 0 ? 'no rule of this run to delete' : `deleted ${ours.length} ${what} rule(s)`;
    }
    case 'recreate-rule':
      return recreateRule(aws, undo);
    case 'resume-processes': {
      await aws.autoScaling.resumeProcesses(undo.group, undo.processes);
      return `${undo.processes.join(', ')} resumed on ${undo.group}`;
    }
    case 'restore-tags':
      return restoreTags(aws, undo);
    case 'await-group-healthy': {
      const reading = await waitGroupHealthy(waiting(ctx, undo.waitMs), {
        what: `${undo.group} health after rollback`,
        group: undo.group,
        targetGroupArns: undo.targetGroupArns,
        timeoutMs: undo.waitMs,
      });
      return `${undo.group}: ${reading.summary}`;
    }
  }
}

/** True when the conditions hold the run's marker header with its value. */
export function hasMarker(
  conditions: { Field?: string; HttpHeaderConfig?: { HttpHeaderName?: string; Values?: string[] } }[],
  marker: { header: string; value: string },
): boolean {
  return conditions.some(
    (c) =>
      c.Field === 'http-header' &&
      c.HttpHeaderConfig?.HttpHeaderName?.toLowerCase() === marker.header.toLowerCase() &&
      (c.HttpHeaderConfig.Values ?? []).includes(marker.value),
  );
}

/** A context of its own for waiting in an undo: never aborted, bounded by `waitMs`. */
function waiting(ctx: StepContext | undefined, waitMs: number): StepContext {
  if (!ctx) throw new Error('this undo waits and needs the step context');
  return { ...ctx, signal: new AbortController().signal, deadline: ctx.clock.now() + waitMs };
}

/** What an undo puts back, in a few words: `listener web/…/f2f7dc8efc522ab2`. */
export function describeUndo(undo: Undo): string {
  switch (undo.kind) {
    case 'restore-route':
      return `${undo.route.kind} ${shortArn(undo.route.arn)}`;
    case 'restore-group':
      return undo.group;
    case 'delete-created-versions':
      return `versions of ${undo.launchTemplateId}`;
    case 'roll-back-instance-refresh':
      return `instance refresh of ${undo.group}`;
    case 'await-group-healthy':
      return `health of ${undo.group}`;
    case 'resume-processes':
      return `scaling processes of ${undo.group}`;
    case 'delete-marked-rules':
      return `rules of this run on listener ${shortArn(undo.listenerArn)}`;
    case 'recreate-rule':
      return `a rule at priority ${undo.priority} of listener ${shortArn(undo.listenerArn)}`;
    case 'restore-tags':
      return `${undo.prefix}… tags of ${undo.groups.join(', ')}`;
  }
}

/** The engine's Undoer on AWS (the runner's or the simulator's). */
export const awsUndoer: Undoer = {
  apply: (undo, ctx) => applyUndo(ctx.aws, undo, ctx.log, ctx),
  describe: describeUndo,
};

async function restoreTags(aws: Aws, undo: Extract<Undo, { kind: 'restore-tags' }>): Promise<string> {
  const now = await aws.autoScaling.readTags(undo.groups, undo.prefix);
  for (const group of undo.groups) {
    const want = undo.tags[group] ?? {};
    const extra = Object.keys(now.get(group) ?? {}).filter((key) => !(key in want));
    if (extra.length > 0) await aws.autoScaling.deleteTags([group], extra);
    if (Object.keys(want).length > 0) await aws.autoScaling.putTags([group], want);
  }
  return `${undo.prefix}… tags of ${undo.groups.join(', ')} restored`;
}

async function recreateRule(aws: Aws, undo: Extract<Undo, { kind: 'recreate-rule' }>): Promise<string> {
  const same = (r: { conditions: unknown; actions: Action[] }) =>
    sameJson(r.conditions, undo.conditions) && sameRouteActions(r.actions, undo.actions);
  const rules = await aws.elbv2.listenerRules(undo.listenerArn);
  const where = `listener ${shortArn(undo.listenerArn)}`;
  if (rules.some(same)) return `the rule is on ${where}`;
  const used = new Set(rules.map((r) => r.priority));
  let priority = undo.priority;
  for (let p = 1; used.has(priority) && p <= 50000; p++) priority = p;
  if (used.has(priority)) throw new Error(`${where} has no free rule priority to put the rule back`);
  let arn: string | undefined;
  try {
    arn = await aws.elbv2.createRule({
      listenerArn: undo.listenerArn,
      priority,
      conditions: undo.conditions,
      actions: undo.actions,
    });
  } catch (error) {
    // A retried CreateRule whose first answer was lost finds its rule there.
    arn = (await aws.elbv2.listenerRules(undo.listenerArn)).find(same)?.arn;
    if (arn === undefined) throw error;
  }
  if (undo.retag) {
    const { groups, key } = undo.retag;
    const tags = await aws.autoScaling.readTags(groups, key);
    const tagged = groups.filter((g) => tags.get(g)?.[key] !== undefined);
    if (tagged.length > 0) await aws.autoScaling.putTags(tagged, { [key]: arn });
  }
  return `the rule is back on ${where} at priority ${priority}`;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
