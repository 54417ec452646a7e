import type { BlueGreenConfig, Config, InputProblem, TargetGroupsConfig } from '../src/inputs/config.js';
import { INPUT_NAMES, parseDuration, readConfig } from '../src/inputs/index.js';
import type { ReadConfigResult } from '../src/inputs/index.js';
import { parseElbArn, partitionOf } from '../src/inputs/arn.js';
import { formatDuration } from '../src/inputs/duration.js';
import { parseList } from '../src/inputs/list.js';
import { quote } from '../src/inputs/quote.js';

const ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '210987654321';

function elbArn(
  resource: string,
  at: { partition?: string; region?: string; account?: string } = {},
): string {
  const { partition = 'aws', region = 'us-east-1', account = ACCOUNT } = at;
  return `arn:${partition}:elasticloadbalancing:${region}:${account}:${resource}`;
}

const LISTENER = elbArn('listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2');
const LISTENER_2 = elbArn('listener/app/web/50dc6c495c0c9188/0123456789abcdef');
const RULE = elbArn('listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee');
const BLUE_TG = elbArn('targetgroup/web-blue/73e2d6bc24d8a067');
const GREEN_TG = elbArn('targetgroup/web-green/8a06773e2d6bc24d');
const NLB_LISTENER = elbArn('listener/net/web/50dc6c495c0c9188/f2f7dc8efc522ab2');

type Inputs = Record<string, string>;

const ENV: Record<string, string | undefined> = { AWS_REGION: 'us-east-1' };
/** The smallest blue/green deploy. */
const BLUE_GREEN: Inputs = {
  'listener-arns': LISTENER,
  'blue-auto-scaling-group': 'web-blue',
  'green-auto-scaling-group': 'web-green',
  'launch-template-version': '7',
};
/** Blue/green between two target groups of fleets managed elsewhere. */
const TARGET_GROUPS_ONLY: Inputs = {
  'listener-arns': LISTENER,
  'blue-target-group-arn': BLUE_TG,
  'green-target-group-arn': GREEN_TG,
};
const ROLLING: Inputs = { strategy: 'rolling', 'auto-scaling-group': 'web', 'launch-template-version': '7' };
const RECREATE: Inputs = {
  strategy: 'recreate',
  'auto-scaling-group': 'web',
  'launch-template-version': '7',
};

const NAMES: readonly string[] = INPUT_NAMES;

/** readConfig over `base` with `overrides` ('' unsets); fails on a name the action does not declare. */
function read(
  overrides: Inputs = {},
  base: Inputs = BLUE_GREEN,
  env: Record<string, string | undefined> = ENV,
) {
  const inputs: Inputs = { ...base, ...overrides };
  for (const name of Object.keys(inputs)) {
    if (!NAMES.includes(name)) throw new Error(`test uses an undeclared input ${name}`);
  }
  return readConfig((name) => {
    if (!NAMES.includes(name)) throw new Error(`readConfig asked for an undeclared input ${name}`);
    return inputs[name] ?? '';
  }, env);
}

function configOf(result: ReadConfigResult): Config {
  if (!result.ok) throw new Error(`expected a config, got problems: ${JSON.stringify(result.problems)}`);
  return result.config;
}

function blueGreenOf(result: ReadConfigResult): BlueGreenConfig {
  const config = configOf(result);
  if (config.strategy !== 'blue-green' || config.targetGroupsOnly)
    throw new Error('expected blue/green with groups');
  return config;
}

function targetGroupsOf(result: ReadConfigResult): TargetGroupsConfig {
  const config = configOf(result);
  if (config.strategy !== 'blue-green' || !config.targetGroupsOnly)
    throw new Error('expected target groups only');
  return config;
}

function warningsOf(result: ReadConfigResult): string[] {
  if (!result.ok) throw new Error(`expected a config, got problems: ${JSON.stringify(result.problems)}`);
  return result.warnings;
}

function problemsOf(result: ReadConfigResult): InputProblem[] {
  if (result.ok) throw new Error(`expected problems, got a config: ${JSON.stringify(result.config)}`);
  return result.problems;
}

