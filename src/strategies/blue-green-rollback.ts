/**
 * mode: rollback for blue/green: make the color the deployment record names
 * as last good serve again, with the version recorded for it. It is a
 * blue/green deploy of that version to that color (same health gates, traffic
 * shift, bake and previous-fleet), except that a kept fleet keeps its instances.
 */
import type { BlueGreenConfig, Color } from '../inputs/config.js';
import type { FleetRow, Result } from '../report/model.js';
import { type DeploymentEntry, type DeploymentRecord, describeEntry } from '../state/record.js';
import { type BlueGreenState, fleetsOf, other, readBlueGreen } from './blue-green-preflight.js';
import { blueGreenOutputs, blueGreenRowsAfter, blueGreenRowsBefore } from './blue-green-report.js';
import { planBlueGreen } from './blue-green.js';
import { healthyInstances } from './fleet.js';
import { type Prepare, PreflightError } from './prepared.js';
import { describeSplit, type TrafficSplit } from './traffic.js';

/** Where a rollback goes, read from the record and the routes. */
interface RollbackChoice {
  to: DeploymentEntry;
  /** The recorded release being left; undefined when leaving an interrupted, unrecorded deploy. */
  from?: DeploymentEntry;
  /** The record's previous entry once the rollback is done. */
  previousAfter?: DeploymentEntry;
  /** What serves now, in words. */
  leaving: string;
}

/** The refusal when the groups carry no deployment record. */
export function noRecordToRollBack(groups: string[]): string {
  return `no deployment record on ${groups.join(' or ')} (tags asg-deploy:*): there is no recorded version to roll back to. Nothing was changed. A record is written by every successful deploy of this action, and by a first deploy with its lock (what served before it). If an interrupted deploy left routes on both colors and no record, put each listener and rule back on the color that served before by hand (forward to that color's target group alone, e.g. aws elbv2 modify-listener --listener-arn ARN --default-actions Type=forward,TargetGroupArn=TG), scale the other group back to what it had, then deploy again.`;
}

export const prepareBlueGreenRollback: Prepare<BlueGreenConfig> = async (config, options) => {
  const groups = [config.blue.autoScalingGroup, config.green.autoScalingGroup];
  const record = options.record;
  if (!record) throw new PreflightError([noRecordToRollBack(groups)]);
  const problems: string[] = [];
  const reading = await readBlueGreen(config, options.aws, problems);
  const choice = chooseTarget(record, reading.splits, problems);
  if (problems.length > 0 || !choice) throw new PreflightError(problems);

  const to = choice.to.color as Color;
  const toGroup = reading.groups[to];
  const fromColor = other(to);
  if (toGroup.launchTemplate?.id !== choice.to.launchTemplateId) {
    problems.push(
      `${toGroup.name} (${to}) now uses launch template ${toGroup.launchTemplate?.id ?? 'none'}, but the record names ${choice.to.launchTemplateId}: the record no longer matches the group; deploy the version you want instead`,
    );
  }
  if (reading.groups[fromColor].desired === 0 && toGroup.desired === 0) {
    problems.push(`neither ${groups.join(' nor ')} has capacity: there is no live size to restore ${to} to`);
  }
  if (problems.length > 0) throw new PreflightError(problems);

  const state: BlueGreenState = {
    live: fromColor,
    idle: to,
    fleets: fleetsOf(reading),
    colors: reading.colors,
    routes: reading.routes,
    splits: reading.splits,
    target: {
      kind: 'version',
      launchTemplateId: choice.to.launchTemplateId,
      version: choice.to.launchTemplateVersion,
      resolvedVersion: Number(choice.to.launchTemplateVersion),
    },
    unchanged: reading.splits.every((split) => split[to] === 100) && toGroup.desired > 0,
    alarms: reading.alarms,
  };
  const keptFleet = state.fleets[to];
  const keepIdleInstances =
    toGroup.desired > 0 &&
    toGroup.launchTemplate?.version === choice.to.launchTemplateVersion &&
    toGroup.instances.every((i) => i.launchTemplateVersion === choice.to.launchTemplateVersion) &&
    healthyInstances(keptFleet).length === toGroup.instances.length;
  options.log.info(
    `rolling back to ${describeEntry(choice.to)} on ${to} (${toGroup.name}); ${keepIdleInstances ? 'its kept instances are reused' : 'it is scaled up with that version first'}`,
  );

  return {
    headline: state.unchanged
      ? `${describeEntry(choice.to)} already serves all traffic on ${to}`
      : `from ${choice.leaving} to ${describeEntry(choice.to)}`,
    plan: planBlueGreen(config, state, { ...options, keepIdleInstances }),
    before: blueGreenRowsBefore(state),
    unchanged: state.unchanged,
    outputs: (result) => rollbackOutputs(config, state, result, choice),
    readAfter: (): Promise<FleetRow[]> => blueGreenRowsAfter(options.aws, state, options.log),
    groups: [state.fleets.blue.group, state.fleets.green.group],
    record: {
      groups: [reading.groups.blue.name, reading.groups.green.name],
      serving: { group: toGroup.name, color: to, versionLabel: choice.to.versionLabel },
      ...(choice.previousAfter && { previous: choice.previousAfter }),
    },
  };
};

/**
 * All traffic on the recorded color: go back to the previous entry. Anything
 * else (both colors weighted, or all traffic on the other color) is a deploy
 * that never finished: return to the recorded color, the last good one.
 */
function chooseTarget(
  record: DeploymentRecord,
  splits: TrafficSplit[],
  problems: string[],
): RollbackChoice | undefined {
  const current = record.current;
  if (!current.color) {
    problems.push(
      `the deployment record names no color (${describeEntry(current)}): it was not written by a blue/green deploy`,
    );
    return undefined;
  }
  const color = current.color;
  if (splits.length > 0 && splits.every((split) => split[color] === 100)) {
    const previous = record.previous;
    if (!previous) {
      problems.push(
        `the deployment record has no previous deployment before ${describeEntry(current)}: there is nothing to roll back to. Nothing was changed.`,
      );
      return undefined;
    }
    if (!previous.color || previous.color === color) {
      problems.push(
        `the previous deployment ${describeEntry(previous)} did not run on the other color: a blue/green rollback needs it there`,
      );
      return undefined;
    }
    return { to: previous, from: current, previousAfter: current, leaving: describeEntry(current) };
  }
  const shares = splits.map(describeSplit).join('; ') || 'no route read';
  return {
    to: current,
    ...(record.previous && { previousAfter: record.previous }),
    leaving: `an unfinished deploy (${shares})`,
  };
}

function rollbackOutputs(
  config: BlueGreenConfig,
  state: BlueGreenState,
  result: Result,
  choice: RollbackChoice,
): Record<string, string> {
  // A rollback that succeeds leaves the rollback target (`idle` here) serving, as a deploy does.
  const outputs = blueGreenOutputs(config, state, result === 'rolled-back' ? 'deployed' : result);
  return {
    ...outputs,
    result,
    'version-label': result === 'rolled-back' ? choice.to.versionLabel : (choice.from?.versionLabel ?? ''),
    'previous-version-label': result === 'rolled-back' ? (choice.from?.versionLabel ?? '') : '',
  };
}
