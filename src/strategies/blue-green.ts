import type { BlueGreenConfig } from '../inputs/config.js';
import { formatDuration } from '../util/time.js';
import type { Plan, PlannedWrite, Step, Undo } from '../engine/plan.js';
import { type BlueGreenState, observeBlueGreen } from './blue-green-preflight.js';
import { blueGreenOutputs, blueGreenRowsAfter, blueGreenRowsBefore } from './blue-green-report.js';
import { createVersionStep, describeWhat } from './deploy-target.js';
import type { Prepare } from './prepared.js';
import { summarizeAlarms } from './gates.js';
import { healthyInstances, waitForEmpty, waitForHealthy } from './fleet.js';
import { referenceIdleStep, trafficSteps, withRollback } from './traffic-steps.js';
import { cutOverCheckStep } from './cut-over-check.js';
import type { TrafficStepRecord } from '../report/model.js';
import type { DeploymentEntry } from '../state/record.js';

/** Blue/green: pre-flight, then the plan, the before table and the outputs. */
export const prepareBlueGreen: Prepare<BlueGreenConfig> = async (config, options) => {
  const state = await observeBlueGreen(config, options.aws);
  const live = state.fleets[state.live].group;
  const idle = state.fleets[state.idle].group;
  options.log.info(`live: ${state.live} (${live.name}); deploying to ${state.idle} (${idle.name})`);
  if (config.alarmNames.length > 0) options.log.info(`alarms: ${summarizeAlarms(state.alarms.values())}`);
  const what = describeWhat(state.target);
  const records: TrafficStepRecord[] = [];
  return {
    headline: state.unchanged
      ? `${state.live} (${live.name}) already runs ${what}`
      : `${config.versionLabel ? `${config.versionLabel}, ` : ''}${what}, to ${state.idle} (${idle.name})`,
    plan: planBlueGreen(config, state, { ...options, records }),
    before: blueGreenRowsBefore(state),
    unchanged: state.unchanged,
    outputs: (result) => blueGreenOutputs(config, state, result),
    readAfter: () => blueGreenRowsAfter(options.aws, state),
    traffic: (journal) => withRollback(records, journal, state.live),
    record: {
      groups: [state.fleets.blue.group.name, state.fleets.green.group.name],
      serving: { group: idle.name, color: state.idle, versionLabel: config.versionLabel },
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
  /** Receives a record per traffic step as the plan runs, for the summary. */
  records?: TrafficStepRecord[];
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
 * Steps share what they learn (the created version, the healthy instances) as facts.
 */
export function planBlueGreen(
  config: BlueGreenConfig,
  state: BlueGreenState,
  options: BlueGreenOptions,
): Plan {
  const idle = state.fleets[state.idle];
  const target = state.target;
  const steps: Step[] = [];
  const reference = referenceIdleStep({
    routes: state.routes,
    colors: state.colors,
    live: state.live,
    idle: state.idle,
  });
  if (reference) steps.push(reference);
  if (target.kind === 'image')
    steps.push(createVersionStep(target, { ...options, groupName: idle.group.name }));
  if (!options.keepIdleInstances && (idle.group.instances.length > 0 || idle.group.desired > 0))
    steps.push(emptyIdleStep(config, state));
  const size = idleSize(state, options);
  const prepare = prepareIdleStep(state, options, size);
  if (prepare) steps.push(prepare);
  steps.push(waitHealthyStep(config, state, size.desired));
  steps.push(
    ...trafficSteps({
      from: state.live,
      to: state.idle,
      colors: state.colors,
      routes: state.routes,
      shift: config.trafficShift,
      bakeTimeMs: config.bakeTimeMs,
      gates: (facts) => ({
        targetGroupArn: idle.targetGroupArn,
        targetIds: facts.healthyInstanceIds ?? [],
        alarmNames: config.alarmNames,
        group: { name: idle.group.name, color: state.idle, desired: facts.idleDesired ?? size.desired },
      }),
      records: options.records ?? [],
      capacity: {
        watch: {
          live: { color: state.live, group: state.fleets[state.live].group.name },
          idle: { color: state.idle, group: idle.group.name, targetGroupArn: idle.targetGroupArn },
          desired: size.desired,
          healthTimeoutMs: config.healthTimeoutMs,
        },
        restoreIdle: restoreIdle(state),
      },
    }),
  );
  steps.push(
    cutOverCheckStep({
      live: { color: state.live, group: state.fleets[state.live].group.name },
      idle: { color: state.idle, group: idle.group.name },
      colors: state.colors,
      routes: state.routes,
      desired: size.desired,
      next: config.previousFleet,
    }),
  );
  if (config.previousFleet === 'scale-down') steps.push(scaleDownPreviousStep(config, state));
  return { steps };
}

/** The undo of every write to the idle group: back to what pre-flight saw. */
function restoreIdle(state: BlueGreenState): Undo {
  const { group } = state.fleets[state.idle];
  return {
    kind: 'restore-group',
    group: group.name,
    min: group.min,
    max: group.max,
    desired: group.desired,
    launchTemplate: group.launchTemplate && {
      id: group.launchTemplate.id,
      version: group.launchTemplate.version,
    },
  };
}

function emptyIdleStep(config: BlueGreenConfig, state: BlueGreenState): Step {
  const idle = state.fleets[state.idle];
  return {
    id: 'empty-idle',
    title: `Empty ${state.idle} (${idle.group.name}) so that every instance that gets traffic runs the new version`,
    phase: 'deploy',
    writes: [write('autoscaling', 'UpdateAutoScalingGroup', idle.group.name, 'MinSize 0, DesiredCapacity 0')],
    undo: [restoreIdle(state)],
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
  };
}

interface GroupSize {
  min: number;
  max: number;
  desired: number;
}

/** The idle group's size for the release: live's, or at least its own for a kept fleet. */
function idleSize(state: BlueGreenState, options: BlueGreenOptions): GroupSize {
  const live = state.fleets[state.live].group;
  const idle = state.fleets[state.idle].group;
  return options.keepIdleInstances === true
    ? {
        min: Math.max(idle.min, live.min),
        max: Math.max(idle.max, live.max),
        desired: Math.max(idle.desired, live.desired),
      }
    : { min: live.min, max: live.max, desired: live.desired };
}

/**
 * Points the idle group at the new version and sizes it like live; none when a
 * kept fleet (rollback) already runs the version at that size.
 */
function prepareIdleStep(
  state: BlueGreenState,
  options: BlueGreenOptions,
  size: GroupSize,
): Step | undefined {
  const idle = state.fleets[state.idle];
  const target = state.target;
  const kept = options.keepIdleInstances === true;
  const versionText = target.kind === 'version' ? target.version : '(created above)';
  const idleReady =
    kept &&
    idle.group.launchTemplate?.version === (target.kind === 'version' ? target.version : '') &&
    size.min === idle.group.min &&
    size.max === idle.group.max &&
    size.desired === idle.group.desired;
  if (idleReady) return undefined;
  return {
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
    undo: [restoreIdle(state)],
    run: async (ctx) => {
      const version = target.kind === 'version' ? target.version : (ctx.facts.createdVersion ?? '');
      await ctx.aws.autoScaling.updateGroup(idle.group.name, {
        ...size,
        launchTemplate: { id: target.launchTemplateId, version },
      });
      return `version ${version}, ${size.min}/${size.desired}/${size.max}`;
    },
  };
}

/** The health gate before any traffic: learns the healthy instances the traffic gates then watch. */
function waitHealthyStep(config: BlueGreenConfig, state: BlueGreenState, desired: number): Step {
  const idle = state.fleets[state.idle];
  return {
    id: 'wait-healthy',
    title: `Wait until ${state.idle} has ${desired} healthy instance(s)`,
    phase: 'deploy',
    gate: 'health',
    writes: [],
    run: async (ctx) => {
      const started = ctx.clock.now();
      const reading = await waitForHealthy(ctx, {
        what: `${state.idle} health`,
        groupName: idle.group.name,
        targetGroupArn: idle.targetGroupArn,
        timeoutMs: config.healthTimeoutMs,
      });
      const healthyInstanceIds = healthyInstances(reading);
      ctx.learn({ healthyInstanceIds });
      return `${healthyInstanceIds.length}/${reading.group.desired} healthy in ${formatDuration(ctx.clock.now() - started)}`;
    },
  };
}

function scaleDownPreviousStep(config: BlueGreenConfig, state: BlueGreenState): Step {
  const live = state.fleets[state.live];
  return {
    id: 'scale-down-previous',
    title: `Scale ${state.live} (${live.group.name}) down to 0`,
    phase: 'cleanup',
    writes: [write('autoscaling', 'UpdateAutoScalingGroup', live.group.name, 'MinSize 0, DesiredCapacity 0')],
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
  };
}

function write(
  service: PlannedWrite['service'],
  action: string,
  target: string,
  detail: string,
): PlannedWrite {
  return { service, action, target, detail };
}