describe('INPUT_NAMES', () => {
  test('lists every input of the design, plus checkpoint-delay, once each', () => {
    const design = [
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
      'expected-version-label',
      'traffic-shift',
      'bake-time',
      'alarm-names',
      'previous-fleet',
      'preview-listener-arns',
      'preview-header',
      'stage-expires-after',
      'min-healthy-percent',
      'max-healthy-percent',
      'instance-warmup',
      'checkpoints',
      'checkpoint-delay',
      'maintenance-response',
      'protected-instances',
      'standby-instances',
      'auto-rollback',
      'health-timeout',
      'timeout',
      'poll-interval',
      'suspend-processes',
      'dry-run',
    ];
    expect([...INPUT_NAMES].sort()).toEqual([...design].sort());
  });
});

describe('readConfig: valid inputs', () => {
  test('a minimal blue/green deploy gets every default', () => {
    const result = read();
    expect(result).toStrictEqual({
      ok: true,
      warnings: [],
      config: {
        strategy: 'blue-green',
        targetGroupsOnly: false,
        mode: 'deploy',
        region: 'us-east-1',
        listenerArns: [LISTENER],
        listenerRuleArns: [],
        blue: { autoScalingGroup: 'web-blue' },
        green: { autoScalingGroup: 'web-green' },
        launchTemplateVersion: '7',
        versionLabel: '',
        trafficShift: { kind: 'all-at-once' },
        bakeTimeMs: 0,
        alarmNames: [],
        previousFleet: 'scale-down',
        previewListenerArns: [],
        stageExpiresAfterMs: 86_400_000,
        autoRollback: true,
        dryRun: false,
        healthTimeoutMs: 600_000,
        timeoutMs: 1_800_000,
        pollIntervalMs: 10_000,
        suspendProcesses: ['AlarmNotification', 'ScheduledActions', 'AZRebalance'],
      } satisfies Config,
    });
  });

  test('every blue/green input given explicitly', () => {
    const config = blueGreenOf(
      read({
        strategy: 'blue-green',
        mode: 'deploy',
        'aws-region': 'us-east-1',
        'listener-arns': `${LISTENER}\n${LISTENER_2}\n`,
        'listener-rule-arns': RULE,
        'blue-target-group-arn': BLUE_TG,
        'green-target-group-arn': GREEN_TG,
        'launch-template-version': '',
        'image-id': 'ami-0123456789abcdef0',
        'version-label': 'v1.02',
        'traffic-shift': 'all-at-once',
        'bake-time': '5m',
        'alarm-names': 'web-5xx, web-latency',
        'previous-fleet': 'keep',
        'auto-rollback': 'False',
        'health-timeout': '90',
        timeout: '1h30m',
        'poll-interval': '1s',
      }),
    );
    expect(config).toMatchObject({
      listenerArns: [LISTENER, LISTENER_2],
      listenerRuleArns: [RULE],
      blue: { autoScalingGroup: 'web-blue', targetGroupArn: BLUE_TG },
      green: { autoScalingGroup: 'web-green', targetGroupArn: GREEN_TG },
      imageId: 'ami-0123456789abcdef0',
      versionLabel: 'v1.02',
      bakeTimeMs: 300_000,
      alarmNames: ['web-5xx', 'web-latency'],
      previousFleet: 'keep',
      autoRollback: false,
      healthTimeoutMs: 90_000,
      timeoutMs: 5_400_000,
      pollIntervalMs: 1_000,
    });
    expect(config.launchTemplateVersion).toBeUndefined();
  });

  test('target groups only: no ASG, no version to deploy', () => {
    const result = read({}, TARGET_GROUPS_ONLY);
    const config = targetGroupsOf(result);
    expect(config.blue).toStrictEqual({ targetGroupArn: BLUE_TG });
    expect(config.green).toStrictEqual({ targetGroupArn: GREEN_TG });
    expect(config).not.toHaveProperty('launchTemplateVersion');
    expect(config).not.toHaveProperty('imageId');
  });

  test.each([
    ['canary:10:5m', { kind: 'canary', percent: 10, intervalMs: 300_000 }],
    ['linear:25:2m', { kind: 'linear', percent: 25, intervalMs: 120_000 }],
    ['linear:50:90s', { kind: 'linear', percent: 50, intervalMs: 90_000 }],
  ])('traffic-shift %s', (text, shift) => {
    expect(blueGreenOf(read({ 'traffic-shift': text })).trafficShift).toStrictEqual(shift);
  });

  test("rules of the listeners' load balancer are accepted with them", () => {
    const config = blueGreenOf(
      read({ 'listener-arns': `${LISTENER},${LISTENER_2}`, 'listener-rule-arns': RULE }),
    );
    expect(config.listenerRuleArns).toEqual([RULE]);
  });

  test('alarms that no gate watches (all-at-once, no bake) are accepted with a warning', () => {
    const warnings = warningsOf(read({ 'alarm-names': 'web-5xx' }));
    expect(warnings).toEqual([expect.stringMatching(/^alarm-names: are only checked before the deploy/)]);
    expect(warningsOf(read({ 'alarm-names': 'web-5xx', 'bake-time': '5m' }))).toEqual([]);
    expect(warningsOf(read({ 'alarm-names': 'web-5xx', 'traffic-shift': 'canary:10:5m' }))).toEqual([]);
  });

  test('listener rules alone are enough', () => {
    const config = blueGreenOf(read({ 'listener-arns': '', 'listener-rule-arns': RULE }));
    expect(config.listenerArns).toEqual([]);
    expect(config.listenerRuleArns).toEqual([RULE]);
  });

  test.each([
    [
      'the aws-region input wins',
      { 'aws-region': 'eu-central-2' },
      { AWS_REGION: 'us-east-1' },
      'eu-central-2',
    ],
    ['then AWS_REGION', {}, { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'eu-west-1' }, 'us-east-1'],
    ['then AWS_DEFAULT_REGION', {}, { AWS_REGION: '  ', AWS_DEFAULT_REGION: 'us-east-1' }, 'us-east-1'],
  ])('region: %s', (_, inputs, env, region) => {
    const arn = elbArn('listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2', { region });
    expect(configOf(read({ ...inputs, 'listener-arns': arn }, BLUE_GREEN, env)).region).toBe(region);
  });

  test.each([
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['eu-central-2', 'aws'],
  ])('ARNs in region %s use partition %s', (region, partition) => {
    const arn = elbArn('listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2', { region, partition });
    expect(blueGreenOf(read({ 'aws-region': region, 'listener-arns': arn })).listenerArns).toEqual([arn]);
  });

  test('$Latest is accepted when auto-rollback is false', () => {
    const config = blueGreenOf(read({ 'launch-template-version': '$Latest', 'auto-rollback': 'false' }));
    expect(config.launchTemplateVersion).toBe('$Latest');
    expect(config.autoRollback).toBe(false);
  });

  test('mode rollback needs no version: the previous recorded one is restored', () => {
    const config = blueGreenOf(read({ mode: 'rollback', 'launch-template-version': '' }));
    expect(config.mode).toBe('rollback');
    expect(config.launchTemplateVersion).toBeUndefined();
  });

  test('mode plan is read like deploy', () => {
    const config = configOf(read({ mode: 'plan', 'launch-template-version': '3' }));
    expect(config).toMatchObject({ mode: 'plan', launchTemplateVersion: '3' });
  });

  test.each(['true', 'True', 'TRUE'])('auto-rollback %s is true', (text) => {
    expect(
      configOf(read({ 'auto-rollback': text, 'launch-template-version': '$Default' })).autoRollback,
    ).toBe(true);
  });

  test('inputs of other strategies are ignored with a warning, not validated', () => {
    const result = read({
      'auto-scaling-group': 'web',
      'min-healthy-percent': 'lots',
      'maintenance-response': '404:gone',
    });
    const config = blueGreenOf(result);
    expect(config).not.toHaveProperty('autoScalingGroup');
    expect(config).not.toHaveProperty('minHealthyPercent');
    expect(config).not.toHaveProperty('maintenanceResponse');
    const warnings = warningsOf(result);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/^auto-scaling-group: .*does not apply to strategy blue-green/);
    expect(warnings[1]).toMatch(/^min-healthy-percent: /);
    expect(warnings[2]).toMatch(/^maintenance-response: /);
  });

  test('with rolling, a blue/green input is ignored: no problem, only warnings', () => {
    const result = read({ 'previous-fleet': 'bogus', 'traffic-shift': 'nonsense' }, ROLLING);
    expect(result.ok).toBe(true);
    expect(warningsOf(result)).toEqual([
      expect.stringMatching(/^traffic-shift: is set but does not apply to strategy rolling/),
      expect.stringMatching(/^previous-fleet: is set but does not apply to strategy rolling/),
    ]);
  });

  test('a poll interval longer than the health timeout is allowed but warned about', () => {
    const warnings = warningsOf(read({ 'poll-interval': '2m', 'health-timeout': '1m' }));
    expect(warnings).toEqual([
      expect.stringMatching(/^poll-interval: 2m is longer than health-timeout \(1m\)/),
    ]);
  });
});

