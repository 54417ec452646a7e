/**
 * The inputs of issue 16: `mode: status` (only the inputs that name resources
 * apply), `expected-version-label` (rollback only), and one region per run:
 * every ARN of another region is refused, whatever the mode.
 */
import { readConfig } from '../src/inputs/index.js';

const arn = (resource: string, region = 'us-east-1') =>
  `arn:aws:elasticloadbalancing:${region}:123456789012:${resource}`;
const LISTENER = 'listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2';
const RULE = 'listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee';
const BLUE_TG = 'targetgroup/web-blue/73e2d6bc24d8a067';
const GREEN_TG = 'targetgroup/web-green/8a06773e2d6bc24d';

const BLUE_GREEN = {
  'listener-arns': arn(LISTENER),
  'blue-auto-scaling-group': 'web-blue',
  'green-auto-scaling-group': 'web-green',
};

function read(inputs: Record<string, string>) {
  return readConfig((name) => inputs[name] ?? '', { AWS_REGION: 'us-east-1' });
}

describe('mode: status inputs', () => {
  test.each([
    ['blue-green', BLUE_GREEN],
    ['rolling', { strategy: 'rolling', 'auto-scaling-group': 'web' }],
    ['recreate', { strategy: 'recreate', 'auto-scaling-group': 'web', 'listener-arns': arn(LISTENER) }],
  ])('%s: needs no launch-template-version or image-id', (_, inputs) => {
    const parsed = read({ ...inputs, mode: 'status' });
    expect(parsed).toMatchObject({ ok: true, warnings: [], config: { mode: 'status' } });
  });

  test('inputs that say what to deploy or how are ignored, each with a warning', () => {
    const parsed = read({
      ...BLUE_GREEN,
      mode: 'status',
      'launch-template-version': '7',
      'traffic-shift': 'canary:10:5m',
      'alarm-names': 'web-5xx',
    });
    expect(parsed.ok && parsed.warnings).toEqual([
      'launch-template-version: is set but does not apply to mode status (only to deploy, rollback, plan, stage, promote, abort); ignored',
      'traffic-shift: is set but does not apply to mode status (only to deploy, rollback, plan, stage, promote, abort); ignored',
      'alarm-names: is set but does not apply to mode status (only to deploy, rollback, plan, stage, promote, abort); ignored',
    ]);
  });

  test('the groups and listeners are still required and checked', () => {
    const parsed = read({ mode: 'status', 'blue-auto-scaling-group': 'web-blue' });
    expect(parsed.ok ? [] : parsed.problems.map((p) => p.input)).toEqual([
      'listener-arns',
      'green-auto-scaling-group',
    ]);
  });
});

describe('expected-version-label', () => {
  test('rollback reads it into the config', () => {
    const parsed = read({ ...BLUE_GREEN, mode: 'rollback', 'expected-version-label': 'v1.3' });
    expect(parsed).toMatchObject({ ok: true, warnings: [], config: { expectedVersionLabel: 'v1.3' } });
  });

  test('without it, the rollback config has none (it acts wherever there is a record)', () => {
    const parsed = read({ ...BLUE_GREEN, mode: 'rollback' });
    expect(parsed.ok && 'expectedVersionLabel' in parsed.config).toBe(false);
  });

  test('in another mode: ignored with a warning', () => {
    const parsed = read({
      ...BLUE_GREEN,
      'launch-template-version': '7',
      'expected-version-label': 'v1.3',
    });
    expect(parsed).toMatchObject({
      ok: true,
      warnings: [
        'expected-version-label: is set but does not apply to mode deploy (only to rollback, abort); ignored',
      ],
    });
    expect(parsed.ok && parsed.config.expectedVersionLabel).toBeUndefined();
  });

  test('must fit a tag value, as version-label', () => {
    const parsed = read({ ...BLUE_GREEN, mode: 'rollback', 'expected-version-label': 'v'.repeat(257) });
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      {
        input: 'expected-version-label',
        message: expect.stringMatching(/^must be at most 256 characters without control characters/),
      },
    ]);
  });
});

describe('one region per run', () => {
  const otherRegion = {
    'listener-arns': arn(LISTENER, 'eu-west-1'),
    'listener-rule-arns': arn(RULE, 'eu-west-1'),
    'blue-target-group-arn': arn(BLUE_TG, 'eu-west-1'),
    'green-target-group-arn': arn(GREEN_TG, 'eu-west-1'),
  };

  test.each(['deploy', 'rollback', 'plan', 'status'])(
    'mode %s: every ARN of another region is refused, naming its input, before any AWS call',
    (mode) => {
      const parsed = read({
        ...BLUE_GREEN,
        ...otherRegion,
        mode,
        'aws-region': 'us-east-1',
        ...(mode === 'deploy' || mode === 'plan' ? { 'launch-template-version': '7' } : {}),
      });
      expect(parsed.ok).toBe(false);
      const problems = parsed.ok ? [] : parsed.problems;
      expect(problems.map((p) => p.input)).toEqual(Object.keys(otherRegion));
      for (const p of problems)
        expect(p.message).toContain('region "eu-west-1", but aws-region is us-east-1');
    },
  );

  test('the same inputs with aws-region eu-west-1 are accepted: the region is all that differs between runs', () => {
    const parsed = read({ ...BLUE_GREEN, ...otherRegion, mode: 'status', 'aws-region': 'eu-west-1' });
    expect(parsed).toMatchObject({ ok: true, config: { region: 'eu-west-1' } });
  });
});
