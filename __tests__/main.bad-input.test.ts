import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import { run } from '../src/action/main.js';

/**
 * Bad input through the action's entry point, as the runner calls it: every
 * problem is an `::error` naming its input, the step fails, and not one
 * request reaches AWS (an endpoint on 127.0.0.1 counts them).
 */
const ARN = (resource: string, region = 'us-east-1', partition = 'aws', account = '123456789012') =>
  `arn:${partition}:elasticloadbalancing:${region}:${account}:${resource}`;
const LISTENER = ARN('listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2');
const RULE = ARN('listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee');
const TG = ARN('targetgroup/web-blue/73e2d6bc24d8a067');
const GOOD: Record<string, string> = {
  strategy: 'blue-green',
  'aws-region': 'us-east-1',
  'listener-arns': LISTENER,
  'blue-auto-scaling-group': 'web-blue',
  'green-auto-scaling-group': 'web-green',
  'launch-template-version': '7',
};

const CASES: [string, Record<string, string>, string][] = [
  ['no listener', { 'listener-arns': '' }, 'listener-arns'],
  ['no region anywhere', { 'aws-region': '' }, 'aws-region'],
  ['region that is not one', { 'aws-region': 'virginia' }, 'aws-region'],
  ['unknown strategy', { strategy: 'canary' }, 'strategy'],
  ['unknown mode', { mode: 'yolo' }, 'mode'],
  ['target group ARN as listener', { 'listener-arns': TG }, 'listener-arns'],
  ['rule ARN as listener', { 'listener-arns': RULE }, 'listener-arns'],
  [
    'NLB listener',
    { 'listener-arns': ARN('listener/net/web/50dc6c495c0c9188/f2f7dc8efc522ab2') },
    'listener-arns',
  ],
  ['not an ARN', { 'listener-arns': 'my-listener' }, 'listener-arns'],
  [
    'listener in another region',
    { 'listener-arns': ARN('listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2', 'eu-west-1') },
    'listener-arns',
  ],
  [
    'listener in another partition',
    { 'listener-arns': ARN('listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2', 'us-east-1', 'aws-cn') },
    'listener-arns',
  ],
  ['duplicate listener', { 'listener-arns': `${LISTENER}\n${LISTENER}` }, 'listener-arns'],
  ['listener as rule', { 'listener-rule-arns': LISTENER }, 'listener-rule-arns'],
  ['blue == green group', { 'green-auto-scaling-group': 'web-blue' }, 'green-auto-scaling-group'],
  ['only blue group', { 'green-auto-scaling-group': '' }, 'green-auto-scaling-group'],
  [
    'group name with control character',
    { 'blue-auto-scaling-group': 'web\u0007blue' },
    'blue-auto-scaling-group',
  ],
  ['group name over 255', { 'blue-auto-scaling-group': 'b'.repeat(256) }, 'blue-auto-scaling-group'],
  [
    'blue == green target group',
    { 'blue-target-group-arn': TG, 'green-target-group-arn': TG },
    'green-target-group-arn',
  ],
  ['listener as target group', { 'blue-target-group-arn': LISTENER }, 'blue-target-group-arn'],
  ['version zero', { 'launch-template-version': '0' }, 'launch-template-version'],
  ['version negative', { 'launch-template-version': '-3' }, 'launch-template-version'],
  ['version not a number', { 'launch-template-version': 'v7' }, 'launch-template-version'],
  ['$Latest with auto rollback', { 'launch-template-version': '$Latest' }, 'launch-template-version'],
  ['neither version nor image', { 'launch-template-version': '' }, 'launch-template-version'],
  ['both version and image', { 'image-id': 'ami-0123456789abcdef0' }, 'launch-template-version'],
  ['image not an AMI', { 'launch-template-version': '', 'image-id': 'ubuntu-24.04' }, 'image-id'],
  ['image with bad hex', { 'launch-template-version': '', 'image-id': 'ami-xyz12345' }, 'image-id'],
  ['bad health-timeout', { 'health-timeout': 'ten minutes' }, 'health-timeout'],
  ['zero health-timeout', { 'health-timeout': '0' }, 'health-timeout'],
  ['health-timeout beyond timeout', { 'health-timeout': '40m' }, 'health-timeout'],
  ['timeout beyond a job', { timeout: '7h' }, 'timeout'],
  ['negative bake', { 'bake-time': '-5m' }, 'bake-time'],
  ['fractional duration', { 'bake-time': '1.5m' }, 'bake-time'],
  ['poll-interval under a second', { 'poll-interval': '0' }, 'poll-interval'],
  ['poll-interval too long', { 'poll-interval': '10m' }, 'poll-interval'],
  ['unknown previous-fleet', { 'previous-fleet': 'delete' }, 'previous-fleet'],
  ['auto-rollback not a boolean', { 'auto-rollback': 'yes' }, 'auto-rollback'],
  ['traffic-shift that does not parse', { 'traffic-shift': 'canary' }, 'traffic-shift'],
  ['canary percent out of range', { 'traffic-shift': 'canary:150:5m' }, 'traffic-shift'],
  ['linear step that never reaches 100', { 'traffic-shift': 'linear:30:1m' }, 'traffic-shift'],
  ['canary duration of zero', { 'traffic-shift': 'canary:10:0s' }, 'traffic-shift'],
  ['canary duration beyond timeout', { 'traffic-shift': 'canary:10:20m', timeout: '15m' }, 'traffic-shift'],
  [
    'rule on another load balancer than the listeners',
    { 'listener-rule-arns': ARN('listener-rule/app/api/0123456789abcdef/f2f7dc8efc522ab2/9683b2d02a6cabee') },
    'listener-rule-arns',
  ],
  [
    'too many alarms',
    { 'alarm-names': Array.from({ length: 101 }, (_, i) => `a${i}`).join(',') },
    'alarm-names',
  ],
  [
    'min-healthy-percent out of range',
    { strategy: 'rolling', 'auto-scaling-group': 'web', 'min-healthy-percent': '120' },
    'min-healthy-percent',
  ],
  [
    'max-healthy-percent below 100',
    { strategy: 'rolling', 'auto-scaling-group': 'web', 'max-healthy-percent': '50' },
    'max-healthy-percent',
  ],
  ['rolling without a group', { strategy: 'rolling' }, 'auto-scaling-group'],
  [
    'maintenance-response not HTTP',
    { strategy: 'recreate', 'auto-scaling-group': 'web', 'maintenance-response': '700' },
    'maintenance-response',
  ],
  [
    'checkpoints not ending at 100',
    { strategy: 'rolling', 'auto-scaling-group': 'web', checkpoints: '20,50' },
    'checkpoints',
  ],
  [
    'rolling: negative instance-warmup',
    { strategy: 'rolling', 'auto-scaling-group': 'web', 'instance-warmup': '-30' },
    'instance-warmup',
  ],
  [
    'rolling: checkpoints not increasing',
    { strategy: 'rolling', 'auto-scaling-group': 'web', checkpoints: '50,20,100' },
    'checkpoints',
  ],
  [
    'rolling: healthy percentages more than 100 apart',
    {
      strategy: 'rolling',
      'auto-scaling-group': 'web',
      'min-healthy-percent': '50',
      'max-healthy-percent': '200',
    },
    'max-healthy-percent',
  ],
  [
    'rolling: $Default with auto rollback',
    { strategy: 'rolling', 'auto-scaling-group': 'web', 'launch-template-version': '$Default' },
    'launch-template-version',
  ],
  [
    'rolling: checkpoint-delay without checkpoints',
    { strategy: 'rolling', 'auto-scaling-group': 'web', 'checkpoint-delay': '5m' },
    'checkpoint-delay',
  ],
  [
    'recreate: maintenance-response that is not a status',
    { strategy: 'recreate', 'auto-scaling-group': 'web', 'maintenance-response': 'down for maintenance' },
    'maintenance-response',
  ],
  [
    'recreate: maintenance-response with a 3XX status',
    { strategy: 'recreate', 'auto-scaling-group': 'web', 'maintenance-response': '302:moved' },
    'maintenance-response',
  ],
  ['recreate without a group', { strategy: 'recreate' }, 'auto-scaling-group'],
  ['version-label with newline', { 'version-label': 'v1\nv2' }, 'version-label'],
];

