/**
 * No dead end after an interrupted first deploy (issue 15), through the
 * bundled action on moto: a first canary deploy (no deployment record on the
 * groups) is rolled back by an alarm while AWS refuses every route write
 * (test/moto's `failingWrites`), in main and in the post step: every route is
 * left on the canary split. A deploy is then refused (routes on both colors)
 * and says to run `mode: rollback`; once the writes are allowed again,
 * `mode: rollback` returns every route to blue, from the record the first
 * deploy wrote with its lock, and scales green down.
 */
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { buildInfrastructure, readRouteActions, summarizeForward } from './fixture.js';
import type { RecordedCall } from './recording-proxy.js';
import { runAction, type ActionRun } from './run-action.js';
import { describeWithMoto, useMoto } from './use-moto.js';

const RUN_TIMEOUT = 60_000;
const describeE2E = describeWithMoto('first-deploy-rollback');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function transcript(run: ActionRun): string {
  return (
    `main exited ${run.code} (post: ${run.post?.code ?? 'none'})\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}` +
    (run.post ? `\n--- post stdout\n${run.post.stdout}` : '')
  );
}

/** The weight a ModifyRule body gives `targetGroupArn` (Query protocol). */
function weightOf(call: RecordedCall, targetGroupArn: string): number | undefined {
  const form = new URLSearchParams(call.body);
  for (const [name, value] of form) {
    if (value === targetGroupArn && name.endsWith('.TargetGroupArn'))
      return Number(form.get(name.replace(/TargetGroupArn$/, 'Weight')) ?? 1);
  }
  return undefined;
}

describeE2E('an interrupted first deploy, on moto through dist/index.js', () => {
  const world = useMoto();

  it('routes left at 90/10 by main and post: a deploy is refused, mode: rollback returns every route to blue and scales green down', async () => {
    const infra = await buildInfrastructure(world.moto.endpoint, { name: 'first' });
    const { blue: blueTg, green: greenTg } = infra.targetGroupArns;
    const [alarm] = infra.alarmNames;
    const inputs = {
      strategy: 'blue-green',
      'listener-arns': infra.listenerArns.join('\n'),
      'listener-rule-arns': infra.listenerRuleArn,
      'blue-auto-scaling-group': infra.autoScalingGroups.blue,
      'green-auto-scaling-group': infra.autoScalingGroups.green,
      'poll-interval': '1s',
      'health-timeout': '1m',
    };
    const main = { ended: false };
    const running = runAction(
      { ...inputs, 'launch-template-version': '2', 'traffic-shift': 'canary:10:30s', 'alarm-names': alarm },
      { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT },
    ).finally(() => (main.ended = true));
    const canaryOnRule = () =>
      world.proxy.calls.some(
        (call) => call.action === 'ModifyRule' && call.status === 200 && weightOf(call, greenTg) === 10,
      );
    for (let i = 0; i < 600 && !canaryOnRule() && !main.ended; i++) await sleep(50);
    if (!canaryOnRule()) throw new Error(transcript(await running));
    // every route write refused from now on, in main and in the post step
    await world.moto.setSwitches({
      failingWrites: [{ action: 'ModifyListener' }, { action: 'ModifyRule' }],
    });
    await world.aws.cloudWatch.send(
      new SetAlarmStateCommand({
        AlarmName: alarm,
        StateValue: 'ALARM',
        StateReason: 'e2e: 5xx on the canary',
      }),
    );
    const first = await running;
    if (first.code !== 1 || first.post?.code === undefined) throw new Error(transcript(first));
    const shares = async () =>
      (await readRouteActions(world.moto.endpoint, infra)).map((actions) => summarizeForward(actions).shares);
    expect(await shares()).toEqual([
      { [blueTg]: 90, [greenTg]: 10 },
      { [blueTg]: 90, [greenTg]: 10 },
      { [blueTg]: 90, [greenTg]: 10 },
    ]);
    await world.moto.setSwitches({ failingWrites: [] });

    // a deploy: refused before any write, pointing at mode: rollback
    world.proxy.clear();
    const refused = await runAction(
      { ...inputs, 'launch-template-version': '2' },
      { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT, env: { GITHUB_RUN_ID: '5005' } },
    );
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('an earlier deploy was interrupted. Run with mode: rollback');
    expect(world.proxy.writes()).toEqual([]);

    // mode: rollback returns to the color the first deploy recorded with its lock
    const rollback = await runAction(
      { ...inputs, mode: 'rollback' },
      { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT, env: { GITHUB_RUN_ID: '5006' } },
    );
    if (rollback.code !== 0 || rollback.outputs.result !== 'rolled-back')
      throw new Error(transcript(rollback));
    expect(rollback.outputs['active-color']).toBe('blue');
    expect(await shares()).toEqual([{ [blueTg]: 100 }, { [blueTg]: 100 }, { [blueTg]: 100 }]);
    const { AutoScalingGroups = [] } = await world.aws.autoScaling.send(
      new DescribeAutoScalingGroupsCommand({
        AutoScalingGroupNames: [infra.autoScalingGroups.blue, infra.autoScalingGroups.green],
      }),
    );
    const byName = new Map(AutoScalingGroups.map((g) => [g.AutoScalingGroupName, g]));
    expect(byName.get(infra.autoScalingGroups.blue)).toMatchObject({ MinSize: 2, DesiredCapacity: 2 });
    expect(byName.get(infra.autoScalingGroups.green)).toMatchObject({ DesiredCapacity: 0 });
    // every run resumed what it suspended (the first in its post step): no process left suspended,
    // and no lock or record of suspended processes left behind
    for (const group of [infra.autoScalingGroups.blue, infra.autoScalingGroups.green]) {
      expect(byName.get(group)?.SuspendedProcesses ?? []).toEqual([]);
      expect(
        (byName.get(group)?.Tags ?? []).filter((t) => t.Key?.startsWith('asg-deploy:lock')).map((t) => t.Key),
      ).toEqual([]);
    }
  }, 180_000);
});