/** [case, overrides, base, env, input named by a problem, fragment of its message] */
type BadCase = [string, Inputs, Inputs, Record<string, string | undefined>, string, string];
const bad = (
  name: string,
  overrides: Inputs,
  input: string,
  fragment: string,
  base = BLUE_GREEN,
  env = ENV,
) => [name, overrides, base, env, input, fragment] satisfies BadCase;

const LONG = 'x'.repeat(300);
const CN_LISTENER_IN_AWS = elbArn('listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2', {
  region: 'cn-north-1',
});

const BAD_CASES: BadCase[] = [
  bad(
    'unknown strategy',
    { strategy: 'canary' },
    'strategy',
    'must be blue-green, rolling or recreate, got "canary"',
  ),
  bad('strategy is case-sensitive', { strategy: 'Blue-Green' }, 'strategy', 'got "Blue-Green"'),
  bad(
    'unknown mode',
    { mode: 'apply' },
    'mode',
    'must be deploy, rollback, plan, status, stage, promote, abort or retire, got "apply"',
  ),
  bad('no region anywhere', {}, 'aws-region', 'is required', BLUE_GREEN, {}),
  bad('region is an availability zone', { 'aws-region': 'us-east-1a' }, 'aws-region', 'availability zone'),
  bad('region in capitals', { 'aws-region': 'US-EAST-1' }, 'aws-region', 'must be an AWS region'),
  bad('bad region from the environment', {}, 'aws-region', 'from the AWS_REGION', BLUE_GREEN, {
    AWS_REGION: 'virginia',
  }),
  bad(
    'listener: a target group ARN',
    { 'listener-arns': BLUE_TG },
    'listener-arns',
    'got a target group ARN',
  ),
  bad(
    'listener: a listener rule ARN',
    { 'listener-arns': RULE },
    'listener-arns',
    'go in listener-rule-arns',
  ),
  bad(
    'listener: an NLB listener',
    { 'listener-arns': NLB_LISTENER },
    'listener-arns',
    'Network Load Balancer',
  ),
  bad('listener: not an ARN', { 'listener-arns': 'web-listener' }, 'listener-arns', 'not an ARN'),
  bad(
    'listener: another service',
    { 'listener-arns': `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0123456789abcdef0` },
    'listener-arns',
    'not of elasticloadbalancing',
  ),
  bad(
    'listener: another region',
    {
      'listener-arns': elbArn('listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2', { region: 'us-west-2' }),
    },
    'listener-arns',
    'region "us-west-2", but aws-region is us-east-1',
  ),
  bad(
    'listener: aws-cn partition in us-east-1',
    {
      'listener-arns': elbArn('listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2', { partition: 'aws-cn' }),
    },
    'listener-arns',
    'partition "aws-cn"',
  ),
  bad(
    'listener: aws partition in a China region',
    { 'aws-region': 'cn-north-1', 'listener-arns': CN_LISTENER_IN_AWS },
    'listener-arns',
    'is in partition aws-cn',
  ),
  bad(
    'listener: short account id',
    { 'listener-arns': elbArn('listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2', { account: '12345' }) },
    'listener-arns',
    'not a 12-digit account id',
  ),
  bad(
    'listener given twice',
    { 'listener-arns': `${LISTENER},\n${LISTENER}` },
    'listener-arns',
    'more than once',
  ),
  bad(
    'listeners of two accounts',
    {
      'listener-arns': `${LISTENER}\n${elbArn('listener/app/web/50dc6c495c0c9188/0123456789abcdef', { account: OTHER_ACCOUNT })}`,
    },
    'listener-arns',
    `same AWS account as the other ARNs (${ACCOUNT}`,
  ),
  bad(
    'listener rule: a listener ARN',
    { 'listener-rule-arns': LISTENER },
    'listener-rule-arns',
    'go in listener-arns',
  ),
  bad(
    'listener rule in another account than the listener',
    {
      'listener-rule-arns': elbArn(
        'listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee',
        {
          account: OTHER_ACCOUNT,
        },
      ),
    },
    'listener-rule-arns',
    `got account ${OTHER_ACCOUNT}`,
  ),
  bad(
    'blue/green without listeners',
    { 'listener-arns': '' },
    'listener-arns',
    'is required for strategy blue-green',
  ),
  bad(
    'target group input given a listener',
    { 'blue-target-group-arn': LISTENER, 'green-target-group-arn': GREEN_TG },
    'blue-target-group-arn',
    'must be a target group ARN',
  ),
  bad(
    'same target group for both colors',
    { 'blue-target-group-arn': BLUE_TG, 'green-target-group-arn': BLUE_TG },
    'green-target-group-arn',
    'must differ from blue-target-group-arn',
  ),
  bad(
    'blue ASG alone',
    { 'green-auto-scaling-group': '' },
    'green-auto-scaling-group',
    'is required when blue',
  ),
  bad(
    'green ASG alone',
    { 'blue-auto-scaling-group': '' },
    'blue-auto-scaling-group',
    'is required when green',
  ),
  bad(
    'no ASGs and no target groups',
    { 'blue-auto-scaling-group': '', 'green-auto-scaling-group': '' },
    'blue-auto-scaling-group',
    'blue-target-group-arn and green-target-group-arn',
  ),
  bad(
    'no ASGs and one target group',
    { 'green-target-group-arn': '' },
    'green-target-group-arn',
    'is required when no Auto Scaling groups are given',
    TARGET_GROUPS_ONLY,
  ),
  bad(
    'same ASG for both colors',
    { 'green-auto-scaling-group': 'web-blue' },
    'green-auto-scaling-group',
    'must differ',
  ),
  bad(
    'ASG name too long',
    { 'blue-auto-scaling-group': 'a'.repeat(256) },
    'blue-auto-scaling-group',
    '1 to 255',
  ),
  bad(
    'ASG name with a tab',
    { 'blue-auto-scaling-group': 'web\tblue' },
    'blue-auto-scaling-group',
    'control',
  ),
  bad(
    'ASG given as an ARN',
    {
      'blue-auto-scaling-group':
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:x:autoScalingGroupName/b',
    },
    'blue-auto-scaling-group',
    'not an ARN',
  ),
  bad(
    'rolling without its ASG',
    { 'auto-scaling-group': '' },
    'auto-scaling-group',
    'is required for strategy rolling',
    ROLLING,
  ),
  bad(
    'recreate without its ASG',
    { 'auto-scaling-group': '' },
    'auto-scaling-group',
    'is required for strategy recreate',
    RECREATE,
  ),
  bad('version 0', { 'launch-template-version': '0' }, 'launch-template-version', 'must be a version number'),
  bad(
    'version without $',
    { 'launch-template-version': 'latest' },
    'launch-template-version',
    '$Default or $Latest',
  ),
  bad('version 1.5', { 'launch-template-version': '1.5' }, 'launch-template-version', 'got "1.5"'),
  bad(
    '$Latest with auto-rollback',
    { 'launch-template-version': '$Latest' },
    'launch-template-version',
    'a rollback could not name the version that was running',
  ),
  bad(
    '$Default for rolling with auto-rollback',
    { 'launch-template-version': '$Default' },
    'launch-template-version',
    'Instance Refresh cannot roll back',
    ROLLING,
  ),
  bad('version and image both', { 'image-id': 'ami-0123abcd' }, 'launch-template-version', 'not both'),
  bad(
    'nothing to deploy',
    { 'launch-template-version': '' },
    'launch-template-version',
    'is required in deploy mode',
  ),
  bad(
    'nothing to plan',
    { mode: 'plan', 'launch-template-version': '' },
    'launch-template-version',
    'is required in plan mode',
  ),
  bad(
    'short AMI id',
    { 'launch-template-version': '', 'image-id': 'ami-123' },
    'image-id',
    'ami- and 8 or 17',
  ),
  bad(
    'AMI id in capitals',
    { 'launch-template-version': '', 'image-id': 'ami-0123ABCD' },
    'image-id',
    'got "ami-0123ABCD"',
  ),
  bad(
    'a version with target groups only',
    { 'launch-template-version': '9' },
    'launch-template-version',
    'with target groups only',
    TARGET_GROUPS_ONLY,
  ),
  bad(
    'version label too long',
    { 'version-label': 'v'.repeat(257) },
    'version-label',
    'at most 256 characters',
  ),
  bad('version label with a newline', { 'version-label': 'v1\nv2' }, 'version-label', 'control characters'),
  bad(
    'unknown traffic shift',
    { 'traffic-shift': 'gradual' },
    'traffic-shift',
    'canary:PCT:DURATION or linear:PCT:DURATION',
  ),
  bad('canary without duration', { 'traffic-shift': 'canary:10' }, 'traffic-shift', 'got "canary:10"'),
  bad('canary 0 %', { 'traffic-shift': 'canary:0:5m' }, 'traffic-shift', 'from 1 to 99'),
  bad('canary 100 %', { 'traffic-shift': 'canary:100:5m' }, 'traffic-shift', 'from 1 to 99'),
  bad('canary 10.5 %', { 'traffic-shift': 'canary:10.5:5m' }, 'traffic-shift', 'from 1 to 99'),
  bad('linear with zero interval', { 'traffic-shift': 'linear:10:0' }, 'traffic-shift', 'duration above 0'),
  bad(
    'linear with a bad interval',
    { 'traffic-shift': 'linear:10:soon' },
    'traffic-shift',
    'duration above 0',
  ),
  bad(
    'canary interval beyond timeout',
    { 'traffic-shift': 'canary:10:1h' },
    'traffic-shift',
    'no longer than timeout (30m)',
  ),
  bad(
    'linear that never reaches 100',
    { 'traffic-shift': 'linear:30:1m' },
    'traffic-shift',
    'linear:30 goes 90 % and never reaches 100',
  ),
  bad(
    'linear whose steps do not fit in timeout',
    { 'traffic-shift': 'linear:10:4m' },
    'traffic-shift',
    'must fit in timeout (30m): linear:10:4m holds traffic 9 × 4m',
  ),
  bad(
    'rule on another load balancer than the listeners',
    {
      'listener-rule-arns': elbArn(
        'listener-rule/app/other/0123456789abcdef/f2f7dc8efc522ab2/9683b2d02a6cabee',
      ),
    },
    'listener-rule-arns',
    'must be rules of the load balancer of listener-arns (app/web/50dc6c495c0c9188)',
  ),
  bad('bake time in words', { 'bake-time': '5 minutes' }, 'bake-time', 'must be a duration'),
  bad(
    'bake time as long as the timeout',
    { 'bake-time': '30m' },
    'bake-time',
    'shorter than timeout (30m, the default), got "30m"',
  ),
  bad('health timeout 0', { 'health-timeout': '0' }, 'health-timeout', 'must be above 0'),
  bad(
    'health timeout beyond timeout',
    { 'health-timeout': '45m' },
    'health-timeout',
    'not be longer than timeout (30m, the default), got "45m"',
  ),
  bad(
    'a short timeout under the default health timeout',
    { timeout: '5m' },
    'health-timeout',
    'must not be longer than timeout ("5m"), got 10m, the default',
  ),
  bad('timeout beyond the job limit', { timeout: '7h' }, 'timeout', 'at most 6h'),
  bad('timeout 0', { timeout: '0' }, 'timeout', 'must be above 0'),
  bad('negative timeout', { timeout: '-5' }, 'timeout', 'got "-5"'),
  bad('poll interval 0', { 'poll-interval': '0' }, 'poll-interval', 'between 1s and 5m'),
  bad('poll interval 10m', { 'poll-interval': '10m' }, 'poll-interval', 'between 1s and 5m'),
  bad('auto-rollback yes', { 'auto-rollback': 'yes' }, 'auto-rollback', 'must be true or false, got "yes"'),
  bad('auto-rollback tRue', { 'auto-rollback': 'tRue' }, 'auto-rollback', 'must be true or false'),
  bad('unknown previous fleet', { 'previous-fleet': 'delete' }, 'previous-fleet', 'scale-down or keep'),
  bad('alarm given twice', { 'alarm-names': 'a,b\na' }, 'alarm-names', '"a" more than once'),
  bad(
    '101 alarms',
    { 'alarm-names': Array.from({ length: 101 }, (_, i) => `alarm-${i}`).join(',') },
    'alarm-names',
    'at most 100',
  ),
  bad('alarm name too long', { 'alarm-names': 'a'.repeat(256) }, 'alarm-names', '1 to 255'),
  bad('min healthy 101', { 'min-healthy-percent': '101' }, 'min-healthy-percent', 'from 0 to 100', ROLLING),
  bad('min healthy with %', { 'min-healthy-percent': '50%' }, 'min-healthy-percent', 'got "50%"', ROLLING),
  bad('max healthy 99', { 'max-healthy-percent': '99' }, 'max-healthy-percent', 'from 100 to 200', ROLLING),
  bad('max healthy 201', { 'max-healthy-percent': '201' }, 'max-healthy-percent', 'from 100 to 200', ROLLING),
  bad(
    'healthy range wider than 100',
    { 'min-healthy-percent': '0', 'max-healthy-percent': '150' },
    'max-healthy-percent',
    'at most 100 above min-healthy-percent (0)',
    ROLLING,
  ),
  bad(
    'warm-up as a duration',
    { 'instance-warmup': '5m' },
    'instance-warmup',
    'whole number of seconds',
    ROLLING,
  ),
  bad('negative warm-up', { 'instance-warmup': '-1' }, 'instance-warmup', 'got "-1"', ROLLING),
  bad('checkpoints out of order', { checkpoints: '50,20,100' }, 'checkpoints', 'increasing order', ROLLING),
  bad('checkpoints not ending at 100', { checkpoints: '20,50' }, 'checkpoints', 'must end with 100', ROLLING),
  bad('checkpoint 0', { checkpoints: '0,100' }, 'checkpoints', 'from 1 to 100, got "0"', ROLLING),
  bad('checkpoint repeated', { checkpoints: '20\n20\n100' }, 'checkpoints', 'more than once', ROLLING),
  bad(
    'checkpoint delay alone',
    { 'checkpoint-delay': '5m' },
    'checkpoint-delay',
    'only with checkpoints',
    ROLLING,
  ),
  bad(
    'checkpoint delay in words',
    { checkpoints: '50,100', 'checkpoint-delay': 'soon' },
    'checkpoint-delay',
    'duration',
    ROLLING,
  ),
  bad(
    'checkpoint delay 49h',
    { checkpoints: '50,100', 'checkpoint-delay': '49h' },
    'checkpoint-delay',
    'at most 48h',
    ROLLING,
  ),
  bad(
    'maintenance redirect',
    { 'maintenance-response': '302' },
    'maintenance-response',
    '2XX, 4XX or 5XX',
    RECREATE,
  ),
  bad(
    'maintenance 600',
    { 'maintenance-response': '600:down' },
    'maintenance-response',
    'got "600:down"',
    RECREATE,
  ),
  bad(
    'maintenance body only',
    { 'maintenance-response': 'down' },
    'maintenance-response',
    'HTTP status code',
    RECREATE,
  ),
  bad(
    'maintenance body too long',
    { 'maintenance-response': `503:${'b'.repeat(1025)}` },
    'maintenance-response',
    'at most 1024 characters, got 1025',
    RECREATE,
  ),
  bad(
    'a long bad value is cut in the message',
    { 'previous-fleet': LONG },
    'previous-fleet',
    '(300 characters)',
  ),
];

