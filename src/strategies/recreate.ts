/**
 * Recreate (stop-the-world): listeners serve a fixed maintenance response,
 * every instance is replaced at once (Instance Refresh with min healthy 0), the
 * new fleet must be healthy, the listeners get their exact actions back. On
 * failure the previous launch template version comes back (AWS's rollback of
 * the refresh), then the listeners; they are never left on the maintenance
 * response when the step ends, with or without auto-rollback.
 */
import type { Action } from '../aws/index.js';
import type { InstanceRefreshSummary } from '../aws/index.js';
import type { RecreateConfig } from '../inputs/config.js';
import { formatDuration } from '../util/time.js';
import { readGroupHealth, waitGroupHealthy } from '../aws/waits/group-health.js';
import type { Facts, Step, Undo } from '../engine/plan.js';
import { shortArn } from '../aws/arn.js';
import { applyUndo } from '../aws/undo/apply-undo.js';
import { createVersionStep } from './deploy-target.js';
import { describeGates, watchGates } from './gates.js';
import { healthCheckRuleSteps } from './health-check-rule.js';
import type { Prepare } from './prepared.js';
import { refreshStep } from './refresh-step.js';
import { observeSingleGroup, type SingleGroupState, singleGroupPrepared } from './single-group.js';

export const prepareRecreate: Prepare<RecreateConfig> = async (config, options) => {
  const state = await observeSingleGroup(config, options.aws, options.log);
  const { group, target } = state;
  const chosen =
    target.kind === 'version'
      ? config.autoRollback && target.version === '$Default'
        ? String(target.resolvedVersion)
        : target.version
      : '';
  let last: InstanceRefreshSummary | undefined;
  const steps: Step[] = [];
  if (target.kind === 'image') {
    steps.push(createVersionStep(target, { ...options, groupName: group.name }));
  }
  const restoreRoutes: Undo[] = state.routes.map((r) => ({
    kind: 'restore-route',
    route: { kind: r.kind, arn: r.arn },
    actions: r.actions,
  }));
  const firstListener = state.routes[0];
  const healthRules =
    firstListener && group.targetGroupArns.length > 0
      ? healthCheckRuleSteps({
          listenerArn: firstListener.arn,
          targetGroupArns: group.targetGroupArns,
          runToken: options.runToken,
        })
      : undefined;
  if (healthRules) steps.push(healthRules.add);
  if (state.routes.length > 0) steps.push(maintenanceStep(config, state, restoreRoutes));
  steps.push(
    replaceStep(
      config,
      state,
      (facts) => (target.kind === 'version' ? chosen : (facts.createdVersion ?? '')),
      (r) => (last = r),
    ),
  );
  if (state.routes.length > 0) steps.push(restoreStep(config, state, restoreRoutes));
  if (config.bakeTimeMs > 0) steps.push(bakeStep(config, state));
  if (healthRules) steps.push(healthRules.remove);

  return singleGroupPrepared(config, state, options, {
    verb: 'recreating',
    steps,
    lastRefresh: () => last,
  });
};

export function maintenanceAction(config: RecreateConfig): Action {
  const { statusCode, body } = config.maintenanceResponse;
  return {
    Type: 'fixed-response',
    FixedResponseConfig: {
      StatusCode: String(statusCode),
      ContentType: 'text/plain',
      MessageBody: body ?? 'Down for maintenance: a new version is being deployed. Please retry shortly.',
    },
  };
}

function maintenanceStep(config: RecreateConfig, state: SingleGroupState, restoreRoutes: Undo[]): Step {
  const action = maintenanceAction(config);
  return {
    id: 'maintenance-on',
    title: `Serve ${config.maintenanceResponse.statusCode} on ${routesText(state)} while ${state.group.name} is replaced`,
    phase: 'deploy',
    writes: state.routes.map((r) => ({
      service: 'elbv2',
      action: r.kind === 'listener' ? 'ModifyListener' : 'ModifyRule',
      target: r.arn,
      detail: `fixed-response ${config.maintenanceResponse.statusCode}`,
    })),
    undo: restoreRoutes,
    // the 503 never outlives the run, with or without auto-rollback
    undoAlways: true,
    run: async (ctx) => {
      for (const route of state.routes) await ctx.aws.elbv2.writeRoute(route, [action]);
      const after = await ctx.aws.elbv2.describeRoutes(
        state.routes.filter((r) => r.kind === 'listener').map((r) => r.arn),
        state.routes.filter((r) => r.kind === 'rule').map((r) => r.arn),
      );
      for (const route of after) {
        const [only] = route.actions;
        if (route.actions.length !== 1 || only?.Type !== 'fixed-response')
          throw new Error(`${route.kind} ${shortArn(route.arn)} does not read back the maintenance response`);
      }
      return `${routesText(state)} answer ${config.maintenanceResponse.statusCode}`;
    },
  };
}

