/**
 * Every input of the action, in action.yml's order: the one source of truth for
 * input names, the strategies and modes each applies to, action.yml's defaults
 * and descriptions. Derived from it: INPUT_NAMES, the runner defaults (the
 * runner passes every action.yml default as INPUT_*, so only a value other than
 * the default is worth a "does not apply" warning), the warnings for inputs
 * another strategy or mode owns, each reader's fallback (the default, parsed),
 * the README inputs table (`npm run docs`), and `__tests__/inputs.spec.test.ts`,
 * which fails when action.yml's inputs differ from this table.
 *
 * To add an input:
 * 1. Add a row here (name, strategies and modes when not all, default, description)
 *    and the same input to action.yml; then `npm run docs`.
 * 2. Add its field to the Config of the strategies it applies to (config.ts), and
 *    read it in that strategy's reader (blue-green.ts, single-group.ts) or, when it
 *    applies to every strategy, in common.ts; field readers are in fields.ts.
 * A new mode goes in MODES (config.ts) and in `modes` of the inputs that
 * apply to it only; a reader that reads an input its row says does not apply
 * throws, so the table and the readers cannot drift apart.
 */
import { type Mode, MODES, type Strategy } from './config.js';

/** Inputs that say what to deploy or how: every mode but `status`, which only reads. */
const NOT_STATUS: readonly Mode[] = MODES.filter((mode) => mode !== 'status');
/** Inputs that say what to deploy or how to move traffic: not `status`, nor `retire` (it only scales the previous fleet down). */
const DEPLOYING: readonly Mode[] = NOT_STATUS.filter((mode) => mode !== 'retire');

export interface InputSpec {
  readonly name: string;
  /** The strategies the input applies to; every strategy when absent. */
  readonly strategies?: readonly Strategy[];
  /** The modes the input applies to; every mode when absent. */
  readonly modes?: readonly Mode[];
  /** action.yml's default, as text; the reader falls back to it when the input is empty. */
  readonly default?: string;
  /** action.yml's description (Markdown), also the README's. */
  readonly description: string;
}