describe('readConfig: invalid inputs', () => {
  test('the table is large enough', () => {
    expect(BAD_CASES.length).toBeGreaterThanOrEqual(45);
  });

  test.each(BAD_CASES)('%s', (_, overrides, base, env, input, fragment) => {
    const problems = problemsOf(read(overrides, base, env));
    expect(problems).toContainEqual({ input, message: expect.stringContaining(fragment) });
    for (const problem of problems) {
      expect(INPUT_NAMES).toContain(problem.input);
      // No given value is echoed beyond ~100 characters.
      for (const value of Object.values(overrides)) {
        if (value.length > 110) expect(problem.message).not.toContain(value.slice(0, 110));
      }
    }
  });

  test('several problems are all reported, not just the first', () => {
    const problems = problemsOf(
      read(
        {
          strategy: 'blue-green',
          'listener-arns': BLUE_TG,
          'green-auto-scaling-group': '',
          'image-id': 'ami-0123abcd',
          'bake-time': 'later',
          'poll-interval': '1h',
          'auto-rollback': 'maybe',
          'alarm-names': 'x,x',
        },
        BLUE_GREEN,
        {},
      ),
    );
    expect(problems.map((p) => p.input).sort()).toEqual(
      [
        'alarm-names',
        'auto-rollback',
        'aws-region',
        'bake-time',
        'green-auto-scaling-group',
        'launch-template-version',
        'listener-arns',
        'poll-interval',
      ].sort(),
    );
  });

  test('an invalid strategy does not hide problems with other inputs', () => {
    const problems = problemsOf(read({ strategy: 'bluegreen', timeout: '1d' }));
    expect(problems.map((p) => p.input)).toEqual(['strategy', 'timeout']);
  });

  test('a value that looks like a credential is never echoed', () => {
    const accessKey = 'AKIAIOSFODNN7EXAMPLE';
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const problems = problemsOf(read({ 'version-label': `v1\n${accessKey}`, 'previous-fleet': secret }));
    expect(problems.map((p) => p.input)).toEqual(['version-label', 'previous-fleet']);
    for (const { message } of problems) {
      expect(message).not.toContain(accessKey);
      expect(message).not.toContain(secret);
      expect(message).toContain('looks like a credential');
    }
  });
});

