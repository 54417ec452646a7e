/**
 * Readers of one input each: parse and validate, record a problem naming the
 * input, and fall back to the input's action.yml default when it is empty.
 */
import type { MaintenanceResponse } from './config.js';
import { isAvailabilityZone, isRegion, looksLikeRegion, PARTITION_REGIONS } from './arn.js';
import { formatDuration, parseDuration } from './duration.js';
import { parseList } from './list.js';
import { characters, hasControlCharacter, quote } from './quote.js';
import type { InputReader } from './reader.js';
import { defaultOf, type InputName } from './spec.js';

const MAX_ALARMS = 100;
/** The YAML 1.2 core booleans, as `core.getBooleanInput` accepts them. */
const TRUE_WORDS = ['true', 'True', 'TRUE'];
const FALSE_WORDS = ['false', 'False', 'FALSE'];

export function readChoice<T extends string>(
  r: InputReader,
  name: InputName,
  text: string,
  choices: readonly T[],
): T | undefined {
  const given = text === '' ? defaultOf(name) : text;
  const choice = choices.find((c) => c === given);
  if (choice === undefined) r.problem(name, `must be ${oneOf(choices)}, got ${quote(text)}`);
  return choice;
}

function oneOf(choices: readonly string[]): string {
  const last = choices.at(-1);
  return last === undefined || choices.length < 2
    ? choices.join('')
    : `${choices.slice(0, -1).join(', ')} or ${last}`;
}

export function readBoolean(r: InputReader, name: InputName, text: string): boolean | undefined {
  const given = text === '' ? defaultOf(name) : text;
  if (TRUE_WORDS.includes(given)) return true;
  if (FALSE_WORDS.includes(given)) return false;
  r.problem(name, `must be true or false, got ${quote(text)}`);
  return undefined;
}

/** Milliseconds; the default when empty, undefined when empty without a default. */
export function readDuration(r: InputReader, name: InputName, text: string): number | undefined {
  if (text === '') return parseDuration(defaultOf(name));
  const ms = parseDuration(text);
  if (ms === undefined)
    r.problem(name, `must be a duration such as 90, 90s, 5m or 1h30m, got ${quote(text)}`);
  return ms;
}

/** A duration for a message: as the user wrote it, or the default it fell back to. */
export function shownDuration(text: string, ms: number): string {
  return text === '' ? `${formatDuration(ms)}, the default` : quote(text);
}

export interface IntegerRule {
  min: number;
  max?: number;
  /** What the number is, for messages: "a whole percentage". */
  what: string;
}
export const PERCENT: IntegerRule = { min: 0, max: 100, what: 'a whole percentage' };

/** A whole number in range; the default when empty (without a default, empty is a problem). */
export function readInteger(
  r: InputReader,
  name: InputName,
  text: string,
  rule: IntegerRule,
): number | undefined {
  const fallback = defaultOf(name);
  if (text === '' && fallback !== '') return parseWholeNumber(fallback);
  const n = parseWholeNumber(text);
  if (n !== undefined && n >= rule.min && (rule.max === undefined || n <= rule.max)) return n;
  const range = rule.max === undefined ? `of at least ${rule.min}` : `from ${rule.min} to ${rule.max}`;
  r.problem(name, `must be ${rule.what} ${range}, got ${quote(text)}`);
  return undefined;
}

