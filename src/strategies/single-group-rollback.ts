/**
 * mode: rollback for rolling and recreate. An Instance Refresh still running
 * (an interrupted deploy) is rolled back by AWS; otherwise the group goes back
 * to the launch template version the deployment record names as previous, with
 * the same strategy as a deploy (so recreate serves its maintenance response).
 */
import { isActiveRefresh, type InstanceRefreshSummary } from '../aws/index.js';
import type { SingleGroupConfig } from '../inputs/config.js';
import { readGroupHealth } from '../aws/waits/group-health.js';
import type { Step } from '../engine/plan.js';
import { describeRefresh, TERMINAL_REFRESH, waitForRefresh } from '../aws/waits/instance-refresh.js';
import { describeEntry } from '../state/record.js';
import { type Prepare, PreflightError, type PreparedDeployment, type PrepareOptions } from './prepared.js';
import { singleGroupRow } from './single-group.js';

export function singleGroupRollback<C extends SingleGroupConfig>(deploy: Prepare<C>): Prepare<C> {
  return async (config, options) => {
    const name = config.autoScalingGroup;
    const active = (await options.aws.autoScaling.instanceRefreshes(name)).find((r) =>
      isActiveRefresh(r.status),
    );
    if (active) return rollBackRunningRefresh(config, options, active);

    const record = options.record;
    if (!record) {
      throw new PreflightError([
        `no deployment record on ${name} (tags asg-deploy:*) and no instance refresh in progress: there is no recorded version to roll back to. Nothing was changed. A record is written by every successful deploy of this action.`,
      ]);
    }
    const to = record.previous;
    if (!to) {
      throw new PreflightError([
        `the deployment record of ${name} has no previous deployment before ${describeEntry(record.current)}: there is nothing to roll back to. Nothing was changed.`,
      ]);
    }
    const group = await options.aws.autoScaling.describeGroup(name);
    if (group?.launchTemplate && group.launchTemplate.id !== to.launchTemplateId) {
      throw new PreflightError([
        `${name} now uses launch template ${group.launchTemplate.id}, but the record names ${to.launchTemplateId} for ${describeEntry(to)}: the record no longer matches the group; deploy the version you want instead`,
      ]);
    }
    options.log.info(`rolling ${name} back from ${describeEntry(record.current)} to ${describeEntry(to)}`);
    const { imageId: _image, ...rest } = config;
    const prepared = await deploy(
      {
        ...rest,
        mode: 'deploy',
        launchTemplateVersion: to.launchTemplateVersion,
        versionLabel: to.versionLabel,
      } as C,
      options,
    );
    return {
      ...prepared,
      headline: prepared.unchanged
        ? `${name} already runs ${describeEntry(to)}`
        : `from ${describeEntry(record.current)} to ${describeEntry(to)}`,
    };
  };
}

/** An interrupted deploy left a refresh running: AWS's own rollback returns the group to what it was. */
async function rollBackRunningRefresh(
  config: SingleGroupConfig,
  options: PrepareOptions,
  active: InstanceRefreshSummary,
): Promise<PreparedDeployment> {
  const name = config.autoScalingGroup;
  if (active.status === 'Cancelling') {
    throw new PreflightError([
      `instance refresh ${active.id} on ${name} is being cancelled; run the rollback again once it has ended`,
    ]);
  }
  const health = await readGroupHealth(options.aws, name, []);
  const step: Step = {
    id: 'roll-back-refresh',
    title: `Roll back instance refresh ${active.id} of ${name}`,
    phase: 'deploy',
    writes:
      active.status === 'RollbackInProgress'
        ? []
        : [
            {
              service: 'autoscaling',
              action: 'RollbackInstanceRefresh',
              target: name,
              detail: `refresh ${active.id}`,
            },
          ],
    run: async (ctx) => {
      if (active.status !== 'RollbackInProgress') await ctx.aws.autoScaling.rollbackInstanceRefresh(name);
      const ended = await waitForRefresh(ctx, {
        group: name,
        id: active.id,
        what: `rollback of instance refresh ${active.id}`,
        timeoutMs: config.timeoutMs,
        done: (r) => TERMINAL_REFRESH.has(r.status),
      });
      if (ended.status !== 'RollbackSuccessful') {
        throw new Error(`AWS could not roll back instance refresh ${active.id}: ${describeRefresh(ended)}`);
      }
      return `AWS rolled back instance refresh ${active.id}`;
    },
  };
  const outputs = (result: string) => ({
    result,
    'active-auto-scaling-group': name,
    'previous-auto-scaling-group': name,
    'launch-template-version': health.group.launchTemplate?.version ?? '',
    'instance-refresh-id': active.id,
    'rollback-reason': '',
  });
  return {
    headline: `instance refresh ${active.id} (${describeRefresh(active)}) rolled back by AWS`,
    plan: { steps: [step] },
    groups: [health.group],
    before: [singleGroupRow(health.group, health.summary)],
    unchanged: false,
    outputs,
    readAfter: async () => {
      const after = await readGroupHealth(options.aws, name, health.group.targetGroupArns);
      return [singleGroupRow(after.group, after.summary)];
    },
  };
}
