/**
 * The bundled action (dist/index.js, as `uses:` runs it) deploys blue/green
 * (all at once) on moto: the idle color gets the new version and the live
 * color's size, traffic moves on every listener and rule (stickiness kept, the
 * old color left at weight 0), the old color is scaled down after traffic has
 * left it — and the next run goes back the other way. The job summary holds
 * the result and the before/after table. When a step fails — before any write
 * (a version that does not exist) or at a write AWS refuses (an instance type
 * EC2 does not offer) — the listeners, the rule and both groups end exactly as
 * they were. A bad input fails before any AWS request (more in
 * bad-input.e2e.test.ts).
 *
 * One moto server for the whole file, reset before each test. It runs with
 * MOTO_EC2_ENABLE_INSTANCE_TYPE_VALIDATION so that launching an instance type
 * EC2 does not offer is refused, as AWS refuses it (the fixture's t3.micro is
 * valid, so the other tests are unaffected).
 */
import { existsSync } from 'node:fs';
import { DescribeAutoScalingGroupsCommand, type AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import {
  CreateLaunchTemplateVersionCommand,
  DescribeInstancesCommand,
  type _InstanceType,
} from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  awsClients,
  buildInfrastructure,
  readListenerForwards,
  type AwsClients,
  type Infrastructure,
} from './fixture.js';
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
    moto = await startMoto({ env: { MOTO_EC2_ENABLE_INSTANCE_TYPE_VALIDATION: 'true' } });
    proxy = await startRecordingProxy(moto.endpoint);
    aws = awsClients(moto.endpoint);
  }, E2E_TIMEOUT);

  beforeEach(async () => {
    await moto.reset();
    proxy.clear();
  });

  afterAll(async () => {
    /* eslint-disable @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before setting these */
    aws?.destroy();
    await proxy?.stop();
    await moto?.stop();
    /* eslint-enable @typescript-eslint/no-unnecessary-condition */
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
  /** Every route's actions exactly as ELB returns them: [listener 80, listener 8080, rule]. */
  const routeActions = async (infra: Infrastructure): Promise<Action[][]> => {
    const { Listeners = [] } = await aws.elbv2.send(
      new DescribeListenersCommand({ ListenerArns: infra.listenerArns }),
    );
    const { Rules = [] } = await aws.elbv2.send(
      new DescribeRulesCommand({ RuleArns: [infra.listenerRuleArn] }),
    );
    return [
      ...infra.listenerArns.map(
        (arn) => Listeners.find((listener) => listener.ListenerArn === arn)?.DefaultActions ?? [],
      ),
      Rules[0]?.Actions ?? [],
    ];
  };
  /** The forward action the action writes: both colors listed, blue first, with the given weights. */
  const forward = (
    infra: Infrastructure,
    weights: { blue: number; green: number },
    stickiness: { Enabled: boolean; DurationSeconds?: number },
  ): Action[] => [
    {
      Type: 'forward',
      ForwardConfig: {
        TargetGroups: [
          { TargetGroupArn: infra.targetGroupArns.blue, Weight: weights.blue },
          { TargetGroupArn: infra.targetGroupArns.green, Weight: weights.green },
        ],
        TargetGroupStickinessConfig: stickiness,
      },
    },
  ];
  /** What every route must read after a deploy to `color`: only the sticky listener keeps its stickiness. */
  const allTo = (infra: Infrastructure, color: 'blue' | 'green'): Action[][] => {
    const weights = color === 'blue' ? { blue: 100, green: 0 } : { blue: 0, green: 100 };
    return [
      forward(infra, weights, { Enabled: false }),
      forward(infra, weights, { Enabled: true, DurationSeconds: 300 }),
      forward(infra, weights, { Enabled: false }),
    ];
  };
  /** The parts of a group a deploy may change. */
  const shape = (group: AutoScalingGroup) => ({
    MinSize: group.MinSize,
    MaxSize: group.MaxSize,
    DesiredCapacity: group.DesiredCapacity,
    LaunchTemplate: group.LaunchTemplate,
    Instances: (group.Instances ?? []).map((i) => i.InstanceId).sort(),
  });
  const listenerWrites = () =>
    proxy.calls
      .map((call, index) => ({ call, index }))
      .filter(({ call }) => call.action === 'ModifyListener');
  /** A ModifyListener that gives the target group a weight above 0 (listing it at weight 0 moves no traffic). */
  const sendsTrafficTo = (body: string, targetGroupArn: string) => {
    const form = new URLSearchParams(body);
    for (const [name, value] of form) {
      if (value !== targetGroupArn || !name.endsWith('.TargetGroupArn')) continue;
      const weight = form.get(name.replace(/TargetGroupArn$/, 'Weight'));
      if (weight === null || Number(weight) > 0) return true;
    }
    return false;
  };

  const inputsFor = (infra: Infrastructure) => ({
    strategy: 'blue-green',
    'listener-arns': infra.listenerArns.join('\n'),
    'listener-rule-arns': infra.listenerRuleArn,
    'blue-auto-scaling-group': infra.autoScalingGroups.blue,
    'green-auto-scaling-group': infra.autoScalingGroups.green,
    'poll-interval': '1s',
    'health-timeout': '2m',
  });

  it(
    'deploys version 2 to green, moves both listeners and the rule, scales blue down; the next run goes back to blue',
    async () => {
      const infra = await buildInfrastructure(moto.endpoint);
      const inputs = inputsFor(infra);

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

      // Every route exactly: all traffic on green, blue still listed at weight 0, stickiness as it was.
      expect(await routeActions(infra)).toEqual(allTo(infra, 'green'));

      const green = await groupOf(infra.autoScalingGroups.green);
      expect(green).toMatchObject({ MinSize: 2, MaxSize: 2, DesiredCapacity: 2 });
      expect(green.LaunchTemplate?.Version).toBe('2');
      // moto reports the template's default version on instances: the AMI tells what runs.
      expect(await imagesOf((green.Instances ?? []).map((i) => i.InstanceId as string))).toEqual([
        infra.imageIds.v2,
        infra.imageIds.v2,
      ]);
      expect(await groupOf(infra.autoScalingGroups.blue)).toMatchObject({
        MinSize: 0,
        DesiredCapacity: 0,
        Instances: [],
      });

      // The live fleet is never reduced before traffic has left it; the new one is up before traffic arrives.
      const moves = listenerWrites().filter(({ call }) =>
        sendsTrafficTo(call.body, infra.targetGroupArns.green),
      );
      expect(moves.length).toBeGreaterThanOrEqual(2);
      const greenUp = capacityWrites(infra.autoScalingGroups.green);
      const blueDown = capacityWrites(infra.autoScalingGroups.blue);
      expect(greenUp.length).toBeGreaterThan(0);
      expect(blueDown.length).toBeGreaterThan(0);
      expect(Math.min(...greenUp.map((w) => w.index))).toBeLessThan(Math.max(...moves.map((w) => w.index)));
      expect(Math.min(...blueDown.map((w) => w.index))).toBeGreaterThan(
        Math.max(...moves.map((w) => w.index)),
      );

      // Run 2: green serves version 2; deploy version 1 → blue. Green is already listed at weight 0 on every
      // route, so the only route writes are the switch itself: one per route.
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
        'previous-auto-scaling-group': infra.autoScalingGroups.green,
        'active-target-group-arn': infra.targetGroupArns.blue,
        'launch-template-version': '1',
        'version-label': 'v1.0.0',
      });
      expect(await routeActions(infra)).toEqual(allTo(infra, 'blue'));
      expect(proxy.writes().map((call) => call.action)).toEqual([
        'CreateOrUpdateTags', // the deployment lock
        'SuspendProcesses', // blue's scaling held still for the run
        'SuspendProcesses', // green's
        'UpdateAutoScalingGroup', // blue: version 1, 2/2/2
        'ModifyListener',
        'ModifyListener',
        'ModifyRule',
        'CreateOrUpdateTags', // the deployment record
        'UpdateAutoScalingGroup', // green: 0
        'ResumeProcesses', // blue's, at the run's end
        'ResumeProcesses', // green's
        'DeleteTags', // the lock released
      ]);
      const blue = await groupOf(infra.autoScalingGroups.blue);
      expect(blue).toMatchObject({
        MinSize: 2,
        MaxSize: 2,
        DesiredCapacity: 2,
        LaunchTemplate: { Version: '1' },
      });
      expect(await imagesOf((blue.Instances ?? []).map((i) => i.InstanceId as string))).toEqual([
        infra.imageIds.v1,
        infra.imageIds.v1,
      ]);
      expect(await groupOf(infra.autoScalingGroups.green)).toMatchObject({
        MinSize: 0,
        DesiredCapacity: 0,
        Instances: [],
      });
    },
    E2E_TIMEOUT,
  );

  it(
    'writes the result and the before/after table into the job summary',
    async () => {
      const infra = await buildInfrastructure(moto.endpoint);
      const run = await runAction(
        { ...inputsFor(infra), 'launch-template-version': '2', 'version-label': 'v2.0.0' },
        { endpoint: proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expectSucceeded(run);
      const { blue, green } = infra.autoScalingGroups;
      const lines = run.summary.split('\n');

      expect(lines[0]).toBe(`## ✅ Deployed: v2.0.0, launch template version 2, to green (${green})`);
      expect(lines).toContain(
        '| Fleet | Auto Scaling group | Target group | Version | Capacity (min/desired/max) | Health | Traffic |',
      );
      const row = (name: string) => lines.find((line) => line.startsWith(`| ${name} |`)) ?? '';
      expect(row('**blue**')).toBe(
        `| **blue** | ${blue} | targetgroup/${infra.targetGroupNames.blue}/${infra.targetGroupArns.blue.split('/').pop()!} | 1 | 2/2/2 → **0/0/2** | 2/2 healthy → **0/0 healthy** | 100 % → **0 %** |`,
      );
      // The after table counts instances by the version they report: moto reports the template's
      // default version (1) for every instance (fixture.ts, finding 5), AWS the one launched from.
      expect(row('green')).toBe(
        `| green | ${green} | targetgroup/${infra.targetGroupNames.green}/${infra.targetGroupArns.green.split('/').pop()!} | 1 → **2**<br>instances: v1 ×2 | 0/0/0 → **2/2/2** | 0/0 healthy → **2/2 healthy** | 0 % → **100 %** |`,
      );
      // The steps, each done, and every write sent (the lock, the deploy, the record, the release).
      expect(run.summary).toMatch(
        /\| Wait until green has 2 healthy instance\(s\) \|[^\n]*✅ health \| ✅ done/,
      );
      expect(run.summary).toMatch(/\| Switch 3 route\(s\) to green \|[^\n]*✅ done/);
      expect(run.summary).toContain(
        `<details><summary>${proxy.writes().length} write(s) sent to AWS</summary>`,
      );
    },
    E2E_TIMEOUT,
  );

  it(
    'a launch template version that does not exist fails pre-flight: zero writes, nothing changed',
    async () => {
      const infra = await buildInfrastructure(moto.endpoint);
      const routesBefore = await routeActions(infra);
      const groupsBefore = [
        shape(await groupOf(infra.autoScalingGroups.blue)),
        shape(await groupOf(infra.autoScalingGroups.green)),
      ];

      const run = await runAction(
        { ...inputsFor(infra), 'launch-template-version': '9' },
        { endpoint: proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );

      expect(run.code).toBe(1);
      expect(run.outputs.result).toBe('failed');
      expect(run.stdout).toMatch(/^::error::pre-flight: launch-template-version: .* has no version 9/m);
      expect(proxy.calls.length).toBeGreaterThan(0); // it did read
      expect(proxy.writes()).toEqual([]);
      expect(await routeActions(infra)).toEqual(routesBefore);
      expect([
        shape(await groupOf(infra.autoScalingGroups.blue)),
        shape(await groupOf(infra.autoScalingGroups.green)),
      ]).toEqual(groupsBefore);
      expect(run.summary).toMatch(/^## ❌ Failed/);
    },
    E2E_TIMEOUT,
  );

  it(
    'a write AWS refuses (an instance type EC2 does not offer) rolls back: routes and groups exactly as before',
    async () => {
      const infra = await buildInfrastructure(moto.endpoint);
      // Version 3: version 2 with an instance type that does not exist. Creating the version is accepted
      // (as on AWS); launching it is refused, so UpdateAutoScalingGroup fails once the deploy has already
      // changed the routes (idle color referenced at weight 0).
      await aws.ec2.send(
        new CreateLaunchTemplateVersionCommand({
          LaunchTemplateId: infra.launchTemplate.id,
          SourceVersion: '2',
          VersionDescription: 'v3 with an instance type EC2 does not offer',
          LaunchTemplateData: { InstanceType: 't3.nonexistent' as _InstanceType },
        }),
      );
      const routesBefore = await routeActions(infra);
      const groupsBefore = [
        shape(await groupOf(infra.autoScalingGroups.blue)),
        shape(await groupOf(infra.autoScalingGroups.green)),
      ];

      const run = await runAction(
        { ...inputsFor(infra), 'launch-template-version': '3' },
        { endpoint: proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );

      expect(run.code).toBe(1);
      expect(run.outputs).toMatchObject({ result: 'rolled-back', 'active-color': 'blue' });
      expect(run.outputs['rollback-reason']).toMatch(/Point green .* launch template version 3/);
      expect(run.stdout).toMatch(
        /^::error::.*Restored the state before the run: traffic still on blue \(2 listeners, 1 rule restored\), green \(.*\) restored to \d+\/\d+\/\d+/m,
      );
      // What was sent: the routes referenced green at weight 0, the refused update, then the undo of both.
      const writes = proxy.writes().map((call) => `${call.action} ${call.status}`);
      expect(writes).toEqual([
        'CreateOrUpdateTags 200', // the deployment lock
        'SuspendProcesses 200',
        'SuspendProcesses 200',
        'ModifyListener 200',
        'ModifyListener 200',
        'ModifyRule 200',
        'UpdateAutoScalingGroup 400',
        'UpdateAutoScalingGroup 200',
        'ModifyListener 200',
        'ModifyListener 200',
        'ModifyRule 200',
        'ResumeProcesses 200',
        'ResumeProcesses 200',
        'DeleteTags 200', // the lock released; no record of this release: it never held traffic
      ]);
      expect(await routeActions(infra)).toEqual(routesBefore);
      expect([
        shape(await groupOf(infra.autoScalingGroups.blue)),
        shape(await groupOf(infra.autoScalingGroups.green)),
      ]).toEqual(groupsBefore);
      expect(run.summary).toMatch(/^## ↩️ Rolled back/);
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
      expect(plain?.shares).toEqual({ [infra.targetGroupArns.blue]: 100 });
    },
    E2E_TIMEOUT,
  );
});
