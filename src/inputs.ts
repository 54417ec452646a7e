/**
 * Action inputs → one validated Config. Pure: no AWS call and no runner access;
 * main.ts passes `core.getInput`. Every problem is collected (never only the
 * first), each naming its input and saying what was expected and what was given.
 */
import type {
  ColorConfig,
  Config,
  InputProblem,
  MaintenanceResponse,
  Mode,
  PreviousFleet,
  Strategy,
  TrafficShift,
} from './config.js';
import {
  ACCOUNT,
  describeKind,
  isAvailabilityZone,
  isRegion,
  loadBalancerOf,
  parseElbArn,
  partitionOf,
} from './inputs/arn.js';
import type { ElbArn, ElbResourceKind } from './inputs/arn.js';
import { formatDuration, parseDuration } from './inputs/duration.js';
import { parseList } from './inputs/list.js';
import { hasControlCharacter, quote } from './inputs/quote.js';

export { parseDuration } from './inputs/duration.js';

const NAMES = [
  'strategy',
  'mode',
  'aws-region',
  'listener-arns',
  'listener-rule-arns',
  'blue-auto-scaling-group',
  'green-auto-scaling-group',
  'blue-target-group-arn',
  'green-target-group-arn',
  'auto-scaling-group',
  'launch-template-version',
  'image-id',
  'version-label',
  'traffic-shift',
  'bake-time',
  'alarm-names',
  'previous-fleet',
  'min-healthy-percent',
  'max-healthy-percent',
  'instance-warmup',
  'checkpoints',
  'checkpoint-delay',
  'maintenance-response',
  'auto-rollback',
  'health-timeout',
  'timeout',
  'poll-interval',
] as const;
type InputName = (typeof NAMES)[number];

/** Every input of the action (DESIGN.md), kebab-case. */
export const INPUT_NAMES: readonly string[] = NAMES;

/** Reads one input; '' when unset (like `core.getInput` with trimWhitespace). */
export type InputSource = (name: string) => string;

export type ReadConfigResult =
  { ok: true; config: Config; warnings: string[] } | { ok: false; problems: InputProblem[] };

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const DEFAULTS = {
  strategy: 'blue-green',
  mode: 'deploy',
  previousFleet: 'scale-down',
  minHealthyPercent: 90,
  maxHealthyPercent: 100,
  maintenanceResponse: { statusCode: 503 },
  autoRollback: true,
  bakeTimeMs: 0,
  healthTimeoutMs: 10 * MINUTE,
  timeoutMs: 30 * MINUTE,
  pollIntervalMs: 10 * SECOND,
} as const;

/**
 * action.yml's defaults, as text. The runner passes every default as an INPUT_*
 * variable, so an input that does not apply to the strategy is "set" on every
 * run: only a value other than its default is worth a warning.
 */
export const ACTION_DEFAULTS: Readonly<Partial<Record<InputName, string>>> = {
  strategy: 'blue-green',
  mode: 'deploy',
  'traffic-shift': 'all-at-once',
  'bake-time': '0',
  'previous-fleet': 'scale-down',
  'min-healthy-percent': '90',
  'max-healthy-percent': '100',
  'maintenance-response': '503',
  'auto-rollback': 'true',
  'health-timeout': '10m',
  timeout: '30m',
  'poll-interval': '10s',
};

/** A GitHub-hosted job stops after 6 hours; a longer deployment cannot finish. */
const MAX_TIMEOUT_MS = 6 * HOUR;
const MIN_POLL_MS = SECOND;
const MAX_POLL_MS = 5 * MINUTE;
/** Instance Refresh limit for CheckpointDelay. */
const MAX_CHECKPOINT_DELAY_MS = 48 * HOUR;
const MAX_ALARMS = 100;

const STRATEGIES: readonly Strategy[] = ['blue-green', 'rolling', 'recreate'];
const MODES: readonly Mode[] = ['deploy', 'rollback', 'plan'];
const PREVIOUS_FLEET: readonly PreviousFleet[] = ['scale-down', 'keep'];
/** The YAML 1.2 core booleans, as `core.getBooleanInput` accepts them. */
const TRUE_WORDS = ['true', 'True', 'TRUE'];
const FALSE_WORDS = ['false', 'False', 'FALSE'];