describe('parseDuration', () => {
  test.each([
    ['0', 0],
    ['0s', 0],
    ['90', 90_000],
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2m30s', 150_000],
    ['1h0m5s', 3_605_000],
    [' 10s ', 10_000],
  ])('%j is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each([
    '',
    '-5',
    '5x',
    '1.5m',
    'm',
    'h',
    's',
    '5M',
    '+5',
    '1e3',
    '1m1h',
    '1h 30m',
    '5 m',
    '99999999999999999999h',
  ])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  test.each([
    [0, '0s'],
    [90_000, '1m30s'],
    [5_400_000, '1h30m'],
    [21_600_000, '6h'],
  ])('formatDuration(%i) is %s and parses back', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});

describe('parseList', () => {
  test.each([
    ['a', ['a']],
    ['a,b', ['a', 'b']],
    ['a\nb', ['a', 'b']],
    ['a\r\nb\r\n', ['a', 'b']],
    [' a , b \n\n c ,', ['a', 'b', 'c']],
    [',\n,', []],
    ['', []],
  ])('%j lists %j', (text, items) => {
    expect(parseList(text)).toEqual({ items, duplicates: [] });
  });

  test('names each repeated item once', () => {
    expect(parseList('a,b,a\na,b,c')).toEqual({
      items: ['a', 'b', 'a', 'a', 'b', 'c'],
      duplicates: ['a', 'b'],
    });
  });
});