/** `2 listener(s)`, and `and 1 rule(s)` when rules of the listeners reach the group too. */
function routesText(state: SingleGroupState): string {
  const rules = state.routes.filter((r) => r.kind === 'rule').length;
  const listeners = state.routes.length - rules;
  return `${listeners} listener(s)${rules > 0 ? ` and ${rules} rule(s)` : ''}`;
}

function replaceStep(
  config: RecreateConfig,
  state: SingleGroupState,
  version: (facts: Facts) => string,
  seen: (r: InstanceRefreshSummary) => void,
): Step {
  const { group, launchTemplate: lt, target } = state;
  const awaitHealthy: Undo = {
    kind: 'await-group-healthy',
    group: group.name,
    targetGroupArns: group.targetGroupArns,
    waitMs: config.healthTimeoutMs,
  };
  const base = refreshStep({
    id: 'replace-all',
    title: `Replace all ${group.instances.length} instance(s) of ${group.name} at once`,
    group: group.name,
    desired: (facts) => ({ id: target.launchTemplateId, version: version(facts) }),
    preferences: {
      MinHealthyPercentage: 0,
      MaxHealthyPercentage: 100,
      SkipMatching: false,
      AutoRollback: config.autoRollback,
      InstanceWarmup: 0,
      ScaleInProtectedInstances: 'Ignore',
      StandbyInstances: 'Ignore',
    },
    undo: {
      kind: 'roll-back-instance-refresh',
      group: group.name,
      before: state.refreshesBefore,
      previous: { id: lt.id, version: lt.version },
      minHealthyPercent: 0,
      waitMs: config.timeoutMs,
    },
    timeoutMs: config.timeoutMs,
    seen,
  });
  const undo = [...(base.undo ?? []), awaitHealthy];
  return {
    ...base,
    undo,
    gate: 'health (Instance Refresh, then the load balancer)',
    run: async (ctx) => {
      const detail = await base.run(ctx);
      // The health-check rules keep the target groups in use while the listeners
      // answer the maintenance response: this is real load balancer health.
      const health = await waitGroupHealthy(ctx, {
        what: `${group.name} health`,
        group: group.name,
        targetGroupArns: group.targetGroupArns,
        timeoutMs: config.healthTimeoutMs,
      });
      return `${detail ?? ''}; ${health.summary}`;
    },
  };
}

function restoreStep(config: RecreateConfig, state: SingleGroupState, restoreRoutes: Undo[]): Step {
  return {
    id: 'maintenance-off',
    title: `Restore the original actions of ${routesText(state)}`,
    phase: 'deploy',
    writes: state.routes.map((r) => ({
      service: 'elbv2',
      action: r.kind === 'listener' ? 'ModifyListener' : 'ModifyRule',
      target: r.arn,
      detail: 'the actions read before the deploy',
    })),
    undo: restoreRoutes,
    run: async (ctx) => {
      for (const undo of restoreRoutes) await applyUndo(ctx.aws, undo, ctx.log, ctx);
      const health = await waitGroupHealthy(ctx, {
        what: `${state.group.name} health behind the listeners`,
        group: state.group.name,
        targetGroupArns: state.group.targetGroupArns,
        timeoutMs: config.healthTimeoutMs,
      });
      return `listeners restored and verified; ${health.summary}`;
    },
  };
}

/**
 * Watches the recreated fleet with the same gates as a blue/green bake: every
 * instance that was healthy when the bake began stays healthy in the group's
 * target group, and no alarm of alarm-names goes to ALARM.
 */
function bakeStep(config: RecreateConfig, state: SingleGroupState): Step {
  return {
    id: 'bake',
    title: `Bake ${state.group.name} for ${formatDuration(config.bakeTimeMs)}`,
    phase: 'deploy',
    gate: 'health',
    writes: [],
    run: async (ctx) => {
      const start = await readGroupHealth(ctx.aws, state.group.name, state.group.targetGroupArns);
      const spec = {
        targetGroupArn: state.group.targetGroupArns[0],
        targetIds: start.group.instances.filter((i) => i.lifecycle === 'InService').map((i) => i.id),
        alarmNames: config.alarmNames,
      };
      const last = await watchGates(ctx, {
        label: `bake ${state.group.name}`,
        durationMs: config.bakeTimeMs,
        spec,
      });
      return `held for ${formatDuration(config.bakeTimeMs)}: ${describeGates(last, spec)}`;
    },
  };
}
