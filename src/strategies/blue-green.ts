import type { Config } from '../config.js';
import { formatDuration } from '../engine/clock.js';
import type { Plan, PlannedWrite, Step, StepContext, Undo } from '../engine/plan.js';
import { shortArn } from '../engine/undo.js';
import { type BlueGreenState, observeBlueGreen } from './blue-green-preflight.js';
import { blueGreenOutputs, blueGreenRowsAfter, blueGreenRowsBefore } from './blue-green-report.js';
import type { Prepare } from './prepared.js';
import type { DeploymentEntry } from '../state/record.js';
import { healthyInstances, waitForEmpty, waitForHealthy, watchHealthy } from './fleet.js';
import { allTo, describeSplit, readRoute, references, withSplit } from './traffic.js';

/** Blue/green: pre-flight, then the plan, the before table and the outputs. */
export const prepareBlueGreen: Prepare = async (config, options) => {
  const state = await observeBlueGreen(config, options.aws);
  const live = state.fleets[state.live].group;
  const idle = state.fleets[state.idle].group;
  options.log.info(`live: ${state.live} (${live.name}); deploying to ${state.idle} (${idle.name})`);
  const what = config.launchTemplateVersion
    ? `launch template version ${config.launchTemplateVersion}`
    : `image ${config.imageId ?? ''}`;
  return {
    headline: state.unchanged
      ? `${state.live} (${live.name}) already runs ${what}`
      : `${config.versionLabel ? `${config.versionLabel}, ` : ''}${what}, to ${state.idle} (${idle.name})`,
    plan: planBlueGreen(config, state, options),
    before: blueGreenRowsBefore(state),
    unchanged: state.unchanged,
    outputs: (result) => blueGreenOutputs(config, state, result),
    readAfter: () => blueGreenRowsAfter(options.aws, state),
    record: {
      groups: [state.fleets.blue.group.name, state.fleets.green.group.name],
      serving: { group: idle.name, color: state.idle, versionLabel: config.versionLabel ?? '' },
      previous:
        options.record?.current.group === live.name ? options.record.current : liveEntry(state, options.now),
    },
  };
};

/** The live fleet as a record entry, for a fleet that has no record yet (first run of the action). */
function liveEntry(state: BlueGreenState, now: number): DeploymentEntry | undefined {
  const group = state.fleets[state.live].group;
  if (!group.launchTemplate) return undefined;
  return {
    versionLabel: '',
    launchTemplateId: group.launchTemplate.id,
    launchTemplateVersion: group.launchTemplate.version,
    color: state.live,
    group: group.name,
    time: new Date(now).toISOString(),
    runUrl: '',
  };
}

export interface BlueGreenOptions {
  /** Unique per run: client token and marker of launch template versions this run creates. */
  runToken: string;
  /** Shown in the created version's description (run URL or id). */
  runLabel: string;
  /**
   * Rollback to a kept fleet: its instances already run the version, so they
   * are kept (never emptied) and the group is only sized up if it is smaller than live.
   */
  keepIdleInstances?: boolean;
}

/**
 * Blue/green as a plan: prepare the idle color with the new version, wait until
 * it is healthy, move every route to it, bake, then retire the old color.
 * Each write step carries the undo that restores what pre-flight observed.
 */
