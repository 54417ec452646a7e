/**
 * The bundled action on moto in the two modes issue 6 adds: plan sends no
 * write (through the recording proxy), and rollback after a deploy puts blue
 * back with its recorded version, reason from the workflow's own input.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { awsClients, buildInfrastructure, readListenerForwards, type AwsClients } from './fixture.js';
import { motoUnavailableReason, startMoto, type MotoServer } from './moto-server.js';
import { isWriteAction, startRecordingProxy, type RecordingProxy } from './recording-proxy.js';
import { ACTION_MAIN, runAction, type ActionRun } from './run-action.js';

const E2E_TIMEOUT = 90_000;
const RUN_TIMEOUT = 40_000;
const skipReason =
  motoUnavailableReason() ??
  (existsSync(ACTION_MAIN) ? undefined : `${ACTION_MAIN} not built yet (npm run bundle)`);
if (skipReason) console.warn(`[e2e] rollback/plan tests skipped: ${skipReason}`);
const describeE2E = skipReason ? describe.skip : describe;

/** Target groups that get traffic: the action keeps the idle color listed at weight 0 (so it is health-checked). */
const serving = (shares: Record<string, number> | undefined) =>
  Object.fromEntries(Object.entries(shares ?? {}).filter(([, weight]) => weight > 0));

function expectSucceeded(run: ActionRun): void {
  if (run.code !== 0 || run.post?.code) {
    throw new Error(
      `action exited ${run.code} (post: ${run.post?.code ?? 'none'})\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}` +
        (run.post ? `\n--- post stdout\n${run.post.stdout}\n--- post stderr\n${run.post.stderr}` : ''),
    );
  }
}

describeE2E('rollback and plan modes of the bundled action on moto', () => {
  let moto: MotoServer;
  let proxy: RecordingProxy;
  let aws: AwsClients;

  beforeAll(async () => {
    moto = await startMoto();
    proxy = await startRecordingProxy(moto.endpoint);
    aws = awsClients(moto.endpoint);
  }, E2E_TIMEOUT);

  beforeEach(async () => {
    await moto.reset();
    proxy.clear();
  });

  afterAll(async () => {
    aws?.destroy();
    await proxy?.stop();
    await moto?.stop();
  });

  const inputsOf = (infra: Awaited<ReturnType<typeof buildInfrastructure>>) => ({
    strategy: 'blue-green',
    'listener-arns': infra.listenerArns.join('\n'),
    'blue-auto-scaling-group': infra.autoScalingGroups.blue,
    'green-auto-scaling-group': infra.autoScalingGroups.green,
    'poll-interval': '1s',
    'health-timeout': '2m',
  });

  it(
    'plan: result planned, the writes listed in the summary, zero writes sent',
    async () => {
      const infra = await buildInfrastructure(moto.endpoint);
      const run = await runAction(
        { ...inputsOf(infra), mode: 'plan', 'launch-template-version': '2' },
        { endpoint: proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expectSucceeded(run);
      expect(run.outputs.result).toBe('planned');
      expect(run.summary).toMatch(/would make these \d+ write\(s\)/);
      expect(run.summary).toContain('UpdateAutoScalingGroup');
      expect(proxy.calls.length).toBeGreaterThan(0);
      expect(proxy.calls.filter((call) => isWriteAction(call.action))).toEqual([]);
    },
    E2E_TIMEOUT,
  );

  it(
    'rollback after a deploy: blue back up on version 1, traffic back, green scaled down, reason from the workflow input',
    async () => {
      const infra = await buildInfrastructure(moto.endpoint);
      const deploy = await runAction(
        { ...inputsOf(infra), 'launch-template-version': '2', 'version-label': 'v2' },
        { endpoint: proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expectSucceeded(deploy);

      const event = join(mkdtempSync(join(tmpdir(), 'event-')), 'event.json');
      writeFileSync(
        event,
        JSON.stringify({ inputs: { environment: 'production', reason: 'v2 breaks checkout' } }),
      );
      const rollback = await runAction(
        { ...inputsOf(infra), mode: 'rollback' },
        {
          endpoint: proxy.endpoint,
          timeoutMs: RUN_TIMEOUT,
          env: { GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_EVENT_PATH: event, GITHUB_RUN_ID: '4343' },
        },
      );
      expectSucceeded(rollback);
      expect(rollback.outputs).toMatchObject({
        result: 'rolled-back',
        'active-color': 'blue',
        'launch-template-version': '1',
        'previous-version-label': 'v2',
        'rollback-reason': 'v2 breaks checkout',
      });
      expect(rollback.summary).toContain('v2 breaks checkout');
      const [forward] = await readListenerForwards(moto.endpoint, infra.listenerArns);
      expect(serving(forward?.shares)).toEqual({ [infra.targetGroupArns.blue]: 100 });
      const { AutoScalingGroups = [] } = await aws.autoScaling.send(
        new DescribeAutoScalingGroupsCommand({
          AutoScalingGroupNames: [infra.autoScalingGroups.blue, infra.autoScalingGroups.green],
        }),
      );
      const byName = new Map(AutoScalingGroups.map((g) => [g.AutoScalingGroupName, g]));
      expect(byName.get(infra.autoScalingGroups.blue)).toMatchObject({
        DesiredCapacity: 2,
        LaunchTemplate: { Version: '1' },
      });
      expect(byName.get(infra.autoScalingGroups.green)?.DesiredCapacity).toBe(0);
      const tags = Object.fromEntries(
        (byName.get(infra.autoScalingGroups.blue)?.Tags ?? []).map((t) => [t.Key, t.Value]),
      );
      expect(tags['asg-deploy:color']).toBe('blue');
      expect(tags['asg-deploy:lock']).toBeUndefined();
    },
    E2E_TIMEOUT,
  );
});
