/** Inputs of the strategies that deploy one group in place: rolling (Instance Refresh) and recreate. */
import type { RecreateConfig, RollingConfig, Strategy } from './config.js';
import { commonConfig, must, readWhatToDeploy, type RunInputs } from './common.js';
import { ArnReader, checkOneLoadBalancer } from './elb.js';
import {
  PERCENT,
  readAlarmNames,
  readAsgName,
  readCheckpoints,
  readDuration,
  readInteger,
  readMaintenanceResponse,
} from './fields.js';
import { quote } from './quote.js';
import type { InputReader } from './reader.js';

const HOUR = 3_600_000;
/** Instance Refresh limit for CheckpointDelay. */
const MAX_CHECKPOINT_DELAY_MS = 48 * HOUR;

export function readRolling(r: InputReader, run: RunInputs): RollingConfig | undefined {
  const autoScalingGroup = readSingleGroup(r, 'rolling');
  const what = readWhatToDeploy(r, run, false);
  const alarmNames = readAlarmNames(r, r.text('alarm-names'));
  const refresh = readRefreshSettings(r);
  if (r.problems.length > 0) return undefined;
  return {
    strategy: 'rolling',
    ...commonConfig(run, { versionLabel: what.versionLabel, alarmNames }),
    ...(what.launchTemplateVersion !== undefined && { launchTemplateVersion: what.launchTemplateVersion }),
    ...(what.imageId !== undefined && { imageId: what.imageId }),
    autoScalingGroup: must(autoScalingGroup),
    minHealthyPercent: must(refresh.minHealthyPercent),
    maxHealthyPercent: must(refresh.maxHealthyPercent),
    ...(refresh.instanceWarmupSeconds !== undefined && {
      instanceWarmupSeconds: refresh.instanceWarmupSeconds,
    }),
    checkpoints: refresh.checkpoints,
    ...(refresh.checkpointDelayMs !== undefined && { checkpointDelayMs: refresh.checkpointDelayMs }),
  };
}

export function readRecreate(r: InputReader, run: RunInputs): RecreateConfig | undefined {
  const arns = new ArnReader(r, run.region);
  const listenerArns = arns.list('listener-arns', r.text('listener-arns'), 'alb-listener');
  arns.checkSameAccount();
  checkOneLoadBalancer(r, listenerArns, []);
  const autoScalingGroup = readSingleGroup(r, 'recreate');
  const what = readWhatToDeploy(r, run, false);
  const alarmNames = readAlarmNames(r, r.text('alarm-names'));
  if (alarmNames.length > 0 && run.bakeTimeMs === 0 && run.mode !== 'status') {
    r.warn(
      'alarm-names',
      'are only checked before the deploy: recreate watches them during bake-time, which is 0; set bake-time',
    );
  }
  const maintenanceResponse = readMaintenance(r, 'recreate', listenerArns);
  if (r.problems.length > 0) return undefined;
  return {
    strategy: 'recreate',
    ...commonConfig(run, { versionLabel: what.versionLabel, alarmNames }),
    ...(what.launchTemplateVersion !== undefined && { launchTemplateVersion: what.launchTemplateVersion }),
    ...(what.imageId !== undefined && { imageId: what.imageId }),
    autoScalingGroup: must(autoScalingGroup),
    listenerArns,
    maintenanceResponse: must(maintenanceResponse),
  };
}

/** auto-scaling-group; required when the strategy is known. */
export function readSingleGroup(r: InputReader, strategy: Strategy | undefined): string | undefined {
  const text = r.text('auto-scaling-group');
  const name = readAsgName(r, 'auto-scaling-group', text);
  if (strategy !== undefined && text === '') {
    r.problem(
      'auto-scaling-group',
      `is required for strategy ${strategy}, got nothing: the name of the Auto Scaling group to update`,
    );
  }
  return name;
}

/** The Instance Refresh preferences rolling sets. */
export function readRefreshSettings(r: InputReader) {
  const minHealthyPercent = readInteger(r, 'min-healthy-percent', r.text('min-healthy-percent'), {
    ...PERCENT,
    max: 100,
  });
  const maxHealthyPercent = readInteger(r, 'max-healthy-percent', r.text('max-healthy-percent'), {
    ...PERCENT,
    min: 100,
    max: 200,
  });
  // min <= max holds by their ranges; Instance Refresh also caps the gap at 100.
  if (
    minHealthyPercent !== undefined &&
    maxHealthyPercent !== undefined &&
    maxHealthyPercent - minHealthyPercent > 100
  ) {
    r.problem(
      'max-healthy-percent',
      `must be at most 100 above min-healthy-percent (${minHealthyPercent}), as Instance Refresh requires, got ${maxHealthyPercent}`,
    );
  }
  const instanceWarmupText = r.text('instance-warmup');
  const instanceWarmupSeconds =
    instanceWarmupText === ''
      ? undefined
      : readInteger(r, 'instance-warmup', instanceWarmupText, { min: 0, what: 'a whole number of seconds' });
  return { minHealthyPercent, maxHealthyPercent, instanceWarmupSeconds, ...readCheckpointSettings(r) };
}

function readCheckpointSettings(r: InputReader): { checkpoints: number[]; checkpointDelayMs?: number } {
  const checkpointsText = r.text('checkpoints');
  const checkpoints = readCheckpoints(r, checkpointsText);
  const checkpointDelayText = r.text('checkpoint-delay');
  const checkpointDelayMs = readDuration(r, 'checkpoint-delay', checkpointDelayText);
  if (checkpointDelayText !== '' && checkpointsText === '') {
    r.problem(
      'checkpoint-delay',
      `applies only with checkpoints, which are not set; got ${quote(checkpointDelayText)}`,
    );
  } else if (checkpointDelayMs !== undefined && checkpointDelayMs > MAX_CHECKPOINT_DELAY_MS) {
    r.problem(
      'checkpoint-delay',
      `must be at most 48h (Instance Refresh limit), got ${quote(checkpointDelayText)}`,
    );
  } else if (checkpointsText !== '' && checkpointDelayText === '') {
    r.warn(
      'checkpoints',
      'are set without checkpoint-delay: Instance Refresh then waits 1h at each checkpoint',
    );
  }
  return { checkpoints, ...(checkpointDelayMs !== undefined && { checkpointDelayMs }) };
}

export function readMaintenance(r: InputReader, strategy: Strategy | undefined, listenerArns: string[]) {
  const maintenanceText = r.text('maintenance-response');
  const maintenanceResponse = readMaintenanceResponse(r, maintenanceText);
  if (strategy === 'recreate' && maintenanceText !== '' && listenerArns.length === 0) {
    r.warn('maintenance-response', 'has no effect without listener-arns: no listener serves it while down');
  }
  return maintenanceResponse;
}