/** Digits only: no sign, no decimals, no exponent. */
export function parseWholeNumber(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function readRegion(
  r: InputReader,
  given: string,
  env: Record<string, string | undefined>,
): string | undefined {
  const candidates: readonly (readonly [value: string | undefined, source: string])[] = [
    [given, ''],
    [env.AWS_REGION, ' (from the AWS_REGION environment variable)'],
    [env.AWS_DEFAULT_REGION, ' (from the AWS_DEFAULT_REGION environment variable)'],
  ];
  for (const [raw, source] of candidates) {
    const value = raw?.trim() ?? '';
    if (value === '') continue;
    if (isRegion(value)) return value;
    const hint = isAvailabilityZone(value)
      ? ': that is an availability zone, drop its last letter'
      : looksLikeRegion(value)
        ? `: no AWS partition has a region named like that (${PARTITION_REGIONS.map(([partition, , shown]) => `${partition}: ${shown}`).join('; ')})`
        : '';
    r.problem('aws-region', `must be an AWS region such as us-east-1, got ${quote(value)}${source}${hint}`);
    return undefined;
  }
  r.problem(
    'aws-region',
    'is required, got nothing: set aws-region, or AWS_REGION in the environment (aws-actions/configure-aws-credentials sets it)',
  );
  return undefined;
}

/** An Auto Scaling group name, as the Auto Scaling API takes it. */
export function readAsgName(r: InputReader, name: InputName, text: string): string | undefined {
  if (text === '') return undefined;
  if (characters(text).length > 255 || hasControlCharacter(text)) {
    r.problem(
      name,
      `must be an Auto Scaling group name (1 to 255 characters, no control characters), got ${quote(text)}`,
    );
    return undefined;
  }
  if (text.startsWith('arn:')) {
    r.problem(name, `must be an Auto Scaling group name, not an ARN, got ${quote(text)}`);
    return undefined;
  }
  return text;
}

export function readVersionLabel(
  r: InputReader,
  text: string,
  name: 'version-label' | 'expected-version-label' = 'version-label',
): string | undefined {
  if (text === '') return undefined;
  if (characters(text).length <= 256 && !hasControlCharacter(text)) return text;
  r.problem(
    name,
    `must be at most 256 characters without control characters (it is stored in a tag), got ${quote(text)}`,
  );
  return undefined;
}

export function readAlarmNames(r: InputReader, text: string): string[] {
  const { items, duplicates } = parseList(text);
  for (const duplicate of duplicates) {
    r.problem('alarm-names', `must list each alarm once, got ${quote(duplicate)} more than once`);
  }
  const names = [...new Set(items)];
  if (names.length > MAX_ALARMS)
    r.problem('alarm-names', `must list at most ${MAX_ALARMS} alarms, got ${names.length}`);
  for (const name of names) {
    if (characters(name).length > 255 || hasControlCharacter(name)) {
      r.problem('alarm-names', `must be CloudWatch alarm names of 1 to 255 characters, got ${quote(name)}`);
    }
  }
  return names;
}

export function readCheckpoints(r: InputReader, text: string): number[] {
  const { items, duplicates } = parseList(text);
  const values: number[] = [];
  for (const item of items) {
    const n = parseWholeNumber(item);
    if (n === undefined || n < 1 || n > 100) {
      r.problem('checkpoints', `must be whole percentages from 1 to 100, got ${quote(item)}`);
    } else {
      values.push(n);
    }
  }
  if (values.length < items.length) return [];
  if (duplicates.length > 0) {
    r.problem('checkpoints', `must list each percentage once, got ${duplicates.join(', ')} more than once`);
  } else if (values.some((v, i) => i > 0 && v <= (values[i - 1] ?? 0))) {
    r.problem('checkpoints', `must be in increasing order, got ${quote(text)}`);
  }
  if (values.length > 0 && values.at(-1) !== 100) {
    r.problem('checkpoints', `must end with 100 (to replace every instance), got ${quote(text)}`);
  }
  return values;
}

export function readMaintenanceResponse(r: InputReader, given: string): MaintenanceResponse | undefined {
  const text = given === '' ? defaultOf('maintenance-response') : given;
  const colon = text.indexOf(':');
  const status = colon < 0 ? text : text.slice(0, colon);
  const body = colon < 0 ? '' : text.slice(colon + 1);
  let ok = true;
  if (!/^[245]\d\d$/.test(status)) {
    r.problem(
      'maintenance-response',
      `must start with an HTTP status code 2XX, 4XX or 5XX (a load balancer fixed response), optionally followed by :BODY, got ${quote(text)}`,
    );
    ok = false;
  }
  if (characters(body).length > 1024) {
    r.problem(
      'maintenance-response',
      `must have a body of at most 1024 characters, got ${characters(body).length}`,
    );
    ok = false;
  }
  if (!ok) return undefined;
  return { statusCode: Number(status), ...(body !== '' && { body }) };
}

/** Every process of EC2 Auto Scaling (SuspendProcesses' ScalingProcesses). */
export const SCALING_PROCESSES = [
  'Launch',
  'Terminate',
  'AddToLoadBalancer',
  'AlarmNotification',
  'AZRebalance',
  'HealthCheck',
  'InstanceRefresh',
  'ReplaceUnhealthy',
  'ScheduledActions',
] as const;
/** Processes a deploy needs running: it launches, terminates, registers and checks instances. */
const NEEDED_PROCESSES = new Set([
  'Launch',
  'Terminate',
  'HealthCheck',
  'ReplaceUnhealthy',
  'AddToLoadBalancer',
]);

/** suspend-processes: process names (AWS's spelling, any case), or `none`. */
export function readSuspendProcesses(r: InputReader, text: string, strategy: string | undefined): string[] {
  const given = text === '' ? defaultOf('suspend-processes') : text;
  if (given.toLowerCase() === 'none') return [];
  const { items, duplicates } = parseList(given);
  for (const duplicate of duplicates) {
    r.problem('suspend-processes', `must list each process once, got ${quote(duplicate)} more than once`);
  }
  const names: string[] = [];
  for (const item of new Set(items)) {
    const name = SCALING_PROCESSES.find((p) => p.toLowerCase() === item.toLowerCase());
    if (name === undefined) {
      r.problem(
        'suspend-processes',
        `must be EC2 Auto Scaling process names (${SCALING_PROCESSES.filter((p) => !NEEDED_PROCESSES.has(p)).join(', ')}) or none, got ${quote(item)}`,
      );
    } else if (NEEDED_PROCESSES.has(name)) {
      r.problem(
        'suspend-processes',
        `cannot suspend ${name}: the deploy needs it to launch, register, check and replace instances; leave it out`,
      );
    } else if (name === 'InstanceRefresh' && (strategy === 'rolling' || strategy === 'recreate')) {
      r.problem(
        'suspend-processes',
        `cannot suspend InstanceRefresh with strategy ${strategy}: the deploy is an Instance Refresh; leave it out`,
      );
    } else names.push(name);
  }
  if (items.some((i) => i.toLowerCase() === 'none'))
    r.problem('suspend-processes', 'none must be given alone');
  return names;
}
