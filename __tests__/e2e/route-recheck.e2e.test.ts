/**
 * Every route that reaches a fleet (issue 15), through the bundled action on
 * moto: the fixture's `/api/*` rule forwards to blue; a deploy whose inputs
 * name the listeners but not that rule is refused before any write, with the
 * exact line that names it, and every route and group stays as it was.
 */
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { buildInfrastructure, readRouteActions } from './fixture.js';
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
});