export const INPUTS = [
  {
    name: 'strategy',
    default: 'blue-green',
    description:
      'Deployment strategy: `blue-green`, `rolling` (Instance Refresh in place) or `recreate` (replace every instance at once).',
  },
  {
    name: 'mode',
    default: 'deploy',
    description:
      '`deploy`, `rollback` (return to the previous recorded version), `plan` (print the changes a deploy would make; no writes), `status` (report what serves now: no writes, no lock), or, blue-green across jobs: `stage` (ready the idle color and expose it on preview-listener-arns only), `promote` (move production traffic to the staged color), `abort` (take the staged color back down) or `retire` (scale the previous color, kept by previous-fleet `keep`, down to 0 once no route sends it traffic).',
  },
  {
    name: 'aws-region',
    description: 'AWS region of every resource. Falls back to the AWS_REGION environment variable.',
  },
  {
    name: 'listener-arns',
    strategies: ['blue-green', 'recreate'],
    description:
      'ALB listener ARNs whose default action forwards to the fleet (list). Blue-green: required unless listener-rule-arns is set. Recreate: optional, the listeners that serve maintenance-response while instances are replaced.',
  },
  {
    name: 'listener-rule-arns',
    strategies: ['blue-green'],
    description:
      'ALB listener rule ARNs to switch instead of, or as well as, the default actions of listener-arns (list). Blue-green only.',
  },
  {
    name: 'blue-auto-scaling-group',
    strategies: ['blue-green'],
    description:
      'Name of the blue ASG. Blue-green only. Leave both ASG inputs empty to move traffic between the two target groups without touching capacity.',
  },
  {
    name: 'green-auto-scaling-group',
    strategies: ['blue-green'],
    description:
      'Name of the green ASG. Blue-green only. Leave both ASG inputs empty to move traffic between the two target groups without touching capacity.',
  },
  {
    name: 'blue-target-group-arn',
    strategies: ['blue-green'],
    description:
      'Target group ARN of the blue color. Blue-green only. Default: discovered from the blue ASG.',
  },
  {
    name: 'green-target-group-arn',
    strategies: ['blue-green'],
    description:
      'Target group ARN of the green color. Blue-green only. Default: discovered from the green ASG.',
  },
  {
    name: 'auto-scaling-group',
    strategies: ['rolling', 'recreate'],
    description: 'Name of the ASG to deploy. Rolling and recreate only.',
  },
  {
    name: 'launch-template-version',
    modes: DEPLOYING,
    description:
      "Version number of the ASG's launch template to deploy. All strategies. In deploy mode set exactly one of this and image-id.",
  },
  {
    name: 'image-id',
    modes: DEPLOYING,
    description:
      'AMI ID to deploy: a new launch template version is created from the current one with this image. All strategies. In deploy mode set exactly one of this and launch-template-version.',
  },
  {
    name: 'version-label',
    modes: DEPLOYING,
    description:
      'Label of what is deployed (e.g. v1.02 or a commit SHA), recorded in the deployment record and reported. All strategies.',
  },
  {
    name: 'expected-version-label',
    modes: ['rollback', 'abort'],
    description:
      'Rollback and abort only: act only where the deployment record says this release (its version-label) serves now (abort: where the stage record says it is staged); anywhere else the run ends `unchanged` with zero writes and a notice saying what serves there. For a clean-up job that rolls back every region of a wave: only those that got the release change. All strategies.',
  },
  {
    name: 'traffic-shift',
    modes: DEPLOYING,
    strategies: ['blue-green'],
    default: 'all-at-once',
    description:
      'How traffic moves to the new color: `all-at-once`, `canary:PCT:DURATION` (PCT % for DURATION, then 100 %) or `linear:PCT:DURATION` (PCT % more every DURATION). Blue-green only.',
  },
  {
    name: 'bake-time',
    modes: DEPLOYING,
    default: '0',
    description:
      'Duration to keep watching alarms and health after 100 % of traffic is on the new version, before finishing. All strategies.',
  },
  {
    name: 'alarm-names',
    modes: DEPLOYING,
    description:
      'CloudWatch alarm names (list). An alarm in ALARM state at any gate fails the deployment (and rolls back when auto-rollback is true). All strategies.',
  },
  {
    name: 'previous-fleet',
    modes: DEPLOYING,
    strategies: ['blue-green'],
    default: 'scale-down',
    description:
      'What happens to the old color after success: `scale-down` (to zero) or `keep` (for instant rollback). Blue-green only.',
  },
  {
    name: 'preview-listener-arns',
    strategies: ['blue-green'],
    modes: ['stage', 'promote', 'abort'],
    description:
      'Test listener ARNs (list, on the same load balancer, not in listener-arns) whose default action forwards to the staged color only while a release is staged; their exact actions are restored at promote or abort. Stage mode needs this, preview-header, or both; promote and abort read them from the stage record (when given, they must match it). Blue-green only.',
  },
  {
    name: 'preview-header',
    strategies: ['blue-green'],
    modes: ['stage', 'promote', 'abort'],
    description:
      '`Name: value` (e.g. `X-Preview: 7f3c`): stage adds a rule on each listener of listener-arns, at the lowest free priority, that forwards requests carrying this header to the staged color only; promote (once traffic has moved) and abort delete it. Name: an RFC 7230 token of at most 40 characters; value: at most 128 printable characters (`*` and `?` are ALB wildcards); both matched case-insensitively. Stage mode needs this, preview-listener-arns, or both; promote and abort read it from the stage record (when given, it must match it). Blue-green only.',
  },
  {
    name: 'stage-expires-after',
    strategies: ['blue-green'],
    modes: ['stage'],
    default: '24h',
    description:
      'Duration after which a staged release no longer blocks other runs: a later deploy, stage or rollback takes it over with a warning (restoring its preview listeners). Blue-green stage mode only.',
  },
  {
    name: 'min-healthy-percent',
    modes: DEPLOYING,
    strategies: ['rolling'],
    default: '90',
    description: 'Instance Refresh minimum healthy percentage (0-100). Rolling only.',
  },
  {
    name: 'max-healthy-percent',
    modes: DEPLOYING,
    strategies: ['rolling'],
    default: '100',
    description:
      'Instance Refresh maximum healthy percentage (100-200). 100 replaces instances by terminating first (capacity dips); above 100 launches before terminating. Rolling only.',
  },
  {
    name: 'instance-warmup',
    modes: DEPLOYING,
    strategies: ['rolling'],
    description:
      'Instance Refresh warm-up in seconds. Rolling only. Default: the warm-up configured on the ASG.',
  },
  {
    name: 'checkpoints',
    modes: DEPLOYING,
    strategies: ['rolling'],
    description:
      'Instance Refresh checkpoint percentages, ascending (e.g. `20,50,100`); the refresh pauses for checkpoint-delay at each. Rolling only.',
  },
  {
    name: 'checkpoint-delay',
    modes: DEPLOYING,
    strategies: ['rolling'],
    description:
      'Duration of the pause at each checkpoint. Rolling only, used with checkpoints. Default: the AWS default (1 hour).',
  },
  {
    name: 'maintenance-response',
    modes: DEPLOYING,
    strategies: ['recreate'],
    default: '503',
    description:
      'Fixed response the listeners in listener-arns serve while the fleet is down: a status code, optionally followed by a colon and a body (e.g. `503:Down for maintenance`). Recreate only.',
  },
  {
    name: 'protected-instances',
    strategies: ['rolling', 'recreate'],
    default: 'ignore',
    description:
      'Instances protected from scale in, during the Instance Refresh: `ignore` (left on their version, and named in a warning), `refresh` (replaced like the others) or `wait` (AWS waits up to an hour for their protection to be removed, then fails). Instance Refresh ScaleInProtectedInstances. Rolling and recreate.',
  },
  {
    name: 'standby-instances',
    strategies: ['rolling', 'recreate'],
    default: 'ignore',
    description:
      'Instances in Standby, during the Instance Refresh: `ignore` (left on their version, and named in a warning), `refresh` (terminated: AWS StandbyInstances `Terminate`) or `wait` (AWS waits up to an hour for them to return to service, then fails). Rolling and recreate.',
  },
  {
    name: 'auto-rollback',
    modes: NOT_STATUS,
    default: 'true',
    description:
      '`true` or `false`: on failure, restore the last good state (traffic, capacity, launch template version) before failing the step. All strategies.',
  },
  {
    name: 'health-timeout',
    modes: NOT_STATUS,
    default: '10m',
    description: 'Duration to wait for new instances to become healthy before failing. All strategies.',
  },
  {
    name: 'timeout',
    modes: NOT_STATUS,
    default: '30m',
    description: 'Duration allowed for the whole deployment before failing. All strategies.',
  },
  {
    name: 'poll-interval',
    modes: NOT_STATUS,
    default: '10s',
    description: 'Duration between AWS polls while waiting. All strategies.',
  },
  {
    name: 'suspend-processes',
    modes: NOT_STATUS,
    default: 'AlarmNotification, ScheduledActions, AZRebalance',
    description:
      'EC2 Auto Scaling processes suspended on every group the deploy touches, from before its first capacity change to its end, then resumed: only those this run suspended, so each group ends with the suspended processes it had (list, or `none`). `Launch`, `Terminate`, `HealthCheck`, `ReplaceUnhealthy` and `AddToLoadBalancer` cannot be suspended: the deploy needs them. All strategies.',
  },
  {
    name: 'dry-run',
    modes: ['deploy', 'rollback', 'stage', 'promote', 'abort', 'retire'],
    default: 'false',
    description:
      '`true` or `false`: plan the run of this mode instead of making it: read and check everything, then list the writes it would make, in order, in the log and the job summary, and send none (result `planned`). `mode: plan` is the same for a deploy.',
  },
] as const satisfies readonly InputSpec[];

