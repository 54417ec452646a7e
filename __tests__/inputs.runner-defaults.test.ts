import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ACTION_DEFAULTS, readConfig } from '../src/inputs/index.js';

/**
 * The runner passes every default of action.yml as an INPUT_* variable. A run
 * that sets only what its strategy needs must then read cleanly: no problem,
 * and no warning about inputs the user never wrote.
 */
const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
};
const runnerDefaults = Object.fromEntries(
  Object.entries(action.inputs)
    .filter(([, spec]) => spec.default !== undefined)
    .map(([name, spec]) => [name, String(spec.default)]),
);
const LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2';

const USER_INPUTS: Record<string, Record<string, string>> = {
  'blue-green': {
    'listener-arns': LISTENER,
    'blue-auto-scaling-group': 'web-blue',
    'green-auto-scaling-group': 'web-green',
    'launch-template-version': '7',
  },
  rolling: { strategy: 'rolling', 'auto-scaling-group': 'web', 'launch-template-version': '7' },
  recreate: {
    strategy: 'recreate',
    'auto-scaling-group': 'web',
    'launch-template-version': '7',
    'listener-arns': LISTENER,
  },
};

test('the defaults inputs.ts knows are exactly action.yml’s', () => {
  expect(ACTION_DEFAULTS).toEqual(runnerDefaults);
});

test.each(Object.keys(USER_INPUTS))('%s with the runner’s defaults: no problem, no warning', (strategy) => {
  const inputs: Record<string, string> = { ...runnerDefaults, ...USER_INPUTS[strategy] };
  const result = readConfig((name) => inputs[name] ?? '', { AWS_REGION: 'us-east-1' });
  expect(result).toMatchObject({ ok: true, warnings: [] });
});

test('a non-default value for an input of another strategy is still worth a warning', () => {
  const inputs: Record<string, string> = {
    ...runnerDefaults,
    ...USER_INPUTS['blue-green'],
    'min-healthy-percent': '50',
  };
  const result = readConfig((name) => inputs[name] ?? '', { AWS_REGION: 'us-east-1' });
  expect(result.ok && result.warnings).toEqual([
    expect.stringMatching(/^min-healthy-percent: is set but does not apply/),
  ]);
});
