import type { Config } from '../inputs/config.js';
import { assertNever } from '../util/errors.js';
import { prepareAbort } from './abort.js';
import { prepareBlueGreen } from './blue-green.js';
import { preparePromote } from './promote.js';
import { prepareRetire } from './retire.js';
import { prepareStage } from './stage.js';
import { noRecordToRollBack, prepareBlueGreenRollback } from './blue-green-rollback.js';
import type { Prepare } from './prepared.js';
import { PreflightError } from './prepared.js';
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
  return (_, options) => prepare(config, options);
}

const prepare: Prepare = async (config, options) => {
  const rollback = config.mode === 'rollback';
  switch (config.strategy) {
    case 'blue-green':
      if (!config.targetGroupsOnly) {
        if (config.mode === 'stage') return prepareStage(config, options);
        if (config.mode === 'promote') return preparePromote(config, options);
        if (config.mode === 'abort') return prepareAbort(config, options);
        if (config.mode === 'retire') return prepareRetire(config, options);
        return rollback ? prepareBlueGreenRollback(config, options) : prepareBlueGreen(config, options);
      }
      // Target groups only: no group, so no deployment record to roll back to.
      if (rollback) throw new PreflightError([noRecordToRollBack(['', ''])]);
      return prepareTargetGroups(config, options);
    case 'rolling':
      return rollback ? rollingRollback(config, options) : prepareRolling(config, options);
    case 'recreate':
      return rollback ? recreateRollback(config, options) : prepareRecreate(config, options);
    default:
      return assertNever(config, 'strategy');
  }
};

/** The Auto Scaling groups a run may change: they carry the lock and the deployment record. */
export function groupsOf(config: Config): string[] {
  switch (config.strategy) {
    case 'blue-green':
      return config.targetGroupsOnly ? [] : [config.blue.autoScalingGroup, config.green.autoScalingGroup];
    case 'rolling':
    case 'recreate':
      return [config.autoScalingGroup];
    default:
      return assertNever(config, 'strategy');
  }
}