/** Inputs that mean something for some strategies only; all others apply to every strategy. */
const APPLIES_TO: Partial<Record<InputName, readonly Strategy[]>> = {
  'listener-arns': ['blue-green', 'recreate'],
  'listener-rule-arns': ['blue-green'],
  'blue-auto-scaling-group': ['blue-green'],
  'green-auto-scaling-group': ['blue-green'],
  'blue-target-group-arn': ['blue-green'],
  'green-target-group-arn': ['blue-green'],
  'auto-scaling-group': ['rolling', 'recreate'],
  'traffic-shift': ['blue-green'],
  'previous-fleet': ['blue-green'],
  'min-healthy-percent': ['rolling'],
  'max-healthy-percent': ['rolling'],
  'instance-warmup': ['rolling'],
  checkpoints: ['rolling'],
  'checkpoint-delay': ['rolling'],
  'maintenance-response': ['recreate'],
};

class Findings {
  readonly problems: InputProblem[] = [];
  readonly warnings: string[] = [];
  problem(input: InputName, message: string): void {
    this.problems.push({ input, message });
  }
  warn(input: InputName, message: string): void {
    this.warnings.push(`${input}: ${message}`);
  }
}

export function readConfig(input: InputSource, env: Record<string, string | undefined>): ReadConfigResult {
  const f = new Findings();

  const strategy = readChoice(f, 'strategy', input('strategy').trim(), STRATEGIES, DEFAULTS.strategy);
  /** An input's value, or '' (with a warning) when it does not apply to the strategy. */
  const get = (name: InputName): string => {
    const value = input(name).trim();
    const only = APPLIES_TO[name];
    if (value !== '' && strategy !== undefined && only !== undefined && !only.includes(strategy)) {
      if (value === ACTION_DEFAULTS[name]) return '';
      f.warn(name, `is set but does not apply to strategy ${strategy} (only to ${only.join(', ')}); ignored`);
      return '';
    }
    return value;
  };

  const mode = readChoice(f, 'mode', get('mode'), MODES, DEFAULTS.mode);
  const region = readRegion(f, get('aws-region'), env);

  // Durations first: other inputs are checked against the timeout.
  const timeoutText = get('timeout');
  let timeoutMs = readDuration(f, 'timeout', timeoutText, DEFAULTS.timeoutMs);
  if (timeoutMs !== undefined && (timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS)) {
    f.problem('timeout', `must be above 0 and at most 6h (the GitHub job limit), got ${quote(timeoutText)}`);
    timeoutMs = undefined;
  }
  const timeoutShown = timeoutMs === undefined ? '' : `timeout (${shownDuration(timeoutText, timeoutMs)})`;

  const healthTimeoutText = get('health-timeout');
  let healthTimeoutMs = readDuration(f, 'health-timeout', healthTimeoutText, DEFAULTS.healthTimeoutMs);
  if (healthTimeoutMs === 0) {
    f.problem('health-timeout', `must be above 0, got ${quote(healthTimeoutText)}`);
    healthTimeoutMs = undefined;
  } else if (healthTimeoutMs !== undefined && timeoutMs !== undefined && healthTimeoutMs > timeoutMs) {
    f.problem(
      'health-timeout',
      `must not be longer than ${timeoutShown}, got ${shownDuration(healthTimeoutText, healthTimeoutMs)}`,
    );
  }

  const bakeTimeText = get('bake-time');
  const bakeTimeMs = readDuration(f, 'bake-time', bakeTimeText, DEFAULTS.bakeTimeMs);
  if (bakeTimeMs !== undefined && timeoutMs !== undefined && bakeTimeMs >= timeoutMs) {
    f.problem('bake-time', `must be shorter than ${timeoutShown}, got ${quote(bakeTimeText)}`);
  }

  const pollIntervalText = get('poll-interval');
  const pollIntervalMs = readDuration(f, 'poll-interval', pollIntervalText, DEFAULTS.pollIntervalMs);
  if (pollIntervalMs !== undefined && (pollIntervalMs < MIN_POLL_MS || pollIntervalMs > MAX_POLL_MS)) {
    f.problem('poll-interval', `must be between 1s and 5m, got ${quote(pollIntervalText)}`);
  } else if (
    pollIntervalMs !== undefined &&
    healthTimeoutMs !== undefined &&
    pollIntervalMs > healthTimeoutMs
  ) {
    f.warn(
      'poll-interval',
      `${formatDuration(pollIntervalMs)} is longer than health-timeout (${formatDuration(healthTimeoutMs)}): health is checked only once`,
    );
  }
  const autoRollback = readBoolean(f, 'auto-rollback', get('auto-rollback'), DEFAULTS.autoRollback);

  // Where: load balancer resources and Auto Scaling groups.
  const arns = new ArnReader(f, region);
  const listenerArns = arns.list('listener-arns', get('listener-arns'), 'alb-listener');
  const listenerRuleArns = arns.list('listener-rule-arns', get('listener-rule-arns'), 'alb-listener-rule');
  const blueTgText = get('blue-target-group-arn');
  const greenTgText = get('green-target-group-arn');
  const blueTg = arns.one('blue-target-group-arn', blueTgText, 'target-group');
  const greenTg = arns.one('green-target-group-arn', greenTgText, 'target-group');
  arns.checkSameAccount();
  checkOneLoadBalancer(f, listenerArns, listenerRuleArns);
  if (blueTgText !== '' && blueTgText === greenTgText) {
    f.problem(
      'green-target-group-arn',
      `must differ from blue-target-group-arn, got ${quote(blueTgText)} for both`,
    );
  }

  const blueAsgText = get('blue-auto-scaling-group');
  const greenAsgText = get('green-auto-scaling-group');
  const asgText = get('auto-scaling-group');
  const blueAsg = readAsgName(f, 'blue-auto-scaling-group', blueAsgText);
  const greenAsg = readAsgName(f, 'green-auto-scaling-group', greenAsgText);
  const autoScalingGroup = readAsgName(f, 'auto-scaling-group', asgText);
  if (blueAsgText !== '' && blueAsgText === greenAsgText) {
    f.problem(
      'green-auto-scaling-group',
      `must differ from blue-auto-scaling-group, got ${quote(blueAsgText)} for both`,
    );
  }
  /** Blue/green between two target groups of fleets managed elsewhere: no capacity is touched. */
  const targetGroupsOnly =
    strategy === 'blue-green' &&
    blueAsgText === '' &&
    greenAsgText === '' &&
    (blueTgText !== '' || greenTgText !== '');

  if (strategy === 'blue-green') {
    checkBlueGreenTargets(f, {
      listeners: listenerArns.length + listenerRuleArns.length,
      blueAsg: blueAsgText,
      greenAsg: greenAsgText,
      blueTg: blueTgText,
      greenTg: greenTgText,
    });
  } else if (strategy !== undefined && asgText === '') {
    f.problem(
      'auto-scaling-group',
      `is required for strategy ${strategy}, got nothing: the name of the Auto Scaling group to update`,
    );
  }

  // What: the version to deploy.
  const what = readWhatToDeploy(f, {
    launchTemplateVersion: get('launch-template-version'),
    imageId: get('image-id'),
    mode,
    strategy,
    autoRollback,
    targetGroupsOnly,
  });
  const versionLabel = readVersionLabel(f, get('version-label'));

  // How: traffic, gates and per-strategy settings.
  const trafficShift = readTrafficShift(f, get('traffic-shift'), timeoutMs, bakeTimeMs);
  const alarmNames = readAlarmNames(f, get('alarm-names'));
  if (
    strategy === 'blue-green' &&
    alarmNames.length > 0 &&
    trafficShift?.kind === 'all-at-once' &&
    bakeTimeMs === 0
  ) {
    f.warn(
      'alarm-names',
      'are only checked before the deploy: with traffic-shift all-at-once and bake-time 0 no gate watches them; set bake-time or a canary/linear traffic-shift',
    );
  }
  if (strategy === 'recreate' && alarmNames.length > 0 && bakeTimeMs === 0) {
    f.warn(
      'alarm-names',
      'are only checked before the deploy: recreate watches them during bake-time, which is 0; set bake-time',
    );
  }
  const previousFleet = readChoice(
    f,
    'previous-fleet',
    get('previous-fleet'),
    PREVIOUS_FLEET,
    DEFAULTS.previousFleet,
  );

  const minHealthyPercent = readInteger(f, 'min-healthy-percent', get('min-healthy-percent'), {
    ...PERCENT,
    max: 100,
    fallback: DEFAULTS.minHealthyPercent,
  });
  const maxHealthyPercent = readInteger(f, 'max-healthy-percent', get('max-healthy-percent'), {
    ...PERCENT,
    min: 100,
    max: 200,
    fallback: DEFAULTS.maxHealthyPercent,
  });
  // min <= max holds by their ranges; Instance Refresh also caps the gap at 100.
  if (
    minHealthyPercent !== undefined &&
    maxHealthyPercent !== undefined &&
    maxHealthyPercent - minHealthyPercent > 100
  ) {
    f.problem(
      'max-healthy-percent',
      `must be at most 100 above min-healthy-percent (${minHealthyPercent}), as Instance Refresh requires, got ${maxHealthyPercent}`,
    );
  }
  const instanceWarmupText = get('instance-warmup');
  const instanceWarmupSeconds =
    instanceWarmupText === ''
      ? undefined
      : readInteger(f, 'instance-warmup', instanceWarmupText, { min: 0, what: 'a whole number of seconds' });

  const checkpointsText = get('checkpoints');
  const checkpoints = readCheckpoints(f, checkpointsText);
  const checkpointDelayText = get('checkpoint-delay');
  const checkpointDelayMs =
    checkpointDelayText === '' ? undefined : readDuration(f, 'checkpoint-delay', checkpointDelayText, 0);
  if (checkpointDelayText !== '' && checkpointsText === '') {
    f.problem(
      'checkpoint-delay',
      `applies only with checkpoints, which are not set; got ${quote(checkpointDelayText)}`,
    );
  } else if (checkpointDelayMs !== undefined && checkpointDelayMs > MAX_CHECKPOINT_DELAY_MS) {
    f.problem(
      'checkpoint-delay',
      `must be at most 48h (Instance Refresh limit), got ${quote(checkpointDelayText)}`,
    );
  } else if (checkpointsText !== '' && checkpointDelayText === '') {
    f.warn(
      'checkpoints',
      'are set without checkpoint-delay: Instance Refresh then waits 1h at each checkpoint',
    );
  }

  const maintenanceText = get('maintenance-response');
  const maintenanceResponse = readMaintenanceResponse(f, maintenanceText);
  if (strategy === 'recreate' && maintenanceText !== '' && listenerArns.length === 0) {
    f.warn('maintenance-response', 'has no effect without listener-arns: no listener serves it while down');
  }

  if (f.problems.length > 0) return { ok: false, problems: f.problems };
  const config: Config = {
    strategy: must(strategy),
    mode: must(mode),
    region: must(region),
    listenerArns,
    listenerRuleArns,
    blue: colorConfig(blueAsg, blueTg),
    green: colorConfig(greenAsg, greenTg),
    ...(autoScalingGroup !== undefined && { autoScalingGroup }),
    ...(what.launchTemplateVersion !== undefined && { launchTemplateVersion: what.launchTemplateVersion }),
    ...(what.imageId !== undefined && { imageId: what.imageId }),
    ...(versionLabel !== undefined && { versionLabel }),
    trafficShift: must(trafficShift),
    bakeTimeMs: must(bakeTimeMs),
    alarmNames,
    previousFleet: must(previousFleet),
    minHealthyPercent: must(minHealthyPercent),
    maxHealthyPercent: must(maxHealthyPercent),
    ...(instanceWarmupSeconds !== undefined && { instanceWarmupSeconds }),
    checkpoints,
    ...(checkpointDelayMs !== undefined && { checkpointDelayMs }),
    maintenanceResponse: must(maintenanceResponse),
    autoRollback: must(autoRollback),
    healthTimeoutMs: must(healthTimeoutMs),
    timeoutMs: must(timeoutMs),
    pollIntervalMs: must(pollIntervalMs),
  };
  return { ok: true, config, warnings: f.warnings };
}