export type InputName = (typeof INPUTS)[number]['name'];

/** Every input of the action (DESIGN.md), kebab-case, in action.yml's order. */
export const INPUT_NAMES: readonly InputName[] = INPUTS.map((input) => input.name);

const BY_NAME: ReadonlyMap<string, InputSpec> = new Map(INPUTS.map((input) => [input.name, input]));

export function specOf(name: InputName): InputSpec {
  const spec = BY_NAME.get(name);
  if (spec === undefined) throw new Error(`no input ${name}`);
  return spec;
}

/** action.yml's default of an input, or '' when it has none. */
export function defaultOf(name: InputName): string {
  return specOf(name).default ?? '';
}

/** action.yml's defaults, as text: what the runner passes as INPUT_* when the workflow sets nothing. */
export const ACTION_DEFAULTS: Readonly<Partial<Record<InputName, string>>> = Object.fromEntries(
  INPUTS.flatMap((input: InputSpec) => (input.default === undefined ? [] : [[input.name, input.default]])),
);

/** True when the input means something for this strategy and mode (undefined: not known, so yes). */
export function applies(spec: InputSpec, strategy: Strategy | undefined, mode?: Mode): boolean {
  const forStrategy =
    strategy === undefined || spec.strategies === undefined || spec.strategies.includes(strategy);
  const forMode = mode === undefined || spec.modes === undefined || spec.modes.includes(mode);
  return forStrategy && forMode;
}
