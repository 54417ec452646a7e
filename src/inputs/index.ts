/**
 * Action inputs → one validated Config, shaped for its strategy. Pure: no AWS
 * call and no runner access; main.ts passes `core.getInput`. Every problem is
 * collected (never only the first), each naming its input and saying what was
 * expected and what was given. The inputs themselves are listed in spec.ts.
 */
import { assertNever } from '../util/errors.js';
import { readBlueGreen, readBlueGreenHow, readBlueGreenWhere } from './blue-green.js';
import type { Config, InputProblem } from './config.js';
import { readRun, readStrategy, readWhatToDeploy, type RunInputs } from './common.js';
import { InputReader, type InputSource } from './reader.js';
import { checkRetireGroups, checkRetireStrategy } from './retire.js';
import { STAGED_MODES } from './stage.js';
import {
  readMaintenance,
  readRecreate,
  readRefreshSettings,
  readRolling,
  readSingleGroup,
} from './single-group.js';

export { parseDuration } from './duration.js';
export type { InputSource } from './reader.js';
export { ACTION_DEFAULTS, INPUT_NAMES, INPUTS, type InputName } from './spec.js';

export type ReadConfigResult =
  { ok: true; config: Config; warnings: string[] } | { ok: false; problems: InputProblem[] };

export function readConfig(input: InputSource, env: Record<string, string | undefined>): ReadConfigResult {
  const r = new InputReader(input);
  const strategy = readStrategy(r);
  const run = readRun(r, strategy, env);
  r.warnInapplicable(strategy, run.mode);
  r.strategy = strategy;
  if (strategy !== undefined && strategy !== 'blue-green' && run.mode && STAGED_MODES.includes(run.mode)) {
    r.problem(
      'mode',
      `${run.mode} applies to strategy blue-green only (a staged release is the idle color), got strategy ${strategy}`,
    );
  }
  checkRetireStrategy(r, strategy, run.mode);
  const config = readForStrategy(r, run);
  if (config) checkRetireGroups(r, config);
  if (config === undefined || r.problems.length > 0) return { ok: false, problems: r.problems };
  return { ok: true, config, warnings: r.warningMessages() };
}

function readForStrategy(r: InputReader, run: RunInputs): Config | undefined {
  switch (run.strategy) {
    case 'blue-green':
      return readBlueGreen(r, run);
    case 'rolling':
      return readRolling(r, run);
    case 'recreate':
      return readRecreate(r, run);
    case undefined:
      readEveryStrategy(r, run);
      return undefined;
    default:
      return assertNever(run.strategy, 'strategy');
  }
}

/** The strategy is invalid: still check every other input, so that one run reports every problem. */
function readEveryStrategy(r: InputReader, run: RunInputs): void {
  const where = readBlueGreenWhere(r, run.region);
  readSingleGroup(r, undefined);
  readWhatToDeploy(r, run, false);
  readBlueGreenHow(r, run);
  readRefreshSettings(r);
  readMaintenance(r, undefined, where.listenerArns);
}
