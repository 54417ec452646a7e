/** What a demo scenario is: a simulated world and one run of the action on it. */
import type { Logger } from '../../src/engine/log.js';
import type { Result } from '../../src/report/model.js';
import type { SimRun } from '../run-on-sim.js';
import type { SimAws } from '../sim-aws.js';

export interface Scenario {
  /** `npm run demo -- <name>`, and the golden file's name. */
  name: string;
  /** One line for the console. */
  title: string;
  /** The result the scenario must end with (the demo and the golden test check it). */
  expected: Result;
  /** Builds its world (running any earlier deploys it needs), ready for the run shown. */
  build(): World | Promise<World>;
}

export interface World {
  sim: SimAws;
  /** Runs the action once, logging to `log`. */
  run(log: Logger): Promise<SimRun>;
}

/** Quiet logger for the runs that only set a scenario up. */
export const silent: Logger = {
  info: () => {},
  warning: () => {},
  group: (_name, fn) => fn(),
};
