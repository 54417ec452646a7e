import { readConfig, type ReadConfigResult } from '../src/inputs/index.js';
import type { BlueGreenConfig, InputProblem } from '../src/inputs/config.js';

const LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2';
const PREVIEW =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/0123456789abcdef';
const listener = (n: number) =>
  `arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/${String(n).padStart(16, '0')}`;

const STAGE: Record<string, string> = {
  mode: 'stage',
  'listener-arns': LISTENER,
  'blue-auto-scaling-group': 'web-blue',
  'green-auto-scaling-group': 'web-green',
  'launch-template-version': '7',
};

const read = (inputs: Record<string, string>): ReadConfigResult =>
  readConfig((name) => inputs[name] ?? '', { AWS_REGION: 'us-east-1' });

function problemsOf(result: ReadConfigResult): InputProblem[] {
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.config)}`);
  return result.problems;
}

function configOf(result: ReadConfigResult): BlueGreenConfig {
  if (!result.ok) throw new Error(`expected a config, got ${JSON.stringify(result.problems)}`);
  if (result.config.strategy !== 'blue-green' || result.config.targetGroupsOnly)
    throw new Error('not blue/green');
  return result.config;
}

describe('preview-header', () => {
  test('"Name: value" is read, trimmed; stage needs nothing else', () => {
    const config = configOf(read({ ...STAGE, 'preview-header': '  X-Preview :  7f3c  ' }));
    expect(config.previewHeader).toEqual({ name: 'X-Preview', value: '7f3c' });
    expect(config.previewListenerArns).toEqual([]);
  });

  test('with preview-listener-arns too', () => {
    const config = configOf(
      read({ ...STAGE, 'preview-header': 'X-Preview: a b', 'preview-listener-arns': PREVIEW }),
    );
    expect(config.previewHeader).toEqual({ name: 'X-Preview', value: 'a b' });
    expect(config.previewListenerArns).toEqual([PREVIEW]);
  });

  test('stage with neither is one problem naming preview-listener-arns and preview-header', () => {
    const problems = problemsOf(read(STAGE));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.input).toBe('preview-listener-arns');
    expect(problems[0]?.message).toContain('or preview-header is required in stage mode');
  });

  test('promote and abort take it (to check against the stage record) and need none', () => {
    for (const mode of ['promote', 'abort']) {
      expect(configOf(read({ ...STAGE, mode })).previewHeader).toBeUndefined();
      expect(configOf(read({ ...STAGE, mode, 'preview-header': 'X-Preview: 1' })).previewHeader).toEqual({
        name: 'X-Preview',
        value: '1',
      });
    }
  });

  test.each([
    ['X-Preview', 'must be "Name: value"'],
    [': 7f3c', 'has no header name before the colon'],
    ['X-Preview:', 'has no value after the colon'],
    ['X Preview: 1', 'may contain only letters, digits'],
    ['X(Preview): 1', 'may contain only letters, digits'],
    [`${'X'.repeat(41)}: 1`, 'header name must be at most 40 characters, got 41'],
    ['Host: example.com', 'cannot match the Host header'],
    [`X-Preview: ${'v'.repeat(129)}`, 'header value must be at most 128 characters, got 129'],
    ['X-Preview: caf\u00e9', 'may contain only printable ASCII characters'],
    ['X-Preview: a\tb', 'may contain only printable ASCII characters'],
  ])('%j is refused: %s', (text, message) => {
    const problems = problemsOf(read({ ...STAGE, 'preview-header': text }));
    expect(problems.map((p) => p.input)).toEqual(['preview-header']);
    expect(problems[0]?.message).toContain(message);
  });

  test('the longest name and value ALB takes are accepted; a value with * or ? is a warning', () => {
    const name = 'X'.repeat(40);
    const value = 'v'.repeat(128);
    expect(configOf(read({ ...STAGE, 'preview-header': `${name}: ${value}` })).previewHeader).toEqual({
      name,
      value,
    });
    const result = read({ ...STAGE, 'preview-header': 'X-Preview: 7f3*' });
    expect(result.ok && result.warnings).toEqual([
      expect.stringContaining('preview-header: value "7f3*" holds * or ?'),
    ]);
  });

  test('more production listeners than the stage record can hold is refused', () => {
    const many = Array.from({ length: 6 }, (_, i) => listener(i + 1)).join(',');
    const problems = problemsOf(read({ ...STAGE, 'listener-arns': many, 'preview-header': 'X-Preview: 1' }));
    expect(problems.map((p) => p.input)).toEqual(['preview-header']);
    expect(problems[0]?.message).toContain('at most 5 listeners, got 6');
  });

  test('is a blue/green input: rolling refuses nothing but never reads it', () => {
    const result = read({
      strategy: 'rolling',
      'auto-scaling-group': 'web',
      'launch-template-version': '7',
      'preview-header': 'X-Preview: 1',
    });
    expect(result.ok).toBe(true);
  });
});