export function planBlueGreen(config: Config, state: BlueGreenState, options: BlueGreenOptions): Plan {
  const live = state.fleets[state.live];
  const idle = state.fleets[state.idle];
  const target = state.target;
  /** The version the idle group will run; set by the create step when deploying an image. */
  let version = target.kind === 'version' ? target.version : '';
  const steps: Step[] = [];

  const restoreIdle: Undo = {
    kind: 'restore-group',
    group: idle.group.name,
    min: idle.group.min,
    max: idle.group.max,
    desired: idle.group.desired,
    launchTemplate: idle.group.launchTemplate && {
      id: idle.group.launchTemplate.id,
      version: idle.group.launchTemplate.version,
    },
  };

  const restoreRoutes: Undo[] = state.routes.map((r) => ({
    kind: 'restore-route',
    route: { kind: r.kind, arn: r.arn },
    actions: r.actions,
  }));
  const unreferenced = state.routes.filter((r) => !references(r.actions, idle.targetGroupArn));
  if (unreferenced.length > 0) {
    steps.push({
      id: 'reference-idle',
      title: `Add ${state.idle} at weight 0 to ${unreferenced.length} route(s), so that its targets are health-checked`,
      phase: 'deploy',
      writes: unreferenced.map((r) =>
        write(
          'elbv2',
          r.kind === 'listener' ? 'ModifyListener' : 'ModifyRule',
          r.arn,
          `forward ${state.live} 100, ${state.idle} 0`,
        ),
      ),
      undo: restoreRoutes,
      run: async (ctx) => {
        const split = allTo(state.live);
        for (const route of unreferenced)
          await ctx.aws.elbv2.writeRoute(route, withSplit(route.actions, state.colors, split));
        await verifyRoutes(ctx, state, split);
        return `traffic unchanged: ${describeSplit(split)}`;
      },
    });
  }

  if (target.kind === 'image') {
    const marker = `asg-deploy ${options.runToken}`;
    steps.push({
      id: 'create-launch-template-version',
      title: `Create a launch template version from version ${target.sourceVersion} with image ${target.imageId}`,
      phase: 'deploy',
      writes: [
        write(
          'ec2',
          'CreateLaunchTemplateVersion',
          target.launchTemplateId,
          `source ${target.sourceVersion}, ImageId ${target.imageId}`,
        ),
      ],
      undo: [
        {
          kind: 'delete-created-versions',
          launchTemplateId: target.launchTemplateId,
          after: target.latestVersion,
          marker,
        },
      ],
      run: async (ctx) => {
        const created = await ctx.aws.ec2.createVersionWithImage({
          launchTemplateId: target.launchTemplateId,
          sourceVersion: target.sourceVersion,
          imageId: target.imageId,
          description: `${marker}: ${target.imageId} for ${idle.group.name} (${options.runLabel})`.slice(
            0,
            255,
          ),
          clientToken: options.runToken,
        });
        version = String(created);
        return `version ${created}`;
      },
    });
  }

  if (!options.keepIdleInstances && (idle.group.instances.length > 0 || idle.group.desired > 0)) {
    steps.push({
      id: 'empty-idle',
      title: `Empty ${state.idle} (${idle.group.name}) so that every instance that gets traffic runs the new version`,
      phase: 'deploy',
      writes: [
        write('autoscaling', 'UpdateAutoScalingGroup', idle.group.name, 'MinSize 0, DesiredCapacity 0'),
      ],
      undo: [restoreIdle],
      run: async (ctx) => {
        await ctx.aws.autoScaling.updateGroup(idle.group.name, { min: 0, desired: 0 });
        await waitForEmpty(ctx, {
          what: `${state.idle} emptying`,
          groupName: idle.group.name,
          targetGroupArn: idle.targetGroupArn,
          timeoutMs: config.healthTimeoutMs,
        });
        return `${idle.group.instances.length} old instance(s) removed`;
      },
    });
  }

  const kept = options.keepIdleInstances === true;
  const size = kept
    ? {
        min: Math.max(idle.group.min, live.group.min),
        max: Math.max(idle.group.max, live.group.max),
        desired: Math.max(idle.group.desired, live.group.desired),
      }
    : { min: live.group.min, max: live.group.max, desired: live.group.desired };
  const versionText = target.kind === 'version' ? target.version : '(created above)';
  const idleReady =
    kept &&
    idle.group.launchTemplate?.version === version &&
    size.min === idle.group.min &&
    size.max === idle.group.max &&
    size.desired === idle.group.desired;
  if (!idleReady)
    steps.push({
      id: 'prepare-idle',
      title: `Point ${state.idle} (${idle.group.name}) at launch template version ${versionText} and size it like ${state.live}`,
      phase: 'deploy',
      writes: [
        write(
          'autoscaling',
          'UpdateAutoScalingGroup',
          idle.group.name,
          `LaunchTemplate ${target.launchTemplateId}:${versionText}, MinSize ${size.min}, MaxSize ${size.max}, DesiredCapacity ${size.desired}`,
        ),
      ],
      undo: [restoreIdle],
      run: async (ctx) => {
        await ctx.aws.autoScaling.updateGroup(idle.group.name, {
          ...size,
          launchTemplate: { id: target.launchTemplateId, version },
        });
        return `version ${version}, ${size.min}/${size.desired}/${size.max}`;
      },
    });

  let healthyIds: string[] = [];
  steps.push({
    id: 'wait-healthy',
    title: `Wait until ${state.idle} has ${size.desired} healthy instance(s)`,
    phase: 'deploy',
    writes: [],
    run: async (ctx) => {
      const started = ctx.clock.now();
      const reading = await waitForHealthy(ctx, {
        what: `${state.idle} health`,
        groupName: idle.group.name,
        targetGroupArn: idle.targetGroupArn,
        timeoutMs: config.healthTimeoutMs,
      });
      healthyIds = healthyInstances(reading);
      return `${healthyIds.length}/${reading.group.desired} healthy in ${formatDuration(ctx.clock.now() - started)}`;
    },
  });

  steps.push({
    id: 'shift-traffic',
    title: `Switch ${state.routes.length} route(s) to ${state.idle}`,
    phase: 'deploy',
    writes: state.routes.map((r) =>
      write(
        'elbv2',
        r.kind === 'listener' ? 'ModifyListener' : 'ModifyRule',
        r.arn,
        `forward 100 % to ${state.idle}`,
      ),
    ),
    undo: restoreRoutes,
    run: async (ctx) => {
      const split = allTo(state.idle);
      for (const route of state.routes)
        await ctx.aws.elbv2.writeRoute(route, withSplit(route.actions, state.colors, split));
      await verifyRoutes(ctx, state, split);
      return `all traffic on ${state.idle}, verified on ${state.routes.length} route(s)`;
    },
  });

  if (config.bakeTimeMs > 0) {
    steps.push({
      id: 'bake',
      title: `Bake ${state.idle} for ${formatDuration(config.bakeTimeMs)}`,
      phase: 'deploy',
      writes: [],
      run: async (ctx) => {
        await watchHealthy(ctx, {
          what: `bake ${state.idle}`,
          groupName: idle.group.name,
          targetGroupArn: idle.targetGroupArn,
          durationMs: config.bakeTimeMs,
          instanceIds: healthyIds,
        });
        return `${healthyIds.length} instance(s) stayed healthy`;
      },
    });
  }

  if (config.previousFleet === 'scale-down') {
    steps.push({
      id: 'scale-down-previous',
      title: `Scale ${state.live} (${live.group.name}) down to 0`,
      phase: 'cleanup',
      writes: [
        write('autoscaling', 'UpdateAutoScalingGroup', live.group.name, 'MinSize 0, DesiredCapacity 0'),
      ],
      run: async (ctx) => {
        await ctx.aws.autoScaling.updateGroup(live.group.name, { min: 0, desired: 0 });
        await waitForEmpty(ctx, {
          what: `${state.live} scale-down`,
          groupName: live.group.name,
          targetGroupArn: live.targetGroupArn,
          timeoutMs: config.healthTimeoutMs,
        });
        return `${live.group.instances.length} instance(s) drained and terminated`;
      },
    });
  }
  return { steps };
}

/** Reads every route back: each must send exactly `split` to the colors. */
async function verifyRoutes(ctx: StepContext, state: BlueGreenState, split: { blue: number; green: number }) {
  const listeners = state.routes.filter((r) => r.kind === 'listener').map((r) => r.arn);
  const rules = state.routes.filter((r) => r.kind === 'rule').map((r) => r.arn);
  const after = await ctx.aws.elbv2.describeRoutes(listeners, rules);
  for (const route of after) {
    const reading = readRoute(route.actions, state.colors);
    if (
      reading.split.blue !== split.blue ||
      reading.split.green !== split.green ||
      reading.foreign.length > 0
    ) {
      throw new Error(
        `${route.kind} ${shortArn(route.arn)} reads back ${describeSplit(reading.split)}, expected ${describeSplit(split)}`,
      );
    }
  }
}

function write(
  service: PlannedWrite['service'],
  action: string,
  target: string,
  detail: string,
): PlannedWrite {
  return { service, action, target, detail };
}
