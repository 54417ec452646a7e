import { readConfig } from '../src/inputs/index.js';

const BASE: Record<string, string> = {
  'listener-arns': '',
  'blue-auto-scaling-group': 'a',
  'green-auto-scaling-group': 'b',
  'launch-template-version': '2',
};

function problemsFor(region: string, env: Record<string, string> = {}) {
  const listener = `arn:${partition(region)}:elasticloadbalancing:${region}:123456789012:listener/app/a/1/2`;
  const inputs: Record<string, string> = { ...BASE, 'listener-arns': listener, 'aws-region': region };
  const parsed = readConfig((name) => inputs[name] ?? '', env);
  return parsed.ok ? [] : parsed.problems;
}

function partition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

describe('aws-region: only the regions of known partitions', () => {
  test.each([
    'us-east-1',
    'eu-central-2',
    'ap-southeast-7',
    'il-central-1',
    'mx-central-1',
    'ca-west-1',
    'cn-north-1',
    'us-gov-west-1',
    'us-iso-east-1',
    'us-isob-east-1',
    'eu-isoe-west-1',
    'us-isof-south-1',
    'eusc-de-east-1',
  ])('%s is accepted', (region) => {
    expect(problemsFor(region)).toEqual([]);
  });

  test.each(['mu-mars-1', 'zz-east-1', 'xx-gov-west-1'])(
    '%s is refused at input time, naming aws-region and the partitions region patterns',
    (region) => {
      const problems = problemsFor(region).filter((p) => p.input === 'aws-region');
      expect(problems).toHaveLength(1);
      expect(problems[0]?.message).toBe(
        `must be an AWS region such as us-east-1, got "${region}": no AWS partition has a region named like that (aws: us|eu|ap|sa|ca|me|af|il|mx-NAME-N; aws-cn: cn-NAME-N; aws-us-gov: us-gov-NAME-N; aws-iso: us-iso-NAME-N; aws-iso-b: us-isob-NAME-N; aws-iso-e: eu-isoe-NAME-N; aws-iso-f: us-isof-NAME-N; aws-eusc: eusc-de-NAME-N)`,
      );
    },
  );

  test('an unknown region from AWS_REGION is refused the same way, saying where it came from', () => {
    const inputs: Record<string, string> = {
      ...BASE,
      'listener-arns': 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/a/1/2',
    };
    const parsed = readConfig((name) => inputs[name] ?? '', { AWS_REGION: 'mu-mars-1' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.problems.find((p) => p.input === 'aws-region')?.message).toMatch(
        /^must be an AWS region such as us-east-1, got "mu-mars-1" \(from the AWS_REGION environment variable\): no AWS partition/,
      );
  });
});
