/**
 * Every route that reaches a fleet (issue 15), through the bundled action on
 * moto: the fixture's `/api/*` rule forwards to blue; a deploy whose inputs
 * name the listeners but not that rule is refused before any write, with the
 * exact line that names it, and every route and group stays as it was. An
 * operator who puts every route back on blue during the bake: blue is not
 * scaled down, and the run fails with the reason.
 */
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { ModifyListenerCommand, ModifyRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { buildInfrastructure, readRouteActions, summarizeForward } from './fixture.js';
import { runAction } from './run-action.js';
import { describeWithMoto, useMoto } from './use-moto.js';

const RUN_TIMEOUT = 40_000;
const describeE2E = describeWithMoto('route-recheck');

describeE2E('routes not named in the inputs, on moto through dist/index.js', () => {
  const world = useMoto();

  it('an /api/* rule to blue that listener-rule-arns does not name: refused before any write, with the line to add', async () => {
    const infra = await buildInfrastructure(world.moto.endpoint);
    const routesBefore = await readRouteActions(world.moto.endpoint, infra);
    const groups = async () =>
      (
        await world.aws.autoScaling.send(
          new DescribeAutoScalingGroupsCommand({
            AutoScalingGroupNames: [infra.autoScalingGroups.blue, infra.autoScalingGroups.green],
          }),
        )
      ).AutoScalingGroups?.map((g) => [g.AutoScalingGroupName, g.MinSize, g.DesiredCapacity, g.MaxSize]);
    const groupsBefore = await groups();

    const run = await runAction(
      {
        strategy: 'blue-green',
        'listener-arns': infra.listenerArns.join('\n'),
        'blue-auto-scaling-group': infra.autoScalingGroups.blue,
        'green-auto-scaling-group': infra.autoScalingGroups.green,
        'launch-template-version': '2',
        'poll-interval': '1s',
      },
      { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT },
    );

    expect(run.code).not.toBe(0);
    expect(run.outputs.result).toBe('failed');
    expect(world.proxy.writes()).toEqual([]);
    const error = run.stdout
      .split('\n')
      .find((line) => line.startsWith('::error') && line.includes('listener-rule-arns'));
    expect(error).toBeDefined();
    expect(error).toContain('path-pattern /api/*');
    expect(error).toContain(`Add this line to listener-rule-arns: ${infra.listenerRuleArn}`);
    expect(await readRouteActions(world.moto.endpoint, infra)).toEqual(routesBefore);
    expect(await groups()).toEqual(groupsBefore);

    // named, the same deploy goes through
    const named = await runAction(
      {
        strategy: 'blue-green',
        'listener-arns': infra.listenerArns.join('\n'),
        'listener-rule-arns': infra.listenerRuleArn,
        'blue-auto-scaling-group': infra.autoScalingGroups.blue,
        'green-auto-scaling-group': infra.autoScalingGroups.green,
        'launch-template-version': '2',
        'poll-interval': '1s',
      },
      { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT },
    );
    expect({ code: named.code, result: named.outputs.result }).toEqual({ code: 0, result: 'deployed' });
  }, 120_000);

  it('an operator puts every route back on blue during the bake: blue is not scaled down, the run fails naming the routes', async () => {
    const infra = await buildInfrastructure(world.moto.endpoint);
    const routesBefore = await readRouteActions(world.moto.endpoint, infra);
    const running = runAction(
      {
        strategy: 'blue-green',
        'listener-arns': infra.listenerArns.join('\n'),
        'listener-rule-arns': infra.listenerRuleArn,
        'blue-auto-scaling-group': infra.autoScalingGroups.blue,
        'green-auto-scaling-group': infra.autoScalingGroups.green,
        'launch-template-version': '2',
        'bake-time': '15s',
        'poll-interval': '1s',
        'health-timeout': '2m',
      },
      { endpoint: world.proxy.endpoint, timeoutMs: 90_000 },
    );
    // the operator waits for the cut-over (every route on green), then puts every route back on blue
    let cutOver = false;
    for (let i = 0; i < 600 && !cutOver; i++) {
      const routes = await readRouteActions(world.moto.endpoint, infra);
      cutOver = routes.every(
        (actions) => summarizeForward(actions).shares[infra.targetGroupArns.green] === 100,
      );
      if (!cutOver) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(cutOver).toBe(true);
    // ... and for the bake: the cut-over verified, a gate poll (DescribeTargetHealth) after its last write
    const inBake = () => {
      const calls = world.proxy.calls;
      const lastWrite = calls.findLastIndex((c) => c.write);
      return calls.slice(lastWrite + 1).some((c) => c.action === 'DescribeTargetHealth');
    };
    for (let i = 0; i < 600 && !inBake(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(inBake()).toBe(true);
    const [listener80, listener8080, rule] = routesBefore;
    await world.aws.elbv2.send(
      new ModifyListenerCommand({ ListenerArn: infra.listenerArns[0], DefaultActions: listener80 }),
    );
    await world.aws.elbv2.send(
      new ModifyListenerCommand({ ListenerArn: infra.listenerArns[1], DefaultActions: listener8080 }),
    );
    await world.aws.elbv2.send(new ModifyRuleCommand({ RuleArn: infra.listenerRuleArn, Actions: rule }));

    const run = await running;

    expect(run.code).not.toBe(0);
    expect(run.outputs.result).toBe('rolled-back');
    expect(run.outputs['rollback-reason']).toContain(
      `${infra.autoScalingGroups.blue} (blue) is not scaled down`,
    );
    for (const arn of [...infra.listenerArns, infra.listenerRuleArn])
      expect(run.outputs['rollback-reason']).toContain(`${arn} still forwards to blue`);
    const blueWrites = world.proxy
      .writes()
      .filter(
        (call) =>
          call.action === 'UpdateAutoScalingGroup' &&
          new URLSearchParams(call.body).get('AutoScalingGroupName') === infra.autoScalingGroups.blue,
      );
    expect(blueWrites).toEqual([]);
    const { AutoScalingGroups = [] } = await world.aws.autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [infra.autoScalingGroups.blue] }),
    );
    expect(AutoScalingGroups[0]).toMatchObject({ MinSize: 2, DesiredCapacity: 2 });
    expect(AutoScalingGroups[0]?.Instances).toHaveLength(2);
    const after = await readRouteActions(world.moto.endpoint, infra);
    expect(after.map((actions) => summarizeForward(actions).shares)).toEqual([
      { [infra.targetGroupArns.blue]: 100 },
      { [infra.targetGroupArns.blue]: 100 },
      { [infra.targetGroupArns.blue]: 100 },
    ]);
  }, 150_000);
});
