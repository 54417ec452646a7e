import type { Config } from '../config.js';
import { prepareBlueGreen } from './blue-green.js';
import type { Prepare } from './prepared.js';
import { prepareRecreate } from './recreate.js';
import { prepareRolling } from './rolling.js';
import { prepareTargetGroups } from './target-groups.js';

export { PreflightError, type Prepare, type PreparedDeployment } from './prepared.js';

/** The strategy that prepares a deployment for this config. One line per strategy or mode. */
export function strategyFor(config: Config): Prepare {
  switch (config.strategy) {
    case 'blue-green':
      return config.blue.autoScalingGroup || config.green.autoScalingGroup
        ? prepareBlueGreen
        : prepareTargetGroups;
    case 'rolling':
      return prepareRolling;
    case 'recreate':
      return prepareRecreate;
    default:
      throw new Error(`strategy ${config.strategy} is not available in this version`);
  }
}
