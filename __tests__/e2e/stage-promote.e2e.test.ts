/**
 * The staged flow of the bundled action on moto, across two runs (two
 * processes: the only state between them is in AWS, the group tags): stage
 * readies green and points only the preview listener at it (production
 * listeners and rule unchanged), a deploy is then refused with zero writes,
 * promote moves production to green and gives the preview listener its exact
 * actions back; abort takes a stage back down.
 */
import { DescribeAutoScalingGroupsCommand, DescribeTagsCommand } from '@aws-sdk/client-auto-scaling';
import {
  type Action,
  CreateListenerCommand,
  DescribeListenersCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { buildInfrastructure, readRouteActions, type AwsClients, type Infrastructure } from './fixture.js';
import { isWriteAction } from './recording-proxy.js';
import { runAction, type ActionRun } from './run-action.js';
import { describeWithMoto, useMoto } from './use-moto.js';

const E2E_TIMEOUT = 120_000;
const RUN_TIMEOUT = 50_000;
const describeE2E = describeWithMoto('stage/promote');

const PREVIEW_BEFORE: Action[] = [
  {
    Type: 'fixed-response',
    FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'nothing staged' },
  },
];

function expectSucceeded(run: ActionRun): void {
  if (run.code !== 0 || run.post?.code) {
    throw new Error(
      `action exited ${run.code} (post: ${run.post?.code ?? 'none'})\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`,
    );
  }
}

async function previewListener(aws: AwsClients, infra: Infrastructure): Promise<string> {
  const out = await aws.elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: infra.loadBalancerArn,
      Port: 8443,
      Protocol: 'HTTP',
      DefaultActions: PREVIEW_BEFORE,
    }),
  );
  return out.Listeners?.[0]?.ListenerArn ?? '';
}

async function previewActions(aws: AwsClients, arn: string): Promise<Action[]> {
  const out = await aws.elbv2.send(new DescribeListenersCommand({ ListenerArns: [arn] }));
  return out.Listeners?.[0]?.DefaultActions ?? [];
}

async function stagedTags(aws: AwsClients, group: string): Promise<Record<string, string>> {
  const out = await aws.autoScaling.send(
    new DescribeTagsCommand({ Filters: [{ Name: 'auto-scaling-group', Values: [group] }] }),
  );
  return Object.fromEntries(
    (out.Tags ?? [])
      .filter((t) => t.Key?.startsWith('asg-deploy:staged-'))
      .map((t) => [t.Key ?? '', t.Value ?? '']),
  );
}

async function group(aws: AwsClients, name: string) {
  const out = await aws.autoScaling.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
  );
  const g = out.AutoScalingGroups?.[0];
  return { desired: g?.DesiredCapacity, version: g?.LaunchTemplate?.Version };
}

/** Weighted target groups of a listener's forward action. */
function forwardsTo(actions: Action[]): string[] {
  const forward = actions.find((a) => a.Type === 'forward');
  const groups = forward?.ForwardConfig?.TargetGroups ?? [];
  return groups.length > 0
    ? groups.filter((g) => (g.Weight ?? 1) > 0).map((g) => g.TargetGroupArn ?? '')
    : [forward?.TargetGroupArn ?? ''];
}

describeE2E('stage, promote and abort of the bundled action on moto', () => {
  const world = useMoto();

  const inputsOf = (infra: Infrastructure, preview: string) => ({
    strategy: 'blue-green',
    'listener-arns': infra.listenerArns.join('\n'),
    'listener-rule-arns': infra.listenerRuleArn,
    'blue-auto-scaling-group': infra.autoScalingGroups.blue,
    'green-auto-scaling-group': infra.autoScalingGroups.green,
    'preview-listener-arns': preview,
    'poll-interval': '1s',
    'health-timeout': '2m',
  });

  it(
    'stage → (deploy refused) → promote, in separate processes',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint);
      const preview = await previewListener(world.aws, infra);
      const production = await readRouteActions(world.moto.endpoint, infra);

      const stage = await runAction(
        { ...inputsOf(infra, preview), mode: 'stage', 'launch-template-version': '2', 'version-label': 'v2' },
        { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT, env: { GITHUB_RUN_ID: '100' } },
      );
      expectSucceeded(stage);
      expect(stage.outputs.result).toBe('staged');
      expect(stage.outputs['version-label']).toBe('v2');
      expect(stage.outputs['active-color']).toBe('blue');
      expect(stage.outputs['preview-url']).toMatch(/^http:\/\/\S+:8443$/);
      expect(await readRouteActions(world.moto.endpoint, infra)).toEqual(production);
      expect(forwardsTo(await previewActions(world.aws, preview))).toEqual([infra.targetGroupArns.green]);
      expect(await group(world.aws, infra.autoScalingGroups.green)).toEqual({ desired: 2, version: '2' });
      const tags = await stagedTags(world.aws, infra.autoScalingGroups.blue);
      expect(tags['asg-deploy:staged-version-label']).toBe('v2');
      expect(tags['asg-deploy:staged-run']).toContain('/actions/runs/100');
      expect(stage.summary).toContain('mode: promote');

      world.proxy.clear();
      const deploy = await runAction(
        { ...inputsOf(infra, ''), 'launch-template-version': '2' },
        { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expect(deploy.code).not.toBe(0);
      expect(deploy.stdout).toContain('a release is staged: v2');
      expect(world.proxy.calls.filter((c) => isWriteAction(c.action))).toEqual([]);

      const promote = await runAction(
        { ...inputsOf(infra, ''), mode: 'promote' },
        { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT, env: { GITHUB_RUN_ID: '101' } },
      );
      expectSucceeded(promote);
      expect(promote.outputs.result).toBe('deployed');
      expect(promote.outputs['active-color']).toBe('green');
      expect(promote.outputs['version-label']).toBe('v2');
      for (const actions of await readRouteActions(world.moto.endpoint, infra))
        expect(forwardsTo(actions)).toEqual([infra.targetGroupArns.green]);
      expect(await previewActions(world.aws, preview)).toEqual(PREVIEW_BEFORE);
      expect(await stagedTags(world.aws, infra.autoScalingGroups.blue)).toEqual({});
      expect(await stagedTags(world.aws, infra.autoScalingGroups.green)).toEqual({});
      expect((await group(world.aws, infra.autoScalingGroups.blue)).desired).toBe(0);
    },
    E2E_TIMEOUT,
  );

  it(
    'stage → abort: green back to nothing, preview restored, production untouched',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint);
      const preview = await previewListener(world.aws, infra);
      const production = await readRouteActions(world.moto.endpoint, infra);
      const stage = await runAction(
        { ...inputsOf(infra, preview), mode: 'stage', 'launch-template-version': '2' },
        { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expectSucceeded(stage);
      const abort = await runAction(
        { ...inputsOf(infra, ''), mode: 'abort' },
        { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expectSucceeded(abort);
      expect(abort.outputs.result).toBe('aborted');
      expect(await readRouteActions(world.moto.endpoint, infra)).toEqual(production);
      expect(await previewActions(world.aws, preview)).toEqual(PREVIEW_BEFORE);
      expect(await group(world.aws, infra.autoScalingGroups.green)).toEqual({ desired: 0, version: '1' });
      expect(await stagedTags(world.aws, infra.autoScalingGroups.green)).toEqual({});
    },
    E2E_TIMEOUT,
  );
});
