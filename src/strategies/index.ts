import type { Config } from '../config.js';
import { prepareBlueGreen } from './blue-green.js';
import { prepareBlueGreenRollback } from './blue-green-rollback.js';
import type { Prepare } from './prepared.js';
import { prepareRecreate } from './recreate.js';
import { prepareRolling } from './rolling.js';
import { singleGroupRollback } from './single-group-rollback.js';
import { prepareTargetGroups } from './target-groups.js';

const rollingRollback = singleGroupRollback(prepareRolling);
const recreateRollback = singleGroupRollback(prepareRecreate);

export { PreflightError, type Prepare, type PreparedDeployment } from './prepared.js';

/**
 * The strategy that prepares a run for this config: one line per strategy and
 * mode. Plan mode prepares exactly what deploy would (and the pipeline runs none of it).
 */
export function strategyFor(config: Config): Prepare {
  const rollback = config.mode === 'rollback';
  switch (config.strategy) {
    case 'blue-green':
      if (rollback) return prepareBlueGreenRollback;
      return config.blue.autoScalingGroup || config.green.autoScalingGroup
        ? prepareBlueGreen
        : prepareTargetGroups;
    case 'rolling':
      return rollback ? rollingRollback : prepareRolling;
    case 'recreate':
      return rollback ? recreateRollback : prepareRecreate;
    default:
      throw new Error(`strategy ${config.strategy} is not available in this version`);
  }
}

/** The Auto Scaling groups a run may change: they carry the lock and the deployment record. */
export function groupsOf(config: Config): string[] {
  const names =
    config.strategy === 'blue-green'
      ? [config.blue.autoScalingGroup, config.green.autoScalingGroup]
      : [config.autoScalingGroup];
  return names.filter((name): name is string => name !== undefined && name !== '');
}
