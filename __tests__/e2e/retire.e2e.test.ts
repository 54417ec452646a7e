/**
 * mode: retire of the bundled action on moto, each run its own process (the
 * only state between them is in AWS): a deploy with previous-fleet keep leaves
 * blue running; retire scales it to 0 and writes no route. While a listener
 * rule (added by hand, not in the inputs) still forwards to blue, retire is
 * refused with zero writes, naming the rule; once it is gone retire goes on.
 */
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CreateRuleCommand, DeleteRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { buildInfrastructure, readRouteActions, type AwsClients, type Infrastructure } from './fixture.js';
import { isWriteAction } from './recording-proxy.js';
import { runAction, type ActionRun } from './run-action.js';
import { describeWithMoto, useMoto } from './use-moto.js';

const E2E_TIMEOUT = 150_000;
const RUN_TIMEOUT = 50_000;
const describeE2E = describeWithMoto('retire');

function expectSucceeded(run: ActionRun): void {
  if (run.code !== 0 || run.post?.code) {
    throw new Error(
      `action exited ${run.code} (post: ${run.post?.code ?? 'none'})\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`,
    );
  }
}

async function capacity(aws: AwsClients, name: string) {
  const out = await aws.autoScaling.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
  );
  const g = out.AutoScalingGroups?.[0];
  return { min: g?.MinSize, desired: g?.DesiredCapacity, max: g?.MaxSize, instances: g?.Instances?.length };
}

describeE2E('retire of the bundled action on moto', () => {
  const world = useMoto();

  const inputsOf = (infra: Infrastructure) => ({
    strategy: 'blue-green',
    'listener-arns': infra.listenerArns.join('\n'),
    'listener-rule-arns': infra.listenerRuleArn,
    'blue-auto-scaling-group': infra.autoScalingGroups.blue,
    'green-auto-scaling-group': infra.autoScalingGroups.green,
    'poll-interval': '1s',
    'health-timeout': '2m',
  });

  /** Deploys version 2 to green with previous-fleet keep: blue stays at 2/2/2. */
  async function deployKeeping(infra: Infrastructure): Promise<void> {
    const deploy = await runAction(
      { ...inputsOf(infra), 'launch-template-version': '2', 'version-label': 'v2', 'previous-fleet': 'keep' },
      { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT, env: { GITHUB_RUN_ID: '200' } },
    );
    expectSucceeded(deploy);
    expect(deploy.outputs['active-color']).toBe('green');
    expect(await capacity(world.aws, infra.autoScalingGroups.blue)).toEqual({
      min: 2,
      desired: 2,
      max: 2,
      instances: 2,
    });
  }

  it(
    'deploy with previous-fleet keep, then retire: blue to 0, no route written; a second retire is unchanged',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint);
      await deployKeeping(infra);
      const routes = await readRouteActions(world.moto.endpoint, infra);
      const green = await capacity(world.aws, infra.autoScalingGroups.green);

      world.proxy.clear();
      const retire = await runAction(
        { ...inputsOf(infra), mode: 'retire' },
        { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT, env: { GITHUB_RUN_ID: '201' } },
      );
      expectSucceeded(retire);
      expect(retire.outputs).toMatchObject({
        result: 'retired',
        'active-color': 'green',
        'active-auto-scaling-group': infra.autoScalingGroups.green,
        'previous-color': 'blue',
        'previous-auto-scaling-group': infra.autoScalingGroups.blue,
        'version-label': 'v2',
      });
      expect(await capacity(world.aws, infra.autoScalingGroups.blue)).toEqual({
        min: 0,
        desired: 0,
        max: 2,
        instances: 0,
      });
      expect(await capacity(world.aws, infra.autoScalingGroups.green)).toEqual(green);
      expect(await readRouteActions(world.moto.endpoint, infra)).toEqual(routes);
      const writes = world.proxy.calls.filter((c) => isWriteAction(c.action)).map((c) => c.action);
      expect(writes.filter((a) => a === 'UpdateAutoScalingGroup')).toHaveLength(1);
      expect(writes.filter((a) => /Listener|Rule/.test(a))).toEqual([]);
      expect(retire.summary).toContain('🧹 Retired');
      expect(retire.summary).toContain(
        `> - blue (${infra.autoScalingGroups.blue}): capacity 2/2/2 → 0/0/2 (min/desired/max)`,
      );
      expect(retire.summary).toContain('### What it wrote');

      world.proxy.clear();
      const again = await runAction(
        { ...inputsOf(infra), mode: 'retire' },
        { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expectSucceeded(again);
      expect(again.outputs.result).toBe('unchanged');
      expect(world.proxy.calls.filter((c) => isWriteAction(c.action))).toEqual([]);
    },
    E2E_TIMEOUT,
  );

  it(
    'refused with zero writes while a rule not in the inputs forwards to blue, naming it; planned, then retired once it is gone',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint);
      await deployKeeping(infra);
      const rule = await world.aws.elbv2.send(
        new CreateRuleCommand({
          ListenerArn: infra.listenerArns[0],
          Priority: 50,
          Conditions: [{ Field: 'path-pattern', Values: ['/legacy/*'] }],
          Actions: [{ Type: 'forward', TargetGroupArn: infra.targetGroupArns.blue }],
        }),
      );
      const ruleArn = rule.Rules?.[0]?.RuleArn ?? '';
      expect(ruleArn).not.toBe('');

      world.proxy.clear();
      const refused = await runAction(
        { ...inputsOf(infra), mode: 'retire' },
        { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expect(refused.code).not.toBe(0);
      expect(refused.outputs.result).toBe('failed');
      expect(refused.stdout).toContain(
        `(blue, previous) is not retired: listener rule (not in listener-rule-arns)`,
      );
      expect(refused.stdout).toContain(`${ruleArn} forwards to blue`);
      expect(refused.stdout).toContain('Nothing was changed.');
      expect(world.proxy.calls.filter((c) => isWriteAction(c.action))).toEqual([]);
      expect((await capacity(world.aws, infra.autoScalingGroups.blue)).desired).toBe(2);

      await world.aws.elbv2.send(new DeleteRuleCommand({ RuleArn: ruleArn }));
      world.proxy.clear();
      const planned = await runAction(
        { ...inputsOf(infra), mode: 'retire', 'dry-run': 'true' },
        { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expectSucceeded(planned);
      expect(planned.outputs.result).toBe('planned');
      expect(planned.stdout).toContain(
        `UpdateAutoScalingGroup ${infra.autoScalingGroups.blue}: MinSize 0, DesiredCapacity 0 (was 2/2/2`,
      );
      expect(world.proxy.calls.filter((c) => isWriteAction(c.action))).toEqual([]);

      const retire = await runAction(
        { ...inputsOf(infra), mode: 'retire' },
        { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expectSucceeded(retire);
      expect(retire.outputs.result).toBe('retired');
      expect((await capacity(world.aws, infra.autoScalingGroups.blue)).desired).toBe(0);
    },
    E2E_TIMEOUT,
  );
});
