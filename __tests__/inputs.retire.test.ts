/** The inputs of `mode: retire`: blue-green with both groups; nothing to deploy, no traffic shift. */
import { readConfig } from '../src/inputs/index.js';

const arn = (resource: string) => `arn:aws:elasticloadbalancing:us-east-1:123456789012:${resource}`;
const LISTENER = arn('listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2');
const BLUE_GREEN = {
  'listener-arns': LISTENER,
  'blue-auto-scaling-group': 'web-blue',
  'green-auto-scaling-group': 'web-green',
};

function read(inputs: Record<string, string>) {
  return readConfig((name) => inputs[name] ?? '', { AWS_REGION: 'us-east-1' });
}

test('needs no launch-template-version or image-id', () => {
  expect(read({ ...BLUE_GREEN, mode: 'retire' })).toMatchObject({
    ok: true,
    warnings: [],
    config: { mode: 'retire', strategy: 'blue-green', dryRun: false },
  });
});

test('dry-run plans it', () => {
  expect(read({ ...BLUE_GREEN, mode: 'retire', 'dry-run': 'true' })).toMatchObject({
    ok: true,
    config: { mode: 'retire', dryRun: true },
  });
});

test('what to deploy and how traffic moves are ignored, each with a warning', () => {
  const parsed = read({
    ...BLUE_GREEN,
    mode: 'retire',
    'launch-template-version': '7',
    'traffic-shift': 'canary:10:5m',
    'previous-fleet': 'keep',
  });
  expect(parsed.ok && parsed.warnings).toEqual([
    'launch-template-version: is set but does not apply to mode retire (only to deploy, rollback, plan, stage, promote, abort); ignored',
    'traffic-shift: is set but does not apply to mode retire (only to deploy, rollback, plan, stage, promote, abort); ignored',
    'previous-fleet: is set but does not apply to mode retire (only to deploy, rollback, plan, stage, promote, abort); ignored',
  ]);
});

test.each([
  ['rolling', { strategy: 'rolling', 'auto-scaling-group': 'web' }, /applies to strategy blue-green only/],
  ['recreate', { strategy: 'recreate', 'auto-scaling-group': 'web' }, /applies to strategy blue-green only/],
  [
    'blue-green with target groups only',
    {
      'listener-arns': LISTENER,
      'blue-target-group-arn': arn('targetgroup/web-blue/73e2d6bc24d8a067'),
      'green-target-group-arn': arn('targetgroup/web-green/8a06773e2d6bc24d'),
    },
    /needs blue-auto-scaling-group and green-auto-scaling-group/,
  ],
])('is refused for %s, naming the input mode', (_, inputs, message) => {
  const parsed = read({ ...inputs, mode: 'retire' });
  expect(parsed.ok).toBe(false);
  expect(parsed.ok ? [] : parsed.problems).toEqual([
    { input: 'mode', message: expect.stringMatching(message) },
  ]);
});
