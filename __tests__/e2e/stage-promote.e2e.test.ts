/**
 * The staged flow of the bundled action on moto, across two runs (two
 * processes: the only state between them is in AWS, the group tags): stage
 * readies green and points only the preview listener at it (production
 * listeners and rule unchanged), a deploy is then refused with zero writes,
 * promote moves production to green and gives the preview listener its exact
 * actions back; abort takes a stage back down. With preview-header: a rule on
 * each production listener sends that header to green only (every other rule
 * and default action unchanged); promote and abort delete it; abort after an
 * image stage deletes the launch template version the stage created.
 */
import { DescribeAutoScalingGroupsCommand, DescribeTagsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeLaunchTemplateVersionsCommand } from '@aws-sdk/client-ec2';
import {
  type Action,
  CreateListenerCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand as DescribeElbTagsCommand,
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

/** Every non-default rule of each listener: ARN, priority, conditions, actions. */
async function listenerRules(aws: AwsClients, listenerArns: readonly string[]) {
  const all = [];
  for (const arn of listenerArns) {
    const out = await aws.elbv2.send(new DescribeRulesCommand({ ListenerArn: arn }));
    all.push(
      (out.Rules ?? [])
        .filter((r) => !r.IsDefault)
        .map((r) => ({ arn: r.RuleArn, priority: r.Priority, conditions: r.Conditions, actions: r.Actions })),
    );
  }
  return all;
}

const HEADER = 'X-Preview: 7f3c';
const isPreview = (rule: { conditions?: { Field?: string }[] }) =>
  JSON.stringify(rule.conditions).includes('X-Preview');

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
  it(
    'preview-header: image stage → abort (rule and created version deleted), then stage → promote (rule deleted)',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint);
      const production = await readRouteActions(world.moto.endpoint, infra);
      const rulesBefore = await listenerRules(world.aws, infra.listenerArns);
      const versions = async () =>
        (
          await world.aws.ec2.send(
            new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: infra.launchTemplate.id }),
          )
        ).LaunchTemplateVersions?.map((v) => v.VersionNumber).sort();
      const versionsBefore = await versions();

      const stage = await runAction(
        { ...inputsOf(infra, ''), mode: 'stage', 'image-id': infra.imageIds.v2, 'preview-header': HEADER },
        { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expectSucceeded(stage);
      expect(stage.outputs.result).toBe('staged');
      expect(stage.outputs['preview-url']).toBe('');
      expect(await readRouteActions(world.moto.endpoint, infra)).toEqual(production);
      const staged = await listenerRules(world.aws, infra.listenerArns);
      expect(staged.map((rules) => rules.filter((r) => !isPreview(r)))).toEqual(rulesBefore);
      const previews = staged.map((rules) => rules.filter(isPreview));
      expect(previews.map((rules) => rules.length)).toEqual([1, 1]);
      for (const [rule] of previews) {
        expect(rule?.priority).toBe('1');
        expect(rule?.conditions).toEqual([
          { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Preview', Values: ['7f3c'] } },
        ]);
        expect(forwardsTo(rule?.actions ?? [])).toEqual([infra.targetGroupArns.green]);
        const tags = await world.aws.elbv2.send(
          new DescribeElbTagsCommand({ ResourceArns: [rule?.arn ?? ''] }),
        );
        expect(tags.TagDescriptions?.[0]?.Tags).toEqual([{ Key: 'asg-deploy:managed', Value: 'true' }]);
      }
      const created = (await group(world.aws, infra.autoScalingGroups.green)).version;
      expect(versionsBefore).not.toContain(Number(created));
      expect(stage.summary).toContain(`curl -H '${HEADER}' http://`);

      const abort = await runAction(
        { ...inputsOf(infra, ''), mode: 'abort' },
        { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expectSucceeded(abort);
      expect(abort.outputs.result).toBe('aborted');
      expect(await readRouteActions(world.moto.endpoint, infra)).toEqual(production);
      expect(await listenerRules(world.aws, infra.listenerArns)).toEqual(rulesBefore);
      expect(await group(world.aws, infra.autoScalingGroups.green)).toEqual({ desired: 0, version: '1' });
      expect(await versions()).toEqual(versionsBefore);
      expect(await stagedTags(world.aws, infra.autoScalingGroups.green)).toEqual({});

      const again = await runAction(
        { ...inputsOf(infra, ''), mode: 'stage', 'launch-template-version': '2', 'preview-header': HEADER },
        { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expectSucceeded(again);
      const promote = await runAction(
        { ...inputsOf(infra, ''), mode: 'promote', 'preview-header': HEADER },
        { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expectSucceeded(promote);
      expect(promote.outputs.result).toBe('deployed');
      for (const actions of await readRouteActions(world.moto.endpoint, infra))
        expect(forwardsTo(actions)).toEqual([infra.targetGroupArns.green]);
      const after = await listenerRules(world.aws, infra.listenerArns);
      expect(after.map((rules) => rules.filter(isPreview))).toEqual([[], []]);
      expect(after.map((rules) => rules.map((r) => [r.arn, r.priority, r.conditions]))).toEqual(
        rulesBefore.map((rules) => rules.map((r) => [r.arn, r.priority, r.conditions])),
      );
      expect(await stagedTags(world.aws, infra.autoScalingGroups.blue)).toEqual({});
    },
    E2E_TIMEOUT,
  );
});