/**
 * Parsed and validated in full above, but not implemented yet: refused here, in
 * one place. Delete a line when its feature ships.
 */

/** For values that are only undefined when a problem was recorded. */
function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('readConfig: an input is invalid but no problem was recorded');
  return value;
}

function colorConfig(autoScalingGroup: string | undefined, targetGroup: ElbArn | undefined): ColorConfig {
  return {
    ...(autoScalingGroup !== undefined && { autoScalingGroup }),
    ...(targetGroup !== undefined && { targetGroupArn: targetGroup.text }),
  };
}

function readChoice<T extends string>(
  f: Findings,
  name: InputName,
  text: string,
  choices: readonly T[],
  fallback: T,
): T | undefined {
  if (text === '') return fallback;
  const choice = choices.find((c) => c === text);
  if (choice === undefined) f.problem(name, `must be ${oneOf(choices)}, got ${quote(text)}`);
  return choice;
}

function oneOf(choices: readonly string[]): string {
  return choices.length < 2 ? choices.join('') : `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
}

function readBoolean(f: Findings, name: InputName, text: string, fallback: boolean): boolean | undefined {
  if (text === '') return fallback;
  if (TRUE_WORDS.includes(text)) return true;
  if (FALSE_WORDS.includes(text)) return false;
  f.problem(name, `must be true or false, got ${quote(text)}`);
  return undefined;
}

function readDuration(f: Findings, name: InputName, text: string, fallback: number): number | undefined {
  if (text === '') return fallback;
  const ms = parseDuration(text);
  if (ms === undefined)
    f.problem(name, `must be a duration such as 90, 90s, 5m or 1h30m, got ${quote(text)}`);
  return ms;
}

interface IntegerRule {
  min: number;
  max?: number;
  /** What the number is, for messages: "a whole percentage". */
  what: string;
  /** Used when the input is empty; without it, empty is a problem. */
  fallback?: number;
}
const PERCENT: IntegerRule = { min: 0, max: 100, what: 'a whole percentage' };

/** A duration for a message: as the user wrote it, or the default it fell back to. */
function shownDuration(text: string, ms: number): string {
  return text === '' ? `${formatDuration(ms)}, the default` : quote(text);
}

function readInteger(f: Findings, name: InputName, text: string, rule: IntegerRule): number | undefined {
  if (text === '' && rule.fallback !== undefined) return rule.fallback;
  const n = parseWholeNumber(text);
  if (n !== undefined && n >= rule.min && (rule.max === undefined || n <= rule.max)) return n;
  const range = rule.max === undefined ? `of at least ${rule.min}` : `from ${rule.min} to ${rule.max}`;
  f.problem(name, `must be ${rule.what} ${range}, got ${quote(text)}`);
  return undefined;
}

/** Digits only: no sign, no decimals, no exponent. */
function parseWholeNumber(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

function readRegion(f: Findings, given: string, env: Record<string, string | undefined>): string | undefined {
  const candidates: readonly (readonly [value: string | undefined, source: string])[] = [
    [given, ''],
    [env.AWS_REGION, ' (from the AWS_REGION environment variable)'],
    [env.AWS_DEFAULT_REGION, ' (from the AWS_DEFAULT_REGION environment variable)'],
  ];
  for (const [raw, source] of candidates) {
    const value = raw?.trim() ?? '';
    if (value === '') continue;
    if (isRegion(value)) return value;
    const hint = isAvailabilityZone(value) ? ': that is an availability zone, drop its last letter' : '';
    f.problem('aws-region', `must be an AWS region such as us-east-1, got ${quote(value)}${source}${hint}`);
    return undefined;
  }
  f.problem(
    'aws-region',
    'is required, got nothing: set aws-region, or AWS_REGION in the environment (aws-actions/configure-aws-credentials sets it)',
  );
  return undefined;
}

/** What an ARN input must hold, and where the other kinds belong. */
const EXPECTED_ARN: Record<'alb-listener' | 'alb-listener-rule' | 'target-group', string> = {
  'alb-listener':
    'an Application Load Balancer listener ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/NAME/ID/ID)',
  'alb-listener-rule':
    'an Application Load Balancer listener rule ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener-rule/app/NAME/ID/ID/ID)',
  'target-group': 'a target group ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID)',
};
const WHERE_IT_BELONGS: Partial<Record<ElbResourceKind, string>> = {
  'alb-listener': 'listener ARNs go in listener-arns',
  'alb-listener-rule': 'listener rule ARNs go in listener-rule-arns',
  'target-group': 'target group ARNs go in blue-target-group-arn and green-target-group-arn',
  'nlb-listener': 'asg-deploy moves traffic on Application Load Balancers only',
  'gwlb-listener': 'asg-deploy moves traffic on Application Load Balancers only',
  'other-listener-rule': 'asg-deploy moves traffic on Application Load Balancers only',
};

/** Reads ELB ARNs, checking each against the region, and the accounts against each other. */
class ArnReader {
  private readonly accounts: { input: InputName; arn: ElbArn }[] = [];

  constructor(
    private readonly f: Findings,
    private readonly region: string | undefined,
  ) {}

  list(name: InputName, text: string, kind: keyof typeof EXPECTED_ARN): string[] {
    const { items, duplicates } = parseList(text);
    for (const duplicate of duplicates) {
      this.f.problem(name, `must list each ARN once, got ${quote(duplicate)} more than once`);
    }
    for (const item of items) this.one(name, item, kind);
    return [...new Set(items)];
  }

  one(name: InputName, text: string, kind: keyof typeof EXPECTED_ARN): ElbArn | undefined {
    if (text === '') return undefined;
    const expected = EXPECTED_ARN[kind];
    const parsed = parseElbArn(text);
    if ('error' in parsed) {
      this.f.problem(name, `must be ${expected}, got ${quote(text)}: ${parsed.error}`);
      return undefined;
    }
    const { arn } = parsed;
    if (arn.kind !== kind) {
      const where = WHERE_IT_BELONGS[arn.kind];
      this.f.problem(
        name,
        `must be ${expected}, got ${describeKind(arn.kind)} ${quote(text)}${where ? `: ${where}` : ''}`,
      );
      return undefined;
    }
    const wrong: string[] = [];
    if (this.region !== undefined && arn.partition !== partitionOf(this.region)) {
      wrong.push(
        `partition ${quote(arn.partition)}, but region ${this.region} is in partition ${partitionOf(this.region)}`,
      );
    }
    if (this.region !== undefined && arn.region !== this.region) {
      wrong.push(`region ${quote(arn.region)}, but aws-region is ${this.region}`);
    }
    if (!ACCOUNT.test(arn.account)) wrong.push(`account ${quote(arn.account)}, not a 12-digit account id`);
    if (wrong.length > 0) {
      this.f.problem(
        name,
        `must be ${expected} in region ${this.region ?? '(aws-region)'}, got ${quote(text)}: ${wrong.join('; ')}`,
      );
      return undefined;
    }
    this.accounts.push({ input: name, arn });
    return arn;
  }

  /** Listeners, rules and target groups of one deployment live in one account. */
  checkSameAccount(): void {
    const first = this.accounts[0];
    if (first === undefined) return;
    for (const { input, arn } of this.accounts) {
      if (arn.account === first.arn.account) continue;
      this.f.problem(
        input,
        `must be in the same AWS account as the other ARNs (${first.arn.account}, as in ${first.input}), got account ${arn.account} in ${quote(arn.text)}`,
      );
    }
  }
}

/**
 * A target group serves one load balancer only, so every rule that moves blue
 * and green must be on the load balancer of the listeners.
 */
function checkOneLoadBalancer(f: Findings, listenerArns: string[], ruleArns: string[]): void {
  const listenerLbs = new Set(listenerArns.map(loadBalancerOf).filter((lb) => lb !== undefined));
  const expected = listenerLbs.size > 0 ? listenerLbs : new Set([loadBalancerOf(ruleArns[0] ?? '')]);
  for (const rule of ruleArns) {
    const lb = loadBalancerOf(rule);
    if (lb === undefined || expected.has(lb)) continue;
    f.problem(
      'listener-rule-arns',
      `must be rules of the load balancer of ${listenerLbs.size > 0 ? 'listener-arns' : 'the first rule'} (${[...expected].join(', ')}), got ${quote(rule)} on load balancer ${lb}: a target group serves one load balancer only`,
    );
  }
}

/** An Auto Scaling group name, as the Auto Scaling API takes it. */
function readAsgName(f: Findings, name: InputName, text: string): string | undefined {
  if (text === '') return undefined;
  if ([...text].length > 255 || hasControlCharacter(text)) {
    f.problem(
      name,
      `must be an Auto Scaling group name (1 to 255 characters, no control characters), got ${quote(text)}`,
    );
    return undefined;
  }
  if (text.startsWith('arn:')) {
    f.problem(name, `must be an Auto Scaling group name, not an ARN, got ${quote(text)}`);
    return undefined;
  }
  return text;
}

function checkBlueGreenTargets(
  f: Findings,
  given: { listeners: number; blueAsg: string; greenAsg: string; blueTg: string; greenTg: string },
): void {
  if (given.listeners === 0) {
    f.problem(
      'listener-arns',
      'is required for strategy blue-green, got nothing: the ALB listeners (or listener-rule-arns, the rules) whose traffic moves between blue and green',
    );
  }
  if (given.blueAsg !== '' && given.greenAsg === '') {
    f.problem(
      'green-auto-scaling-group',
      'is required when blue-auto-scaling-group is set, got nothing: blue-green needs both fleets',
    );
  }
  if (given.greenAsg !== '' && given.blueAsg === '') {
    f.problem(
      'blue-auto-scaling-group',
      'is required when green-auto-scaling-group is set, got nothing: blue-green needs both fleets',
    );
  }
  if (given.blueAsg !== '' || given.greenAsg !== '') return;
  if (given.blueTg === '' && given.greenTg === '') {
    f.problem(
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
      f.problem(
        `${color}-target-group-arn`,
        'is required when no Auto Scaling groups are given (traffic then moves between the two target groups), got nothing',
      );
    }
  }
}

function readWhatToDeploy(
  f: Findings,
  given: {
    launchTemplateVersion: string;
    imageId: string;
    mode: Mode | undefined;
    strategy: Strategy | undefined;
    autoRollback: boolean | undefined;
    targetGroupsOnly: boolean;
  },
): { launchTemplateVersion?: string; imageId?: string } {
  const { launchTemplateVersion: version, imageId, mode } = given;
  const versionOk =
    version === '' || checkLaunchTemplateVersion(f, version, given.autoRollback, given.strategy);
  const imageOk = imageId === '' || checkImageId(f, imageId);

  if (mode === 'rollback') {
    if (version !== '')
      f.warn(
        'launch-template-version',
        'is ignored in rollback mode: the previous recorded version is restored',
      );
    if (imageId !== '')
      f.warn('image-id', 'is ignored in rollback mode: the previous recorded version is restored');
    return {};
  }
  if (given.targetGroupsOnly) {
    for (const [name, value] of [
      ['launch-template-version', version],
      ['image-id', imageId],
    ] as const) {
      if (value !== '') {
        f.problem(
          name,
          `needs blue-auto-scaling-group and green-auto-scaling-group, got ${quote(value)} with target groups only: then traffic moves between the target groups and no instance is changed`,
        );
      }
    }
    return {};
  }
  if (mode !== undefined) {
    if (version !== '' && imageId !== '') {
      f.problem(
        'launch-template-version',
        `must be given alone: set either launch-template-version or image-id, not both; got launch-template-version ${quote(version)} and image-id ${quote(imageId)}`,
      );
    } else if (version === '' && imageId === '') {
      f.problem(
        'launch-template-version',
        `is required in ${mode} mode, got nothing: set launch-template-version or image-id`,
      );
    }
  }
  return {
    ...(version !== '' && versionOk && { launchTemplateVersion: version }),
    ...(imageId !== '' && imageOk && { imageId }),
  };
}

function checkLaunchTemplateVersion(
  f: Findings,
  version: string,
  autoRollback: boolean | undefined,
  strategy: Strategy | undefined,
): boolean {
  const n = parseWholeNumber(version);
  if (!(n !== undefined && n >= 1) && version !== '$Default' && version !== '$Latest') {
    f.problem(
      'launch-template-version',
      `must be a version number (1, 2, …), $Default or $Latest, got ${quote(version)}`,
    );
    return false;
  }
  if (autoRollback !== true) return true;
  if (version === '$Latest') {
    f.problem(
      'launch-template-version',
      'must be a version number when auto-rollback is true, got "$Latest": a rollback could not name the version that was running, as $Latest moves with every new version; give the number, or set auto-rollback: false',
    );
    return false;
  }
  if (version === '$Default' && strategy === 'rolling') {
    f.problem(
      'launch-template-version',
      'must be a version number for strategy rolling when auto-rollback is true, got "$Default": Instance Refresh cannot roll back a group that uses $Default or $Latest',
    );
    return false;
  }
  return true;
}

function checkImageId(f: Findings, imageId: string): boolean {
  if (/^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(imageId)) return true;
  f.problem('image-id', `must be an AMI id (ami- and 8 or 17 hexadecimal digits), got ${quote(imageId)}`);
  return false;
}

function readVersionLabel(f: Findings, text: string): string | undefined {
  if (text === '') return undefined;
  if ([...text].length <= 256 && !hasControlCharacter(text)) return text;
  f.problem(
    'version-label',
    `must be at most 256 characters without control characters (it is stored in a tag), got ${quote(text)}`,
  );
  return undefined;
}

const SHIFT_FORMAT = 'all-at-once, canary:PCT:DURATION or linear:PCT:DURATION (e.g. canary:10:5m)';

function readTrafficShift(
  f: Findings,
  text: string,
  timeoutMs: number | undefined,
  bakeTimeMs: number | undefined,
): TrafficShift | undefined {
  if (text === '' || text === 'all-at-once') return { kind: 'all-at-once' };
  const m = /^(canary|linear):([^:]*):([^:]*)$/.exec(text);
  const kind = m?.[1];
  if (m === null || (kind !== 'canary' && kind !== 'linear')) {
    f.problem('traffic-shift', `must be ${SHIFT_FORMAT}, got ${quote(text)}`);
    return undefined;
  }
  const percent = parseWholeNumber(m[2] ?? '');
  const intervalMs = parseDuration(m[3] ?? '');
  let ok = true;
  if (percent === undefined || percent < 1 || percent > 99) {
    f.problem(
      'traffic-shift',
      `must have a whole percentage from 1 to 99 after "${kind}:", got ${quote(text)}`,
    );
    ok = false;
  }
  if (intervalMs === undefined || intervalMs <= 0) {
    f.problem('traffic-shift', `must end with a duration above 0 such as 5m, got ${quote(text)}`);
    ok = false;
  } else if (timeoutMs !== undefined && intervalMs > timeoutMs) {
    f.problem(
      'traffic-shift',
      `must have an interval no longer than timeout (${formatDuration(timeoutMs)}), got ${quote(text)}`,
    );
    ok = false;
  }
  if (kind === 'linear' && percent !== undefined && ok && 100 % percent !== 0) {
    f.problem(
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
    f.problem(
      'traffic-shift',
      `must fit in timeout (${formatDuration(timeoutMs)}): ${text} holds traffic ${holds} × ${formatDuration(intervalMs)}, plus bake-time, which is ${formatDuration(shiftingMs)}, so the deployment would time out mid-shift and roll back; got ${quote(text)}`,
    );
    return undefined;
  }
  return { kind, percent, intervalMs };
}

function readAlarmNames(f: Findings, text: string): string[] {
  const { items, duplicates } = parseList(text);
  for (const duplicate of duplicates) {
    f.problem('alarm-names', `must list each alarm once, got ${quote(duplicate)} more than once`);
  }
  const names = [...new Set(items)];
  if (names.length > MAX_ALARMS)
    f.problem('alarm-names', `must list at most ${MAX_ALARMS} alarms, got ${names.length}`);
  for (const name of names) {
    if ([...name].length > 255 || hasControlCharacter(name)) {
      f.problem('alarm-names', `must be CloudWatch alarm names of 1 to 255 characters, got ${quote(name)}`);
    }
  }
  return names;
}

function readCheckpoints(f: Findings, text: string): number[] {
  const { items, duplicates } = parseList(text);
  const values: number[] = [];
  for (const item of items) {
    const n = parseWholeNumber(item);
    if (n === undefined || n < 1 || n > 100) {
      f.problem('checkpoints', `must be whole percentages from 1 to 100, got ${quote(item)}`);
    } else {
      values.push(n);
    }
  }
  if (values.length < items.length) return [];
  if (duplicates.length > 0) {
    f.problem('checkpoints', `must list each percentage once, got ${duplicates.join(', ')} more than once`);
  } else if (values.some((v, i) => i > 0 && v <= (values[i - 1] ?? 0))) {
    f.problem('checkpoints', `must be in increasing order, got ${quote(text)}`);
  }
  if (values.length > 0 && values.at(-1) !== 100) {
    f.problem('checkpoints', `must end with 100 (to replace every instance), got ${quote(text)}`);
  }
  return values;
}

function readMaintenanceResponse(f: Findings, text: string): MaintenanceResponse | undefined {
  if (text === '') return { ...DEFAULTS.maintenanceResponse };
  const colon = text.indexOf(':');
  const status = colon < 0 ? text : text.slice(0, colon);
  const body = colon < 0 ? '' : text.slice(colon + 1);
  let ok = true;
  if (!/^[245]\d\d$/.test(status)) {
    f.problem(
      'maintenance-response',
      `must start with an HTTP status code 2XX, 4XX or 5XX (a load balancer fixed response), optionally followed by :BODY, got ${quote(text)}`,
    );
    ok = false;
  }
  if ([...body].length > 1024) {
    f.problem('maintenance-response', `must have a body of at most 1024 characters, got ${[...body].length}`);
    ok = false;
  }
  if (!ok) return undefined;
  return { statusCode: Number(status), ...(body !== '' && { body }) };
}
