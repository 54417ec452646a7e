/**
 * Bad input through the bundle, as the runner runs it (`node dist/index.js`
 * with INPUT_* variables): exit code 1, one `::error` annotation per problem
 * naming its input, `result=failed`, and not one request through the recording
 * proxy. No moto needed: the proxy forwards to a stub that answers every
 * request AccessDenied, so a request sent by mistake would be recorded, not lost.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.js';
import { runAction } from './run-action.js';
import { describeWithMoto } from './use-moto.js';

const ARN = (resource: string, region = 'us-east-1') =>
  `arn:aws:elasticloadbalancing:${region}:123456789012:${resource}`;
const LISTENER = ARN('listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2');
const TG = ARN('targetgroup/web-blue/73e2d6bc24d8a067');
const GOOD: Record<string, string> = {
  strategy: 'blue-green',
  'aws-region': 'us-east-1',
  'listener-arns': LISTENER,
  'blue-auto-scaling-group': 'web-blue',
  'green-auto-scaling-group': 'web-green',
  'launch-template-version': '7',
};

/** [case, inputs over GOOD, inputs the `::error` lines must name (exactly these)] */
const CASES: [string, Record<string, string>, string[]][] = [
  ['no listener', { 'listener-arns': '' }, ['listener-arns']],
  ['region that is not one', { 'aws-region': 'virginia' }, ['aws-region']],
  ['unknown strategy', { strategy: 'canary' }, ['strategy']],
  ['unknown mode', { mode: 'yolo' }, ['mode']],
  ['target group ARN as listener', { 'listener-arns': TG }, ['listener-arns']],
  [
    'listener in another region',
    { 'listener-arns': ARN('listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2', 'eu-west-1') },
    ['listener-arns'],
  ],
  ['blue == green group', { 'green-auto-scaling-group': 'web-blue' }, ['green-auto-scaling-group']],
  ['version not a number', { 'launch-template-version': 'v7' }, ['launch-template-version']],
  ['both version and image', { 'image-id': 'ami-0123456789abcdef0' }, ['launch-template-version']],
  ['image not an AMI', { 'launch-template-version': '', 'image-id': 'ubuntu-24.04' }, ['image-id']],
  ['health-timeout beyond timeout', { 'health-timeout': '40m' }, ['health-timeout']],
  ['poll-interval under a second', { 'poll-interval': '0' }, ['poll-interval']],
  ['auto-rollback not a boolean', { 'auto-rollback': 'yes' }, ['auto-rollback']],
  ['canary percent out of range', { 'traffic-shift': 'canary:150:5m' }, ['traffic-shift']],
  [
    'three problems at once, all reported',
    { 'aws-region': 'virginia', 'bake-time': '-5m', 'previous-fleet': 'delete' },
    ['aws-region', 'bake-time', 'previous-fleet'],
  ],
];

const describeE2E = describeWithMoto('bad-input', { moto: false });

/** Inputs named by `::error title=Invalid input%3A NAME::NAME: …` lines, in order. */
function namedInputs(stdout: string): string[] {
  return [...stdout.matchAll(/^::error title=Invalid input%3A ([a-z-]+)::([a-z-]+): /gm)].map((m) => {
    expect(m[2]).toBe(m[1]);
    return m[1] as string;
  });
}

describeE2E('bad input through the bundle: ::error naming the input, exit 1, zero AWS calls', () => {
  let stub: Server;
  let proxy: RecordingProxy;

  beforeAll(async () => {
    stub = createServer((_req, res) => {
      res.writeHead(403, { 'content-type': 'text/xml' });
      res.end(
        '<ErrorResponse><Error><Code>AccessDenied</Code><Message>stub</Message></Error></ErrorResponse>',
      );
    });
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    proxy = await startRecordingProxy(`http://127.0.0.1:${(stub.address() as AddressInfo).port}`);
  });

  afterAll(async () => {
    /* eslint-disable @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before setting these */
    await proxy?.stop();
    await new Promise((resolve) => stub?.close(resolve));
    /* eslint-enable @typescript-eslint/no-unnecessary-condition */
  });

  beforeEach(() => proxy.clear());

  it.each(CASES)('%s', async (_name, override, inputs) => {
    const run = await runAction({ ...GOOD, ...override }, { endpoint: proxy.endpoint, timeoutMs: 20_000 });

    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(1);
    expect(namedInputs(run.stdout)).toEqual(inputs);
    expect(run.stdout).toContain(
      `::error::${inputs.length} input problem(s), listed above. Nothing was sent to AWS and nothing was changed.`,
    );
    expect(run.outputs.result).toBe('failed');
    expect(run.stderr).not.toMatch(/Error:|at .*index\.js/); // no crash, no stack
    expect(proxy.calls).toEqual([]);
  });

  it('no inputs at all and no AWS_REGION: every required input named, zero calls', async () => {
    const run = await runAction({}, { endpoint: proxy.endpoint, env: { AWS_REGION: '' }, timeoutMs: 20_000 });

    expect(run.code).toBe(1);
    expect(namedInputs(run.stdout)).toEqual([
      'aws-region',
      'listener-arns',
      'blue-auto-scaling-group',
      'launch-template-version',
    ]);
    expect(proxy.calls).toEqual([]);
  });
});
