/**
 * The bundled action (dist/index.js, as `uses:` runs it) deploys blue/green on
 * moto: the idle color gets the new version and the live color's size, traffic
 * moves on every listener (stickiness kept), the old color is scaled down after
 * traffic has left it — and the next run goes back the other way. A bad input
 * fails before any AWS request.
 */
import { existsSync } from 'node:fs';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { awsClients, buildInfrastructure, readListenerForwards, type AwsClients } from './fixture.js';
import { motoUnavailableReason, startMoto, type MotoServer } from './moto-server.js';
import { startRecordingProxy, type RecordedCall, type RecordingProxy } from './recording-proxy.js';
import { ACTION_MAIN, runAction, type ActionRun } from './run-action.js';

const E2E_TIMEOUT = 60_000;
const RUN_TIMEOUT = 40_000;
const skipReason =
  motoUnavailableReason() ??
  (existsSync(ACTION_MAIN) ? undefined : `${ACTION_MAIN} not built yet (npm run bundle)`);
if (skipReason) console.warn(`[e2e] blue-green tests skipped: ${skipReason}`);
const describeE2E = skipReason ? describe.skip : describe;

/** Target groups that get traffic: the action keeps the idle color listed at weight 0 (so it is health-checked). */
const serving = (shares: Record<string, number> | undefined) =>
  Object.fromEntries(Object.entries(shares ?? {}).filter(([, weight]) => weight > 0));

/** Fails with the action's own output, which says why far better than a diff of outputs. */
function expectSucceeded(run: ActionRun): void {
  if (run.code !== 0 || run.post?.code) {
    throw new Error(
      `action exited ${run.code} (post: ${run.post?.code ?? 'none'})\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}` +
        (run.post ? `\n--- post stdout\n${run.post.stdout}\n--- post stderr\n${run.post.stderr}` : ''),
    );
  }
}

const CAPACITY_ACTIONS = new Set(['UpdateAutoScalingGroup', 'SetDesiredCapacity']);
const param = (call: RecordedCall, name: string) => new URLSearchParams(call.body).get(name);

