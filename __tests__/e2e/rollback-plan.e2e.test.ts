/**
 * The bundled action on moto in the two modes issue 6 adds: plan sends no
 * write (through the recording proxy), and rollback after a deploy puts blue
 * back with its recorded version, reason from the workflow's own input.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { buildInfrastructure, readListenerForwards } from './fixture.js';
import { describeWithMoto, useMoto } from './use-moto.js';
import { isWriteAction } from './recording-proxy.js';
import { runAction, type ActionRun } from './run-action.js';

const E2E_TIMEOUT = 90_000;
const RUN_TIMEOUT = 40_000;
const describeE2E = describeWithMoto('rollback/plan');

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
  const world = useMoto();

  const inputsOf = (infra: Awaited<ReturnType<typeof buildInfrastructure>>) => ({
    strategy: 'blue-green',
    'listener-arns': infra.listenerArns.join('\n'),
    // every route that reaches the colors must be named (the fixture's /api/* rule too)
    'listener-rule-arns': infra.listenerRuleArn,
    'blue-auto-scaling-group': infra.autoScalingGroups.blue,
    'green-auto-scaling-group': infra.autoScalingGroups.green,
    'poll-interval': '1s',
    'health-timeout': '2m',
  });

  it(
    'plan: result planned, the writes listed in the summary, zero writes sent',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint);
      const run = await runAction(
        { ...inputsOf(infra), mode: 'plan', 'launch-template-version': '2' },
        { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expectSucceeded(run);
      expect(run.outputs.result).toBe('planned');
      expect(run.summary).toMatch(/would make these \d+ write\(s\)/);
      expect(run.summary).toContain('UpdateAutoScalingGroup');
      expect(world.proxy.calls.length).toBeGreaterThan(0);
      expect(world.proxy.calls.filter((call) => isWriteAction(call.action))).toEqual([]);
    },
    E2E_TIMEOUT,
  );

  it(
    'rollback after a deploy: blue back up on version 1, traffic back, green scaled down, reason from the workflow input',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint);
      const deploy = await runAction(
        { ...inputsOf(infra), 'launch-template-version': '2', 'version-label': 'v2' },
        { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT },
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
          endpoint: world.proxy.endpoint,
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
      const [forward] = await readListenerForwards(world.moto.endpoint, infra.listenerArns);
      expect(serving(forward?.shares)).toEqual({ [infra.targetGroupArns.blue]: 100 });
      const { AutoScalingGroups = [] } = await world.aws.autoScaling.send(
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
        (byName.get(infra.autoScalingGroups.blue)?.Tags ?? []).map((t) => [t.Key ?? '', t.Value] as const),
      );
      expect(tags['asg-deploy:color']).toBe('blue');
      expect(tags['asg-deploy:lock']).toBeUndefined();
    },
    E2E_TIMEOUT,
  );
});
