/**
 * The bundled action deploys in place on moto (server.py's time-based Instance
 * Refresh): rolling and recreate, success and a refresh that fails (group tag
 * `moto:instance-refresh=fail`, rolled back by AWS's auto rollback). Batches,
 * checkpoints and health bounds are covered on the simulator: moto reports
 * every target healthy at once.
 */
import { existsSync } from 'node:fs';
import { CreateOrUpdateTagsCommand, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { awsClients, buildInfrastructure, readListenerForwards, type AwsClients } from './fixture.js';
import { motoUnavailableReason, startMoto, type MotoServer } from './moto-server.js';
import { ACTION_MAIN, runAction } from './run-action.js';

const E2E_TIMEOUT = 60_000;
const RUN_TIMEOUT = 40_000;
const skipReason =
  motoUnavailableReason() ??
  (existsSync(ACTION_MAIN) ? undefined : `${ACTION_MAIN} not built yet (npm run bundle)`);
if (skipReason) console.warn(`[e2e] rolling/recreate tests skipped: ${skipReason}`);
const describeE2E = skipReason ? describe.skip : describe;

describeE2E('rolling and recreate deploys of the bundled action on moto', () => {
  let moto: MotoServer;
  let aws: AwsClients;

  beforeAll(async () => {
    moto = await startMoto({ env: { MOTO_IR_SECONDS: '1' } });
    aws = awsClients(moto.endpoint);
  }, E2E_TIMEOUT);
  beforeEach(async () => moto.reset());
  afterAll(async () => {
    aws?.destroy();
    await moto?.stop();
  });

  const groupOf = async (name: string) => {
    const out = await aws.autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
    );
    const group = out.AutoScalingGroups?.[0];
    if (!group) throw new Error(`no group ${name}`);
    return group;
  };
  const failRefreshes = (group: string) =>
    aws.autoScaling.send(
      new CreateOrUpdateTagsCommand({
        Tags: [
          {
            ResourceId: group,
            ResourceType: 'auto-scaling-group',
            Key: 'moto:instance-refresh',
            Value: 'fail',
            PropagateAtLaunch: false,
          },
        ],
      }),
    );
  const base = (strategy: string, group: string) => ({
    strategy,
    'auto-scaling-group': group,
    'launch-template-version': '2',
    'poll-interval': '1s',
    'health-timeout': '1m',
  });

  it(
    'rolling: the refresh succeeds, the group runs version 2, instance-refresh-id is set',
    async () => {
      const infra = await buildInfrastructure(moto.endpoint, { name: 'roll' });
      const run = await runAction(base('rolling', infra.autoScalingGroups.blue), {
        endpoint: moto.endpoint,
        timeoutMs: RUN_TIMEOUT,
      });
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({ result: 'deployed', 'launch-template-version': '2' });
      expect(run.outputs['instance-refresh-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(run.stdout).toMatch(/instance refresh [0-9a-f-]+: (Pending|InProgress), \d+ %/);
      expect(run.summary).toMatch(/Instance refresh [0-9a-f-]+: Successful, 100 %/);
      expect((await groupOf(infra.autoScalingGroups.blue)).LaunchTemplate?.Version).toBe('2');
    },
    E2E_TIMEOUT,
  );

  it(
    'rolling: a failing refresh is rolled back by AWS; result rolled-back, the step fails, the group unchanged',
    async () => {
      const infra = await buildInfrastructure(moto.endpoint, { name: 'rollfail' });
      await failRefreshes(infra.autoScalingGroups.blue);
      const run = await runAction(base('rolling', infra.autoScalingGroups.blue), {
        endpoint: moto.endpoint,
        timeoutMs: RUN_TIMEOUT,
      });
      expect(run.code).not.toBe(0);
      expect(run.outputs.result).toBe('rolled-back');
      expect(run.outputs['rollback-reason']).toMatch(/failed health checks/);
      expect(run.summary).toMatch(/RollbackSuccessful/);
      expect((await groupOf(infra.autoScalingGroups.blue)).LaunchTemplate?.Version).toBe('1');
    },
    E2E_TIMEOUT,
  );

  it(
    'recreate: listeners answer 503 during the replacement and get their exact forwards back',
    async () => {
      const infra = await buildInfrastructure(moto.endpoint, { name: 'recr' });
      const before = await readListenerForwards(moto.endpoint, infra.listenerArns);
      const run = await runAction(
        { ...base('recreate', infra.autoScalingGroups.blue), 'listener-arns': infra.listenerArns.join('\n') },
        { endpoint: moto.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expect(run.code).toBe(0);
      expect(run.outputs.result).toBe('deployed');
      expect(run.summary).toMatch(/answer 503/);
      expect(await readListenerForwards(moto.endpoint, infra.listenerArns)).toEqual(before);
      expect((await groupOf(infra.autoScalingGroups.blue)).LaunchTemplate?.Version).toBe('2');
    },
    E2E_TIMEOUT,
  );

  it(
    'recreate: a failing refresh ends rolled back with the listeners restored',
    async () => {
      const infra = await buildInfrastructure(moto.endpoint, { name: 'recrfail' });
      await failRefreshes(infra.autoScalingGroups.blue);
      const before = await readListenerForwards(moto.endpoint, infra.listenerArns);
      const run = await runAction(
        { ...base('recreate', infra.autoScalingGroups.blue), 'listener-arns': infra.listenerArns.join('\n') },
        { endpoint: moto.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expect(run.code).not.toBe(0);
      expect(run.outputs.result).toBe('rolled-back');
      expect(await readListenerForwards(moto.endpoint, infra.listenerArns)).toEqual(before);
      expect((await groupOf(infra.autoScalingGroups.blue)).LaunchTemplate?.Version).toBe('1');
    },
    E2E_TIMEOUT,
  );
});