describeE2E('blue/green deploy of the bundled action on moto', () => {
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

  const groupOf = async (name: string) => {
    const { AutoScalingGroups = [] } = await aws.autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
    );
    const group = AutoScalingGroups[0];
    if (!group) throw new Error(`no group ${name}`);
    return group;
  };
  const imagesOf = async (instanceIds: string[]) => {
    if (instanceIds.length === 0) return [];
    const { Reservations = [] } = await aws.ec2.send(
      new DescribeInstancesCommand({ InstanceIds: instanceIds }),
    );
    return Reservations.flatMap((reservation) => reservation.Instances ?? []).map(
      (instance) => instance.ImageId,
    );
  };
  /** Capacity writes (UpdateAutoScalingGroup, SetDesiredCapacity) to one group, by position in the call log. */
  const capacityWrites = (group: string) =>
    proxy.calls
      .map((call, index) => ({ call, index }))
      .filter(
        ({ call }) => CAPACITY_ACTIONS.has(call.action) && param(call, 'AutoScalingGroupName') === group,
      );
  const listenerWrites = () =>
    proxy.calls
      .map((call, index) => ({ call, index }))
      .filter(({ call }) => call.action === 'ModifyListener');

  it(
    'deploys version 2 to green, moves both listeners, scales blue down; the next run goes back to blue',
    async () => {
      const infra = await buildInfrastructure(moto.endpoint);
      const inputs = {
        strategy: 'blue-green',
        'listener-arns': infra.listenerArns.join('\n'),
        'blue-auto-scaling-group': infra.autoScalingGroups.blue,
        'green-auto-scaling-group': infra.autoScalingGroups.green,
        'poll-interval': '1s',
        'health-timeout': '2m',
      };

      // Run 1: blue serves version 1; deploy version 2 → green.
      const first = await runAction(
        { ...inputs, 'launch-template-version': '2', 'version-label': 'v2.0.0' },
        { endpoint: proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expectSucceeded(first);
      expect(first.outputs).toMatchObject({
        result: 'deployed',
        'active-color': 'green',
        'previous-color': 'blue',
        'active-auto-scaling-group': infra.autoScalingGroups.green,
        'previous-auto-scaling-group': infra.autoScalingGroups.blue,
        'active-target-group-arn': infra.targetGroupArns.green,
        'launch-template-version': '2',
        'version-label': 'v2.0.0',
      });
      expect(first.outputs['rollback-reason'] ?? '').toBe('');
      expect(first.outputs['duration-seconds']).toMatch(/^\d+(\.\d+)?$/);
      expect(first.summary).toMatch(/deployed/i);

      const [plain, sticky] = await readListenerForwards(moto.endpoint, infra.listenerArns);
      expect(serving(plain?.shares)).toEqual({ [infra.targetGroupArns.green]: 100 });
      expect(serving(sticky?.shares)).toEqual({ [infra.targetGroupArns.green]: 100 });
      expect(sticky?.stickiness).toEqual({ Enabled: true, DurationSeconds: 300 });

      const green = await groupOf(infra.autoScalingGroups.green);
      expect(green).toMatchObject({ MinSize: 2, MaxSize: 2, DesiredCapacity: 2 });
      expect(green.LaunchTemplate?.Version).toBe('2');
      // moto reports the template's default version on instances: the AMI tells what runs.
      expect(await imagesOf((green.Instances ?? []).map((i) => i.InstanceId as string))).toEqual([
        infra.imageIds.v2,
        infra.imageIds.v2,
      ]);
      expect((await groupOf(infra.autoScalingGroups.blue)).DesiredCapacity).toBe(0);

      // The live fleet is never reduced before traffic has left it; the new one is up before traffic arrives.
      // The switch is the last write to each listener; an earlier one only lists green at weight 0.
      const moves = listenerWrites().slice(-infra.listenerArns.length);
      expect(moves.length).toBeGreaterThanOrEqual(2);
      const greenUp = capacityWrites(infra.autoScalingGroups.green);
      const blueDown = capacityWrites(infra.autoScalingGroups.blue);
      expect(greenUp.length).toBeGreaterThan(0);
      expect(blueDown.length).toBeGreaterThan(0);
      expect(Math.min(...greenUp.map((w) => w.index))).toBeLessThan(Math.min(...moves.map((w) => w.index)));
      expect(Math.min(...blueDown.map((w) => w.index))).toBeGreaterThan(
        Math.max(...moves.map((w) => w.index)),
      );

      // Run 2: green serves version 2; deploy version 1 → blue.
      proxy.clear();
      const second = await runAction(
        { ...inputs, 'launch-template-version': '1', 'version-label': 'v1.0.0' },
        { endpoint: proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expectSucceeded(second);
      expect(second.outputs).toMatchObject({
        result: 'deployed',
        'active-color': 'blue',
        'previous-color': 'green',
        'active-auto-scaling-group': infra.autoScalingGroups.blue,
        'active-target-group-arn': infra.targetGroupArns.blue,
        'launch-template-version': '1',
        'version-label': 'v1.0.0',
      });
      const forwards = await readListenerForwards(moto.endpoint, infra.listenerArns);
      expect(forwards.map((forward) => serving(forward.shares))).toEqual([
        { [infra.targetGroupArns.blue]: 100 },
        { [infra.targetGroupArns.blue]: 100 },
      ]);
      expect(forwards[1]?.stickiness).toEqual({ Enabled: true, DurationSeconds: 300 });
      const blue = await groupOf(infra.autoScalingGroups.blue);
      expect(blue).toMatchObject({ DesiredCapacity: 2, LaunchTemplate: { Version: '1' } });
      expect(await imagesOf((blue.Instances ?? []).map((i) => i.InstanceId as string))).toEqual([
        infra.imageIds.v1,
        infra.imageIds.v1,
      ]);
      expect((await groupOf(infra.autoScalingGroups.green)).DesiredCapacity).toBe(0);
    },
    E2E_TIMEOUT,
  );

  it(
    'a target group ARN in listener-arns fails the step before any AWS request',
    async () => {
      const infra = await buildInfrastructure(moto.endpoint);
      const run = await runAction(
        {
          strategy: 'blue-green',
          'listener-arns': infra.targetGroupArns.blue,
          'blue-auto-scaling-group': infra.autoScalingGroups.blue,
          'green-auto-scaling-group': infra.autoScalingGroups.green,
          'launch-template-version': '2',
        },
        { endpoint: proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );

      expect(run.code).not.toBe(0);
      expect(run.stdout).toMatch(/^::error\b.*listener-arns/m);
      expect(proxy.calls).toEqual([]);
      const [plain] = await readListenerForwards(moto.endpoint, infra.listenerArns);
      expect(serving(plain?.shares)).toEqual({ [infra.targetGroupArns.blue]: 100 });
    },
    E2E_TIMEOUT,
  );
});
