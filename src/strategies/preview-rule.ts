/**
 * The preview header's rules (`preview-header`): on each production listener a
 * rule whose one condition is the header (http-header, one value) and whose one
 * action forwards to the staged color only. Nothing else of the listener is
 * written: its default action and every other rule stay as they are.
 *
 * Priority: the lowest number no rule of the listener uses (ALB evaluates rules
 * from the lowest number up, so it goes before every rule it can without
 * renumbering anyone's rules). When lower numbers are taken, those rules are
 * evaluated first and a preview request they match goes where they send it:
 * pre-flight says so in a warning.
 *
 * The rule is this action's by its shape: that header and value, forwarding to
 * that target group only. Pre-flight refuses a listener that already has a
 * rule matching the same header and value, so a rule of that shape found later
 * was made by a stage; the undo (`delete-marked-rules` with the target group)
 * deletes only such rules, and the stage record keeps their ARNs for promote
 * and abort.
 */
import type { Aws, ListenerRule, Route } from '../aws/index.js';
import { shortArn } from '../aws/arn.js';
import type { PlannedWrite, Step, StepContext, Undo } from '../engine/plan.js';
import type { Color, PreviewHeader } from '../inputs/config.js';
import { formatPreviewHeader } from '../inputs/preview-header.js';
import { ruleKey } from '../state/staged.js';
import { errorMessage } from '../util/errors.js';
import { forwardsOnlyTo } from '../aws/route-actions.js';

export const HIGHEST_RULE_PRIORITY = 50000;
/** Attempts at a free priority when someone else takes the one chosen (PriorityInUse) meanwhile. */
const CREATE_ATTEMPTS = 3;

/** The lowest priority no rule of the listener uses. */
export function lowestFreePriority(rules: readonly Pick<ListenerRule, 'priority'>[]): number | undefined {
  const used = new Set(rules.map((r) => r.priority));
  for (let p = 1; p <= HIGHEST_RULE_PRIORITY; p++) if (!used.has(p)) return p;
  return undefined;
}

/** A rule whose conditions match this header and value (ALB compares both case-insensitively). */
export function matchesHeader(rule: Pick<ListenerRule, 'conditions'>, header: PreviewHeader): boolean {
  return rule.conditions.some(
    (c) =>
      c.Field === 'http-header' &&
      c.HttpHeaderConfig?.HttpHeaderName?.toLowerCase() === header.name.toLowerCase() &&
      (c.HttpHeaderConfig.Values ?? []).some((v) => v.toLowerCase() === header.value.toLowerCase()),
  );
}

/** A rule of the preview's shape: only that header condition, forwarding to that target group only. */
export function isPreviewRule(
  rule: Pick<ListenerRule, 'conditions' | 'actions'>,
  header: PreviewHeader,
  targetGroupArn: string,
): boolean {
  return (
    rule.conditions.length === 1 &&
    matchesHeader(rule, header) &&
    forwardsOnlyTo(rule.actions, targetGroupArn)
  );
}

/** What pre-flight read of one production listener for the preview rule. */
export interface PreviewRulePlan {
  listener: Route;
  /** The priority a rule would get now (the step reads the rules again). */
  priority: number;
  /** Rules evaluated before it (lower numbers). */
  before: number;
}

/**
 * Pre-flight of the preview rules: reads each production listener's rules.
 * Problems: a rule already matches the same header and value (other than the
 * expired stage's `replaced` rules), or no priority is free. Warns when rules
 * go before the preview rule.
 */
