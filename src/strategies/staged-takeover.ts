/**
 * Taking over an expired stage (a deploy, stage or rollback found one): its
 * preview listeners go back to the actions it recorded, its preview-header
 * rules are deleted and its record is cleared, before the run's own steps.
 */
import type { Aws, Action } from '../aws/index.js';
import { shortArn } from '../aws/arn.js';
import type { Logger } from '../engine/log.js';
import type { Step } from '../engine/plan.js';
import type { StagedRelease } from '../state/staged.js';
import { errorMessage } from '../util/errors.js';
import { stagedRulesDeletion } from './preview-rule.js';
import { clearStageStep, previewStep, type PreviewChange, stagedSnapshot } from './staged-steps.js';

/** The preview listeners of a stage with their actions now; a listener that was deleted is skipped with a warning. */
export async function previewChangesBack(
  aws: Aws,
  staged: StagedRelease,
  log: Logger,
): Promise<PreviewChange[]> {
  const changes: PreviewChange[] = [];
  for (const listener of staged.previewListeners) {
    let current: Action[];
    try {
      const [route] = await aws.elbv2.describeRoutes([listener.arn], []);
      current = route?.actions ?? [];
    } catch (error) {
      // Only a listener that is gone is skipped; any other failure stops pre-flight.
      if (!(error instanceof Error && error.name === 'ListenerNotFoundException')) throw error;
      log.warning(
        `preview listener ${shortArn(listener.arn)} of the stage cannot be read (${errorMessage(error)}); it is left as it is`,
      );
      continue;
    }
    changes.push({ arn: listener.arn, current, next: listener.actions });
  }
  return changes;
}

export async function takeOverSteps(
  aws: Aws,
  p: { groups: string[]; staged: StagedRelease; tags: Map<string, Record<string, string>>; log: Logger },
): Promise<Step[]> {
  const changes = await previewChangesBack(aws, p.staged, p.log);
  const steps: Step[] = [];
  if (changes.length > 0) {
    steps.push(
      previewStep({
        id: 'restore-expired-preview',
        title: `Restore the ${changes.length} preview listener(s) of the expired stage`,
        phase: 'deploy',
        changes,
        detail: 'default actions as recorded before the expired stage',
        verify: 'exact',
      }),
    );
  }
  steps.push(
    ...(await stagedRulesDeletion(aws, {
      staged: p.staged,
      groups: p.groups,
      targetGroupArn: undefined,
      phase: 'deploy',
      why: 'the stage expired',
    })),
  );
  steps.push(
    clearStageStep({
      groups: p.groups,
      snapshot: stagedSnapshot(p.groups, p.tags),
      phase: 'deploy',
      why: 'the stage expired',
    }),
  );
  return steps;
}
