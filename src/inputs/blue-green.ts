/** Blue/green inputs: the listeners, the two colors (groups or target groups only) and the traffic shift. */
import type { BlueGreenConfig, TargetGroupsConfig, TrafficShift } from './config.js';
import type { ElbArn } from './arn.js';
import { commonConfig, must, readWhatToDeploy, type RunInputs } from './common.js';
import { formatDuration, parseDuration } from './duration.js';
import { ArnReader, checkOneLoadBalancer } from './elb.js';
import { parseWholeNumber, readAlarmNames, readAsgName, readChoice } from './fields.js';
import { quote } from './quote.js';
import type { InputReader } from './reader.js';
import { readStage } from './stage.js';

const PREVIOUS_FLEET = ['scale-down', 'keep'] as const;

export function readBlueGreen(
  r: InputReader,
  run: RunInputs,
): BlueGreenConfig | TargetGroupsConfig | undefined {
  const where = readBlueGreenWhere(r, run.region);
  checkBlueGreenTargets(r, where);
  const what = readWhatToDeploy(r, run, where.targetGroupsOnly);
  const how = readBlueGreenHow(r, run);
  const stage = readStage(r, {
    mode: run.mode,
    region: run.region,
    listenerArns: where.listenerArns,
    targetGroupsOnly: where.targetGroupsOnly,
  });
  if (r.problems.length > 0) return undefined;

  const traffic = {
    listenerArns: where.listenerArns,
    listenerRuleArns: where.listenerRuleArns,
    trafficShift: must(how.trafficShift),
    previousFleet: must(how.previousFleet),
  };
  const common = commonConfig(run, { versionLabel: what.versionLabel, alarmNames: how.alarmNames });
  if (where.targetGroupsOnly) {
    return {
      strategy: 'blue-green',
      targetGroupsOnly: true,
      ...common,
      ...traffic,
      blue: { targetGroupArn: must(where.blueTg).text },
      green: { targetGroupArn: must(where.greenTg).text },
    };
  }
  return {
    strategy: 'blue-green',
    targetGroupsOnly: false,
    ...common,
    ...(what.launchTemplateVersion !== undefined && { launchTemplateVersion: what.launchTemplateVersion }),
    ...(what.imageId !== undefined && { imageId: what.imageId }),
    ...traffic,
    blue: groupColor(must(where.blueAsg), where.blueTg),
    green: groupColor(must(where.greenAsg), where.greenTg),
    previewListenerArns: stage.previewListenerArns,
    ...(stage.previewHeader && { previewHeader: stage.previewHeader }),
    stageExpiresAfterMs: must(stage.stageExpiresAfterMs),
  };
}

function groupColor(autoScalingGroup: string, targetGroup: ElbArn | undefined): BlueGreenConfig['blue'] {
  return { autoScalingGroup, ...(targetGroup !== undefined && { targetGroupArn: targetGroup.text }) };
}

export interface BlueGreenWhere {
  listenerArns: string[];
  listenerRuleArns: string[];
  blueTg: ElbArn | undefined;
  greenTg: ElbArn | undefined;
  blueAsg: string | undefined;
  greenAsg: string | undefined;
  /** As given, for the checks of what is required with what. */
  given: { blueAsg: string; greenAsg: string; blueTg: string; greenTg: string };
  /** Blue/green between two target groups of fleets managed elsewhere: no capacity is touched. */
  targetGroupsOnly: boolean;
}

/** Listeners, rules, target groups and groups, each valid on its own and together. */
export function readBlueGreenWhere(r: InputReader, region: string | undefined): BlueGreenWhere {
  const arns = new ArnReader(r, region);
  const listenerArns = arns.list('listener-arns', r.text('listener-arns'), 'alb-listener');
  const listenerRuleArns = arns.list('listener-rule-arns', r.text('listener-rule-arns'), 'alb-listener-rule');
  const blueTgText = r.text('blue-target-group-arn');
  const greenTgText = r.text('green-target-group-arn');
  const blueTg = arns.one('blue-target-group-arn', blueTgText, 'target-group');
  const greenTg = arns.one('green-target-group-arn', greenTgText, 'target-group');
  arns.checkSameAccount();
  checkOneLoadBalancer(r, listenerArns, listenerRuleArns);
  if (blueTgText !== '' && blueTgText === greenTgText) {
    r.problem(
      'green-target-group-arn',
      `must differ from blue-target-group-arn, got ${quote(blueTgText)} for both`,
    );
  }

  const blueAsgText = r.text('blue-auto-scaling-group');
  const greenAsgText = r.text('green-auto-scaling-group');
  const blueAsg = readAsgName(r, 'blue-auto-scaling-group', blueAsgText);
  const greenAsg = readAsgName(r, 'green-auto-scaling-group', greenAsgText);
  if (blueAsgText !== '' && blueAsgText === greenAsgText) {
    r.problem(
      'green-auto-scaling-group',
      `must differ from blue-auto-scaling-group, got ${quote(blueAsgText)} for both`,
    );
  }
  const given = { blueAsg: blueAsgText, greenAsg: greenAsgText, blueTg: blueTgText, greenTg: greenTgText };
  const targetGroupsOnly =
    blueAsgText === '' && greenAsgText === '' && (blueTgText !== '' || greenTgText !== '');
  return { listenerArns, listenerRuleArns, blueTg, greenTg, blueAsg, greenAsg, given, targetGroupsOnly };
}

