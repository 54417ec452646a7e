/**
 * The step that writes the deployment record. It runs once the release holds
 * all traffic (after the last deploy step, before any cleanup), as a cleanup
 * step: a failure to write it is reported, never rolled back.
 */
import type { Color } from '../inputs/config.js';
import type { PlannedWrite, Step } from '../engine/plan.js';
import { type DeploymentEntry, describeEntry, recordTags } from './record.js';

/** A strategy's half of the record: where it goes and what now serves. */
export interface RecordPlan {
  /** Every group that carries the record (both colors in blue/green). */
  groups: string[];
  /** What serves once the run succeeds; its launch template is read back when the record is written. */
  serving: { group: string; color?: Color; versionLabel: string };
  /** What served before: becomes the record's previous entry. */
  previous?: DeploymentEntry;
}

export function recordWrite(plan: RecordPlan): PlannedWrite {
  const what = `${plan.serving.versionLabel || 'unlabelled version'}${plan.serving.color ? ` on ${plan.serving.color}` : ''}`;
  return {
    service: 'autoscaling',
    action: 'CreateOrUpdateTags',
    target: plan.groups.join(', '),
    detail: `deployment record: ${what}; previous: ${plan.previous ? describeEntry(plan.previous) : 'none'}`,
  };
}

export function recordStep(plan: RecordPlan, runUrl: string): Step {
  return {
    id: 'record-deployment',
    title: `Record the deployment in the tags of ${plan.groups.join(', ')}`,
    phase: 'cleanup',
    writes: [recordWrite(plan)],
    run: async (ctx) => {
      const group = await ctx.aws.autoScaling.describeGroup(plan.serving.group);
      const lt = group?.launchTemplate;
      if (!lt) throw new Error(`${plan.serving.group} has no launch template to record`);
      const current: DeploymentEntry = {
        versionLabel: plan.serving.versionLabel,
        launchTemplateId: lt.id,
        launchTemplateVersion: lt.version,
        ...(plan.serving.color && { color: plan.serving.color }),
        group: plan.serving.group,
        time: new Date(ctx.clock.now()).toISOString(),
        runUrl,
      };
      await ctx.aws.autoScaling.putTags(plan.groups, recordTags({ current, previous: plan.previous }));
      return `now ${describeEntry(current)}; previous ${plan.previous ? describeEntry(plan.previous) : 'none'}`;
    },
  };
}

/** The steps with `step` placed after the last deploy step (cleanup steps always come last). */
export function withStepBeforeCleanup(steps: Step[], step: Step): Step[] {
  const at = steps.findIndex((s) => s.phase === 'cleanup');
  return at < 0 ? [...steps, step] : [...steps.slice(0, at), step, ...steps.slice(at)];
}