export async function planPreviewRules(
  aws: Aws,
  p: { listeners: Route[]; header: PreviewHeader; replaced: readonly string[] },
  problems: string[],
  warn: (message: string) => void,
): Promise<PreviewRulePlan[]> {
  const plans: PreviewRulePlan[] = [];
  const shown = formatPreviewHeader(p.header);
  for (const listener of p.listeners.filter((r) => r.kind === 'listener')) {
    const name = `listener ${shortArn(listener.arn)}`;
    let rules: ListenerRule[];
    try {
      rules = (await aws.elbv2.listenerRules(listener.arn)).filter((r) => !p.replaced.includes(r.arn));
    } catch (error) {
      problems.push(`preview-header: the rules of ${name} cannot be read: ${errorMessage(error)}`);
      continue;
    }
    const clash = rules.find((r) => matchesHeader(r, p.header));
    if (clash) {
      problems.push(
        `preview-header: ${name} already has a rule at priority ${clash.priority} (${shortArn(clash.arn)}) that matches ${shown}: a preview rule would compete with it. Choose another preview-header value, or delete that rule.`,
      );
      continue;
    }
    const priority = lowestFreePriority(rules);
    if (priority === undefined) {
      problems.push(`preview-header: ${name} has no free rule priority (1-${HIGHEST_RULE_PRIORITY})`);
      continue;
    }
    const before = rules.filter((r) => r.priority < priority).length;
    if (before > 0) {
      warn(
        `preview-header: priorities 1-${priority - 1} of ${name} are taken: the preview rule gets priority ${priority}, and those ${before} rule(s) are evaluated first (a request with ${shown} that one of them matches goes where that rule sends it)`,
      );
    }
    plans.push({ listener, priority, before });
  }
  return plans;
}

function where(listener: Route): string {
  const port = listener.port === undefined ? '' : ` (${listener.protocol ?? 'HTTP'}:${listener.port})`;
  return `${shortArn(listener.arn)}${port}`;
}

/** Creates the preview rule on each production listener and reads them back; the undo deletes rules of that shape. */
export function createPreviewRulesStep(p: {
  plans: PreviewRulePlan[];
  header: PreviewHeader;
  color: Color;
  targetGroupArn: string;
}): Step {
  const shown = formatPreviewHeader(p.header);
  const writes: PlannedWrite[] = p.plans.map((plan) => ({
    service: 'elbv2',
    action: 'CreateRule',
    target: plan.listener.arn,
    detail: `priority ${plan.priority} (lowest free): requests with header ${shown} forward to ${p.color} (${shortArn(p.targetGroupArn)}) only`,
  }));
  const undo = p.plans.map((plan): Undo => ({
    kind: 'delete-marked-rules',
    listenerArn: plan.listener.arn,
    header: p.header.name,
    value: p.header.value,
    targetGroupArn: p.targetGroupArn,
  }));
  return {
    id: 'preview-rules',
    title: `Add a rule for header ${shown} to ${p.plans.length} production listener(s), forwarding to ${p.color} only`,
    phase: 'deploy',
    writes,
    undo,
    run: async (ctx) => {
      const made: string[] = [];
      for (const plan of p.plans) {
        const priority = await createPreviewRule(ctx, plan.listener.arn, p);
        made.push(`priority ${priority} on ${where(plan.listener)}`);
      }
      return `rule(s) at ${made.join(', ')}`;
    },
  };
}

/** One listener: create the rule at the lowest free priority (again after a PriorityInUse), then read it back. */
async function createPreviewRule(
  ctx: StepContext,
  listenerArn: string,
  p: { header: PreviewHeader; targetGroupArn: string },
): Promise<number> {
  const ours = (rules: ListenerRule[]) => rules.filter((r) => isPreviewRule(r, p.header, p.targetGroupArn));
  for (let attempt = 1; ; attempt++) {
    const rules = await ctx.aws.elbv2.listenerRules(listenerArn);
    const found = ours(rules);
    // A retried step (or a CreateRule whose answer was lost) finds its rule there.
    if (found.length > 0) return found[0]?.priority ?? 0;
    const priority = lowestFreePriority(rules);
    if (priority === undefined)
      throw new Error(`listener ${shortArn(listenerArn)} has no free rule priority`);
    try {
      await ctx.aws.elbv2.createRule({
        listenerArn,
        priority,
        conditions: [
          {
            Field: 'http-header',
            HttpHeaderConfig: { HttpHeaderName: p.header.name, Values: [p.header.value] },
          },
        ],
        actions: [{ Type: 'forward', TargetGroupArn: p.targetGroupArn }],
      });
    } catch (error) {
      const taken = error instanceof Error && error.name === 'PriorityInUseException';
      if (!taken || attempt >= CREATE_ATTEMPTS) throw error;
      ctx.log.info(
        `priority ${priority} of listener ${shortArn(listenerArn)} was taken meanwhile (${errorMessage(error)}): choosing again`,
      );
      continue;
    }
    const after = ours(await ctx.aws.elbv2.listenerRules(listenerArn));
    if (after.length !== 1) {
      throw new Error(
        `listener ${shortArn(listenerArn)} reads back ${after.length} preview rule(s) for ${formatPreviewHeader(p.header)} after CreateRule, expected 1`,
      );
    }
    return after[0]?.priority ?? priority;
  }
}