let server: Server;
let requests = 0;
const saved = { ...process.env };
let stdout: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    res.writeHead(403, { 'content-type': 'text/xml' });
    res.end(
      '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>test endpoint</Message></Error></ErrorResponse>',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  requests = 0;
  stdout = [];
  process.exitCode = undefined;
  for (const key of Object.keys(process.env))
    if (key.startsWith('INPUT_') || key.startsWith('AWS_')) delete process.env[key];
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'test-secret',
    GITHUB_OUTPUT: '',
    GITHUB_STEP_SUMMARY: '',
    GITHUB_STATE: '',
  });
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  jest.restoreAllMocks();
  process.env = { ...saved };
  process.exitCode = undefined;
});

function setInputs(inputs: Record<string, string>) {
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

test.each(CASES)(
  '%s: an ::error naming the input, exit code 1, zero AWS requests',
  async (_title, overrides, input) => {
    setInputs({ ...GOOD, ...overrides });
    await run();
    const errors = stdout
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('::error'));
    expect(errors.some((line) => line.includes(`::${input}: `))).toBe(true);
    expect(process.exitCode).toBe(1);
    expect(requests).toBe(0);
  },
);

test('every problem of a bad input set is reported, each on its own ::error line', async () => {
  setInputs({ ...GOOD, 'listener-arns': TG, 'green-auto-scaling-group': 'web-blue', 'bake-time': 'soon' });
  await run();
  const errors = stdout
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('::error'));
  for (const input of ['listener-arns', 'green-auto-scaling-group', 'bake-time']) {
    expect(errors.filter((line) => line.includes(`::${input}: `))).toHaveLength(1);
  }
  expect(requests).toBe(0);
});

test('control: valid inputs do reach the endpoint (the counter can see requests)', async () => {
  setInputs(GOOD);
  await run();
  expect(requests).toBeGreaterThan(0);
  expect(process.exitCode).toBe(1);
  expect(stdout.join('')).not.toContain('test-secret');
});
