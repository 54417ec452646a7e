/**
 * The bundled action on target health that takes time (test/moto's switches,
 * which plain moto cannot do: it reports every target healthy at once):
 * - healthSeconds: the new fleet's targets are `initial` for a while; the
 *   action keeps polling and moves traffic only once they are `healthy`;
 * - unhealthyTargetGroups: the new fleet never turns healthy; at
 *   health-timeout the deploy rolls back without ever sending it traffic,
 *   every route and both groups exactly as before.
 */
import { DescribeAutoScalingGroupsCommand, type AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { buildInfrastructure, readRouteActions, type Infrastructure } from './fixture.js';
import type { RecordedCall } from './recording-proxy.js';
import { runAction, type ActionRun } from './run-action.js';
import { describeWithMoto, useMoto } from './use-moto.js';

const E2E_TIMEOUT = 90_000;
const RUN_TIMEOUT = 60_000;
const HEALTH_SECONDS = 4;

const describeE2E = describeWithMoto('health');

function transcript(run: ActionRun): string {
  return `main exited ${run.code} (post: ${run.post?.code ?? 'none'})\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

/** A ModifyListener/ModifyRule that gives the target group a weight above 0. */
function sendsTrafficTo(call: RecordedCall, targetGroupArn: string): boolean {
  if (call.action !== 'ModifyListener' && call.action !== 'ModifyRule') return false;
  const form = new URLSearchParams(call.body);
  for (const [name, value] of form) {
    if (value !== targetGroupArn || !name.endsWith('.TargetGroupArn')) continue;
    const weight = form.get(name.replace(/TargetGroupArn$/, 'Weight'));
    if (weight === null || Number(weight) > 0) return true;
  }
  return false;
}

describeE2E('the bundled action on target health that takes time (test/moto)', () => {
  const world = useMoto();

  const groupOf = async (name: string): Promise<AutoScalingGroup> => {
    const { AutoScalingGroups = [] } = await world.aws.autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
    );
    const found = AutoScalingGroups[0];
    if (!found) throw new Error(`no group ${name}`);
    return found;
  };
  const sizes = (group: AutoScalingGroup) => ({
    MinSize: group.MinSize,
    MaxSize: group.MaxSize,
    DesiredCapacity: group.DesiredCapacity,
    LaunchTemplate: group.LaunchTemplate,
  });
  const inputsFor = (infra: Infrastructure, version: string) => ({
    strategy: 'blue-green',
    'listener-arns': infra.listenerArns.join('\n'),
    'listener-rule-arns': infra.listenerRuleArn,
    'blue-auto-scaling-group': infra.autoScalingGroups.blue,
    'green-auto-scaling-group': infra.autoScalingGroups.green,
    'launch-template-version': version,
    'version-label': `v${version}`,
    'poll-interval': '1s',
  });

  it(
    `waits while the new fleet's targets are initial (${HEALTH_SECONDS} s), then moves traffic`,
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint, { name: 'slow' });
      await world.moto.setSwitches({ healthSeconds: HEALTH_SECONDS });

      const run = await runAction(inputsFor(infra, '2'), {
        endpoint: world.proxy.endpoint,
        timeoutMs: RUN_TIMEOUT,
      });
      if (run.code !== 0) throw new Error(transcript(run));
      expect(run.outputs).toMatchObject({ result: 'deployed', 'active-color': 'green' });

      const calls = world.proxy.calls;
      const greenUp = calls.findIndex(
        (c) =>
          c.action === 'UpdateAutoScalingGroup' &&
          new URLSearchParams(c.body).get('AutoScalingGroupName') === infra.autoScalingGroups.green &&
          Number(new URLSearchParams(c.body).get('DesiredCapacity')) > 0,
      );
      const firstMove = calls.findIndex((c) => sendsTrafficTo(c, infra.targetGroupArns.green));
      expect(greenUp).toBeGreaterThanOrEqual(0);
      expect(firstMove).toBeGreaterThan(greenUp);
      // the targets were registered by the capacity write: no traffic before they turned healthy
      const waited = calls[firstMove]!.receivedAt - calls[greenUp]!.answeredAt;
      expect(waited).toBeGreaterThanOrEqual(HEALTH_SECONDS * 1000 - 250);
      const polls = calls.slice(greenUp, firstMove).filter((c) => c.action === 'DescribeTargetHealth').length;
      expect(polls).toBeGreaterThanOrEqual(2);
    },
    E2E_TIMEOUT,
  );

  it(
    'a new fleet that stays unhealthy never gets traffic: health-timeout rolls back, routes and groups as before',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint, { name: 'sick' });
      await world.moto.setSwitches({ unhealthyTargetGroups: [infra.targetGroupNames.green] });
      const routesBefore = await readRouteActions(world.moto.endpoint, infra);
      const groupsBefore = [
        sizes(await groupOf(infra.autoScalingGroups.blue)),
        sizes(await groupOf(infra.autoScalingGroups.green)),
      ];

      const run = await runAction(
        { ...inputsFor(infra, '2'), 'health-timeout': '6s' },
        { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );

      expect(run.code).toBe(1);
      expect(run.outputs).toMatchObject({ result: 'rolled-back', 'active-color': 'blue' });
      expect(run.outputs['rollback-reason']).toMatch(/unhealthy|healthy/);
      expect(world.proxy.calls.filter((c) => sendsTrafficTo(c, infra.targetGroupArns.green))).toEqual([]);
      expect(await readRouteActions(world.moto.endpoint, infra)).toEqual(routesBefore);
      expect([
        sizes(await groupOf(infra.autoScalingGroups.blue)),
        sizes(await groupOf(infra.autoScalingGroups.green)),
      ]).toEqual(groupsBefore);
      expect((await groupOf(infra.autoScalingGroups.blue)).Instances).toHaveLength(2);
    },
    E2E_TIMEOUT,
  );
});