/** The listener of a rule ARN (`…:listener-rule/app/lb/id/listener/rule` → `…:listener/app/lb/id/listener`). */
export function listenerOfRule(ruleArn: string): string {
  return ruleArn.replace(':listener-rule/', ':listener/').replace(/\/[^/]+$/, '');
}

/** A preview rule as read now, to delete (and to put back, when a later step fails). */
interface RuleNow extends ListenerRule {
  listenerArn: string;
  /** The stage record's tag that names it, when recorded. */
  tag?: string;
}

/**
 * Deletes a stage's preview rules: those it recorded, and any other rule of
 * the preview's shape on those listeners (one put back by a rolled-back abort
 * has a new ARN). The undo of a `deploy` step puts each rule back as read.
 */
function deletePreviewRulesStep(p: {
  rules: RuleNow[];
  groups: string[];
  header: PreviewHeader | undefined;
  phase: Step['phase'];
  why: string;
}): Step {
  const arns = p.rules.map((r) => r.arn);
  return {
    id: 'delete-preview-rules',
    title: `Delete the ${p.rules.length} preview rule(s)${p.header ? ` for header ${formatPreviewHeader(p.header)}` : ''} (${p.why})`,
    phase: p.phase,
    writes: p.rules.map((r) => ({
      service: 'elbv2',
      action: 'DeleteRule',
      target: r.arn,
      detail: `the preview rule at priority ${r.priority} of listener ${shortArn(r.listenerArn)}`,
    })),
    ...(p.phase === 'deploy' && {
      undo: p.rules.map((r): Undo => ({
        kind: 'recreate-rule',
        listenerArn: r.listenerArn,
        priority: r.priority,
        conditions: r.conditions,
        actions: r.actions,
        ...(r.tag !== undefined && { retag: { groups: p.groups, key: r.tag } }),
      })),
    }),
    run: async (ctx) => {
      await deleteRules(ctx, arns);
      return `${arns.length} preview rule(s) deleted`;
    },
  };
}

/** Deletes each rule and checks that none of them is still on its listener. */
async function deleteRules(ctx: StepContext, ruleArns: readonly string[]): Promise<void> {
  for (const arn of ruleArns) await ctx.aws.elbv2.deleteRule(arn);
  for (const listenerArn of new Set(ruleArns.map(listenerOfRule))) {
    const left = await rulesOf(ctx.aws, listenerArn);
    const still = left.filter((r) => ruleArns.includes(r.arn));
    if (still.length > 0)
      throw new Error(`rule(s) ${still.map((r) => shortArn(r.arn)).join(', ')} still there after DeleteRule`);
  }
}

/** A listener's rules; none when the listener was deleted since. */
async function rulesOf(aws: Aws, listenerArn: string): Promise<ListenerRule[]> {
  try {
    return await aws.elbv2.listenerRules(listenerArn);
  } catch (error) {
    if (error instanceof Error && error.name === 'ListenerNotFoundException') return [];
    throw error;
  }
}

/** The step deleting a stage's preview rules, when any is there (read now: pre-flight). */
export async function stagedRulesDeletion(
  aws: Aws,
  p: {
    staged: { previewHeader?: PreviewHeader; previewRules: string[] };
    /** The groups that carry the stage record. */
    groups: string[];
    /** The staged color's target group: rules of the preview's shape forwarding there are the stage's too. */
    targetGroupArn: string | undefined;
    phase: Step['phase'];
    why: string;
  },
): Promise<Step[]> {
  const { previewRules, previewHeader: header } = p.staged;
  const rules: RuleNow[] = [];
  for (const listenerArn of new Set(previewRules.map(listenerOfRule))) {
    for (const rule of await rulesOf(aws, listenerArn)) {
      const shaped =
        header !== undefined &&
        p.targetGroupArn !== undefined &&
        isPreviewRule(rule, header, p.targetGroupArn);
      const at = previewRules.indexOf(rule.arn);
      if (at >= 0 || shaped) rules.push({ ...rule, listenerArn, ...(at >= 0 && { tag: ruleKey(at + 1) }) });
    }
  }
  if (rules.length === 0) return [];
  return [deletePreviewRulesStep({ rules, groups: p.groups, header, phase: p.phase, why: p.why })];
}
