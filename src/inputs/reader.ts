/**
 * Reads inputs for one run and collects what is wrong with them: every problem
 * (never only the first), each naming its input, and the warnings.
 */
import type { InputProblem, Mode, Strategy } from './config.js';
import {
  applies,
  ACTION_DEFAULTS,
  INPUT_NAMES,
  INPUTS,
  type InputName,
  type InputSpec,
  specOf,
} from './spec.js';

/** Reads one input; '' when unset (like `core.getInput` with trimWhitespace). */
export type InputSource = (name: string) => string;

/**
 * Warnings are reported in the order the inputs are read: the run and its
 * limits first (other inputs are checked against them), then the load balancer
 * ARNs (checked together: one account, one load balancer), then the others in
 * the table's order.
 */
const READ_FIRST: readonly InputName[] = [
  'strategy',
  'mode',
  'aws-region',
  'timeout',
  'health-timeout',
  'bake-time',
  'poll-interval',
  'auto-rollback',
  'suspend-processes',
  'listener-arns',
  'listener-rule-arns',
  'blue-target-group-arn',
  'green-target-group-arn',
];
const READ_ORDER: readonly InputName[] = [
  ...READ_FIRST,
  ...INPUT_NAMES.filter((name) => !READ_FIRST.includes(name)),
];

export class InputReader {
  readonly problems: InputProblem[] = [];
  private readonly warnings: { input: InputName; message: string }[] = [];
  /** Set once read: from then on, reading an input the table says does not apply is a bug. */
  strategy: Strategy | undefined;

  constructor(private readonly source: InputSource) {}

  /** The input's text, trimmed; '' when unset. */
  text(name: InputName): string {
    if (this.strategy !== undefined && !applies(specOf(name), this.strategy)) {
      throw new Error(
        `readConfig: ${name} is read for strategy ${this.strategy}, but its spec row excludes it`,
      );
    }
    return this.source(name).trim();
  }

  problem(input: InputName, message: string): void {
    this.problems.push({ input, message });
  }

  warn(input: InputName, message: string): void {
    this.warnings.push({ input, message });
  }

  /** The warnings, in reading order. */
  warningMessages(): string[] {
    const order = (input: InputName) => READ_ORDER.indexOf(input);
    return this.warnings
      .map((warning, index) => ({ ...warning, index }))
      .sort((a, b) => order(a.input) - order(b.input) || a.index - b.index)
      .map(({ input, message }) => `${input}: ${message}`);
  }

  /**
   * Every input set but not applying to the strategy or mode is ignored, with a
   * warning. The runner passes every action.yml default as INPUT_*, so an input
   * that does not apply is "set" on every run: only a value other than its
   * default is worth a warning.
   */
  warnInapplicable(strategy: Strategy | undefined, mode: Mode | undefined): void {
    for (const spec of INPUTS as readonly InputSpec[]) {
      const name = spec.name as InputName;
      const value = this.source(name).trim();
      if (value === '' || value === ACTION_DEFAULTS[name]) continue;
      if (strategy !== undefined && !applies(spec, strategy)) {
        const only = (spec.strategies ?? []).join(', ');
        this.warn(name, `is set but does not apply to strategy ${strategy} (only to ${only}); ignored`);
      } else if (mode !== undefined && !applies(spec, strategy, mode)) {
        const only = (spec.modes ?? []).join(', ');
        this.warn(name, `is set but does not apply to mode ${mode} (only to ${only}); ignored`);
      }
    }
  }
}