/** traffic-shift, alarm-names (and whether a gate watches them), previous-fleet. */
export function readBlueGreenHow(
  r: InputReader,
  run: RunInputs,
): {
  trafficShift: TrafficShift | undefined;
  alarmNames: string[];
  previousFleet: BlueGreenConfig['previousFleet'] | undefined;
} {
  const trafficShift = readTrafficShift(r, r.text('traffic-shift'), run.timeoutMs, run.bakeTimeMs);
  const alarmNames = readAlarmNames(r, r.text('alarm-names'));
  if (
    run.strategy === 'blue-green' &&
    run.mode !== 'status' &&
    alarmNames.length > 0 &&
    trafficShift?.kind === 'all-at-once' &&
    run.bakeTimeMs === 0
  ) {
    r.warn(
      'alarm-names',
      'are only checked before the deploy: with traffic-shift all-at-once and bake-time 0 no gate watches them; set bake-time or a canary/linear traffic-shift',
    );
  }
  const previousFleet = readChoice(r, 'previous-fleet', r.text('previous-fleet'), PREVIOUS_FLEET);
  return { trafficShift, alarmNames, previousFleet };
}

export function checkBlueGreenTargets(r: InputReader, where: BlueGreenWhere): void {
  const { given } = where;
  if (where.listenerArns.length + where.listenerRuleArns.length === 0) {
    r.problem(
      'listener-arns',
      'is required for strategy blue-green, got nothing: the ALB listeners (or listener-rule-arns, the rules) whose traffic moves between blue and green',
    );
  }
  if (given.blueAsg !== '' && given.greenAsg === '') {
    r.problem(
      'green-auto-scaling-group',
      'is required when blue-auto-scaling-group is set, got nothing: blue-green needs both fleets',
    );
  }
  if (given.greenAsg !== '' && given.blueAsg === '') {
    r.problem(
      'blue-auto-scaling-group',
      'is required when green-auto-scaling-group is set, got nothing: blue-green needs both fleets',
    );
  }
  if (given.blueAsg !== '' || given.greenAsg !== '') return;
  if (given.blueTg === '' && given.greenTg === '') {
    r.problem(
      'blue-auto-scaling-group',
      'is required for strategy blue-green, got nothing: set blue-auto-scaling-group and green-auto-scaling-group, or, for fleets managed by other means, blue-target-group-arn and green-target-group-arn',
    );
    return;
  }
  for (const [color, tg] of [
    ['blue', given.blueTg],
    ['green', given.greenTg],
  ] as const) {
    if (tg === '') {
      r.problem(
        `${color}-target-group-arn`,
        'is required when no Auto Scaling groups are given (traffic then moves between the two target groups), got nothing',
      );
    }
  }
}

const SHIFT_FORMAT = 'all-at-once, canary:PCT:DURATION or linear:PCT:DURATION (e.g. canary:10:5m)';

function readTrafficShift(
  r: InputReader,
  text: string,
  timeoutMs: number | undefined,
  bakeTimeMs: number | undefined,
): TrafficShift | undefined {
  if (text === '' || text === 'all-at-once') return { kind: 'all-at-once' };
  const m = /^(canary|linear):([^:]*):([^:]*)$/.exec(text);
  const kind = m?.[1];
  if (m === null || (kind !== 'canary' && kind !== 'linear')) {
    r.problem('traffic-shift', `must be ${SHIFT_FORMAT}, got ${quote(text)}`);
    return undefined;
  }
  const percent = parseWholeNumber(m[2] ?? '');
  const intervalMs = parseDuration(m[3] ?? '');
  let ok = true;
  if (percent === undefined || percent < 1 || percent > 99) {
    r.problem(
      'traffic-shift',
      `must have a whole percentage from 1 to 99 after "${kind}:", got ${quote(text)}`,
    );
    ok = false;
  }
  if (intervalMs === undefined || intervalMs <= 0) {
    r.problem('traffic-shift', `must end with a duration above 0 such as 5m, got ${quote(text)}`);
    ok = false;
  } else if (timeoutMs !== undefined && intervalMs > timeoutMs) {
    r.problem(
      'traffic-shift',
      `must have an interval no longer than timeout (${formatDuration(timeoutMs)}), got ${quote(text)}`,
    );
    ok = false;
  }
  if (kind === 'linear' && percent !== undefined && ok && 100 % percent !== 0) {
    r.problem(
      'traffic-shift',
      `must step to exactly 100 %: linear:${percent} goes ${Math.floor(100 / percent) * percent} % and never reaches 100; use a percentage that divides 100 (1, 2, 4, 5, 10, 20, 25, 50), got ${quote(text)}`,
    );
    ok = false;
  }
  if (!ok || percent === undefined || intervalMs === undefined) return undefined;

  // Each step holds the interval; the last one (100 %) is followed by bake-time instead.
  const holds = kind === 'canary' ? 1 : Math.ceil(100 / percent) - 1;
  const shiftingMs = holds * intervalMs + (bakeTimeMs ?? 0);
  if (timeoutMs !== undefined && shiftingMs >= timeoutMs) {
    r.problem(
      'traffic-shift',
      `must fit in timeout (${formatDuration(timeoutMs)}): ${text} holds traffic ${holds} × ${formatDuration(intervalMs)}, plus bake-time, which is ${formatDuration(shiftingMs)}, so the deployment would time out mid-shift and roll back; got ${quote(text)}`,
    );
    return undefined;
  }
  return { kind, percent, intervalMs };
}
