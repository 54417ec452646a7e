/**
 * The bundled action on a group with a launching lifecycle hook (test/moto
 * holds each new instance in Pending:Wait, unregistered, until
 * CompleteLifecycleAction): a blue/green deploy waits while the hook holds the
 * new fleet, names the hook in its progress lines and in pre-flight, and
 * completes once the team's bootstrap (here a loop in the test) completes each
 * lifecycle action with CONTINUE.
 */
import {
  CompleteLifecycleActionCommand,
  DescribeAutoScalingGroupsCommand,
  PutLifecycleHookCommand,
} from '@aws-sdk/client-auto-scaling';
import { buildInfrastructure } from './fixture.js';
import { runAction, type ActionRun } from './run-action.js';
import { describeWithMoto, useMoto } from './use-moto.js';

const E2E_TIMEOUT = 90_000;
const RUN_TIMEOUT = 60_000;
const LAUNCHING = 'autoscaling:EC2_INSTANCE_LAUNCHING';

const describeE2E = describeWithMoto('lifecycle-hooks');

function transcript(run: ActionRun): string {
  return `main exited ${run.code} (post: ${run.post?.code ?? 'none'})\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

describeE2E('the bundled action on a group with a lifecycle hook (test/moto)', () => {
  const world = useMoto();

  it(
    'blue/green: the new fleet held by a launching hook until the bootstrap completes it with CONTINUE is deployed',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint);
      const { green } = infra.autoScalingGroups;
      await world.aws.autoScaling.send(
        new PutLifecycleHookCommand({
          AutoScalingGroupName: green,
          LifecycleHookName: 'boot',
          LifecycleTransition: LAUNCHING,
          HeartbeatTimeout: 60,
          DefaultResult: 'ABANDON',
        }),
      );
      // the team's bootstrap: completes each held instance's lifecycle action 2 s after it first sees it
      const stop = new AbortController();
      const firstSeen = new Map<string, number>();
      const completed: string[] = [];
      const bootstrap = (async () => {
        while (!stop.signal.aborted) {
          const { AutoScalingGroups = [] } = await world.aws.autoScaling.send(
            new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [green] }),
          );
          for (const i of AutoScalingGroups[0]?.Instances ?? []) {
            const id = i.InstanceId ?? '';
            if (i.LifecycleState !== 'Pending:Wait') continue;
            if (!firstSeen.has(id)) firstSeen.set(id, Date.now());
            if (Date.now() - (firstSeen.get(id) ?? 0) < 2_000) continue;
            await world.aws.autoScaling.send(
              new CompleteLifecycleActionCommand({
                AutoScalingGroupName: green,
                LifecycleHookName: 'boot',
                InstanceId: id,
                LifecycleActionResult: 'CONTINUE',
              }),
            );
            completed.push(id);
          }
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      })();
      const run = await runAction(
        {
          strategy: 'blue-green',
          'listener-arns': infra.listenerArns.join('\n'),
          'listener-rule-arns': infra.listenerRuleArn,
          'blue-auto-scaling-group': infra.autoScalingGroups.blue,
          'green-auto-scaling-group': green,
          'poll-interval': '1s',
          'launch-template-version': '2',
          'health-timeout': '2m',
        },
        { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      stop.abort();
      await bootstrap;
      if (run.code !== 0) throw new Error(transcript(run));
      expect(run.outputs.result).toBe('deployed');
      expect(completed.length).toBeGreaterThanOrEqual(1);
      // pre-flight lists the hook; the wait names it while it holds the new fleet
      expect(run.stdout).toContain(
        `${green} has lifecycle hook(s): boot (${LAUNCHING}, heartbeat 60s, default result ABANDON)`,
      );
      expect(run.stdout).toMatch(
        /\d+\/\d+ healthy(?: \([^)]*\))?, \d+ waiting on hook boot \(heartbeat 60s\)/,
      );
      // health-timeout (2m) outlasts the heartbeat (60s): no warning about it
      expect(run.stdout).not.toMatch(/::warning[^\n]*health-timeout/);
      // one DescribeLifecycleHooks per group, at pre-flight only
      const reads = world.proxy.calls.filter((c) => c.action === 'DescribeLifecycleHooks');
      expect(reads).toHaveLength(2);
      const { AutoScalingGroups = [] } = await world.aws.autoScaling.send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [green] }),
      );
      expect((AutoScalingGroups[0]?.Instances ?? []).map((i) => i.LifecycleState)).toEqual(
        (AutoScalingGroups[0]?.Instances ?? []).map(() => 'InService'),
      );
    },
    E2E_TIMEOUT,
  );
});
