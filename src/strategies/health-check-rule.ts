/**
 * While recreate's listeners serve the maintenance response, no action forwards
 * to the group's target groups, and AWS stops health-checking their targets
 * (they read `unused`). A listener rule that forwards to them, matching only a
 * header no client sends, keeps them in use, so the new fleet is proven healthy
 * before any user reaches it. The rule carries the run's token: whatever made
 * it, the undo finds and deletes it.
 */
import type { Action } from '../aws/index.js';
import type { Step, StepContext, Undo } from '../engine/plan.js';
import { shortArn } from '../aws/arn.js';
import { hasMarker } from '../aws/undo/apply-undo.js';

export const HEALTH_RULE_HEADER = 'X-Asg-Deploy-Health-Check';
const HIGHEST_PRIORITY = 50000;

export function healthCheckRuleSteps(p: {
  listenerArn: string;
  targetGroupArns: string[];
  runToken: string;
}): { add: Step; remove: Step } {
  const marker = { header: HEALTH_RULE_HEADER, value: p.runToken };
  const undo: Undo = { kind: 'delete-marked-rules', listenerArn: p.listenerArn, ...marker };
  const where = `listener ${shortArn(p.listenerArn)}`;
  return {
    add: {
      id: 'health-check-rules',
      title: `Keep ${p.targetGroupArns.length} target group(s) health-checked during maintenance (a rule no client matches)`,
      phase: 'deploy',
      writes: p.targetGroupArns.map((tg) => ({
        service: 'elbv2',
        action: 'CreateRule',
        target: p.listenerArn,
        detail: `forward to ${shortArn(tg)} when header ${HEALTH_RULE_HEADER} is this run's token`,
      })),
      undo: [undo],
      undoAlways: true,
      run: async (ctx) => {
        for (const tg of p.targetGroupArns) await addRule(ctx, p.listenerArn, tg, marker);
        return `${p.targetGroupArns.length} rule(s) on ${where}`;
      },
    },
    remove: {
      id: 'remove-health-check-rules',
      title: `Delete the health-check rule(s) from ${where}`,
      phase: 'cleanup',
      writes: [
        { service: 'elbv2', action: 'DeleteRule', target: p.listenerArn, detail: 'the rules added above' },
      ],
      run: async (ctx) => {
        const ours = (await ctx.aws.elbv2.listenerRules(p.listenerArn)).filter((r) =>
          hasMarker(r.conditions, marker),
        );
        for (const rule of ours) await ctx.aws.elbv2.deleteRule(rule.arn);
        return `${ours.length} rule(s) deleted`;
      },
    },
  };
}

async function addRule(
  ctx: StepContext,
  listenerArn: string,
  targetGroupArn: string,
  marker: { header: string; value: string },
): Promise<void> {
  const rules = await ctx.aws.elbv2.listenerRules(listenerArn);
  const forwardsHere = (actions: Action[]) => actions.some((a) => a.TargetGroupArn === targetGroupArn);
  if (rules.some((r) => hasMarker(r.conditions, marker) && forwardsHere(r.actions))) return;
  const used = new Set(rules.map((r) => r.priority));
  let priority = HIGHEST_PRIORITY;
  while (used.has(priority)) priority--;
  const rule = {
    listenerArn,
    priority,
    conditions: [
      { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: marker.header, Values: [marker.value] } },
    ],
    actions: [{ Type: 'forward' as const, TargetGroupArn: targetGroupArn }],
  };
  try {
    await ctx.aws.elbv2.createRule(rule);
  } catch (error) {
    // A retried CreateRule whose first answer was lost finds its own rule at that priority.
    const again = await ctx.aws.elbv2.listenerRules(listenerArn);
    if (!again.some((r) => r.priority === priority && hasMarker(r.conditions, marker))) throw error;
  }
}