describe('ARNs and regions', () => {
  test('an ALB listener ARN splits into its fields', () => {
    expect(parseElbArn(LISTENER)).toEqual({
      arn: {
        text: LISTENER,
        partition: 'aws',
        region: 'us-east-1',
        account: ACCOUNT,
        resource: 'listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2',
        kind: 'alb-listener',
      },
    });
  });

  test.each([
    [RULE, 'alb-listener-rule'],
    [BLUE_TG, 'target-group'],
    [NLB_LISTENER, 'nlb-listener'],
    [elbArn('loadbalancer/app/web/50dc6c495c0c9188'), 'load-balancer'],
    [elbArn('listener/app/web'), 'unknown'],
  ])('%s is a %s', (text, kind) => {
    const parsed = parseElbArn(text);
    expect('arn' in parsed && parsed.arn.kind).toBe(kind);
  });

  test.each([
    ['us-east-1', 'aws'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
  ])('%s is in partition %s', (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });
});

describe('quote', () => {
  test('escapes control characters', () => {
    expect(quote('a\tb\n')).toBe('"a\\tb\\n"');
  });

  test('cuts long values and says how long they were', () => {
    const shown = quote('y'.repeat(500));
    expect(shown).toMatch(/^"y+…y+" /);
    expect(shown).toContain('(500 characters)');
    expect(shown.length).toBeLessThan(130);
  });

  test('leaves ARNs readable', () => {
    expect(quote(BLUE_TG)).toBe(`"${BLUE_TG}"`);
    // A long ARN keeps its head and its distinguishing tail.
    expect(quote(LISTENER)).toMatch(
      /^"arn:aws:elasticloadbalancing:us-east-1:.*….*\/50dc6c495c0c9188\/f2f7dc8efc522ab2" \(102 characters\)$/,
    );
  });

  test.each([
    'ghp_0123456789abcdefghijABCDEFGHIJ012345',
    'password=hunter2',
    '-----BEGIN RSA PRIVATE KEY-----',
  ])('hides %s', (value) => {
    expect(quote(value)).not.toContain(value);
  });
});
