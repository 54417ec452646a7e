/**
 * The bundled action on production groups (test/moto):
 * - its groups' own scaling is held still for the deploy: AlarmNotification,
 *   ScheduledActions and AZRebalance suspended on both colors before the first
 *   capacity write, and after the run each group has exactly the suspended
 *   processes it had (a process the team had suspended stays suspended);
 * - a launch that AWS fails (an image that does not exist: the failingImages
 *   switch) ends the wait at once with AWS's message, well before
 *   health-timeout, and the deploy rolls back.
 */
import {
  DescribeAutoScalingGroupsCommand,
  SuspendProcessesCommand,
  type AutoScalingGroup,
} from '@aws-sdk/client-auto-scaling';
import { buildInfrastructure, readRouteActions, type Infrastructure } from './fixture.js';
import { runAction, type ActionRun } from './run-action.js';
import { describeWithMoto, useMoto } from './use-moto.js';
import { escape } from '../../src/report/markdown.js';

const E2E_TIMEOUT = 90_000;
const RUN_TIMEOUT = 60_000;

const describeE2E = describeWithMoto('production-groups');

function transcript(run: ActionRun): string {
  return `main exited ${run.code} (post: ${run.post?.code ?? 'none'})\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

describeE2E('the bundled action on production groups (test/moto)', () => {
  const world = useMoto();

  const groupOf = async (name: string): Promise<AutoScalingGroup> => {
    const { AutoScalingGroups = [] } = await world.aws.autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
    );
    const found = AutoScalingGroups[0];
    if (!found) throw new Error(`no group ${name}`);
    return found;
  };
  const suspended = async (name: string) =>
    ((await groupOf(name)).SuspendedProcesses ?? []).map((p) => p.ProcessName ?? '').sort();
  const inputsFor = (infra: Infrastructure) => ({
    strategy: 'blue-green',
    'listener-arns': infra.listenerArns.join('\n'),
    'listener-rule-arns': infra.listenerRuleArn,
    'blue-auto-scaling-group': infra.autoScalingGroups.blue,
    'green-auto-scaling-group': infra.autoScalingGroups.green,
    'poll-interval': '1s',
    'launch-template-version': '2',
  });

  it(
    'suspends the default processes on both colors for the deploy and leaves each group with the set it had',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint);
      const { blue, green } = infra.autoScalingGroups;
      // the team keeps AZRebalance suspended on blue: it must stay suspended
      await world.aws.autoScaling.send(
        new SuspendProcessesCommand({ AutoScalingGroupName: blue, ScalingProcesses: ['AZRebalance'] }),
      );
      await world.moto.setSwitches({ healthSeconds: 3 });
      const seen = { [blue]: new Set<string>(), [green]: new Set<string>() };
      const stop = new AbortController();
      const watching = (async () => {
        while (!stop.signal.aborted) {
          for (const g of [blue, green]) for (const p of await suspended(g)) seen[g]?.add(p);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      })();
      const run = await runAction(
        { ...inputsFor(infra), 'health-timeout': '2m' },
        { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      stop.abort();
      await watching;
      if (run.code !== 0) throw new Error(transcript(run));
      expect(run.outputs.result).toBe('deployed');

      const all = ['AZRebalance', 'AlarmNotification', 'ScheduledActions'];
      expect([...(seen[blue] ?? [])].sort()).toEqual(all);
      expect([...(seen[green] ?? [])].sort()).toEqual(all);
      expect(await suspended(blue)).toEqual(['AZRebalance']);
      expect(await suspended(green)).toEqual([]);

      // suspended before the first capacity write, resumed after the last one; blue's own AZRebalance never sent
      const calls = world.proxy.calls;
      const at = (action: string) => calls.map((c) => c.action).indexOf(action);
      const lastAt = (action: string) => calls.map((c) => c.action).lastIndexOf(action);
      expect(at('SuspendProcesses')).toBeGreaterThanOrEqual(0);
      expect(at('SuspendProcesses')).toBeLessThan(at('UpdateAutoScalingGroup'));
      expect(lastAt('ResumeProcesses')).toBeGreaterThan(lastAt('UpdateAutoScalingGroup'));
      const resumedOnBlue = calls
        .filter((c) => c.action === 'ResumeProcesses')
        .map((c) => new URLSearchParams(c.body))
        .filter((form) => form.get('AutoScalingGroupName') === blue)
        .flatMap((form) => [...form].filter(([k]) => k.startsWith('ScalingProcesses')).map(([, v]) => v));
      expect(resumedOnBlue.sort()).toEqual(['AlarmNotification', 'ScheduledActions']);
    },
    E2E_TIMEOUT,
  );

  it(
    'a launch AWS fails is reported with its message at once, and the deploy rolls back well before health-timeout',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint);
      const routesBefore = await readRouteActions(world.moto.endpoint, infra);
      await world.moto.setSwitches({ failingImages: [infra.imageIds.v2] });
      const message = `The image id '[${infra.imageIds.v2}]' does not exist. Launching EC2 instance failed.`;

      const run = await runAction(
        { ...inputsFor(infra), 'health-timeout': '2m' },
        { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );

      expect(run.code).not.toBe(0);
      expect(run.outputs.result).toBe('rolled-back');
      expect(run.outputs['rollback-reason']).toContain(message);
      expect(run.stdout).toMatch(/::error[^\n]*does not exist\. Launching EC2 instance failed\./);
      // the summary shows it as literal text: markdown's special characters escaped
      expect(run.summary).toContain(escape(message));
      // ended at the first polls, far from the 2 minutes of health-timeout
      expect(run.endedAt - run.startedAt).toBeLessThan(30_000);
      expect(run.stdout).not.toMatch(/not reached within/);
      expect(await readRouteActions(world.moto.endpoint, infra)).toEqual(routesBefore);
      const green = await groupOf(infra.autoScalingGroups.green);
      expect({ min: green.MinSize, desired: green.DesiredCapacity, max: green.MaxSize }).toEqual({
        min: 0,
        desired: 0,
        max: 0,
      });
      expect(await suspended(infra.autoScalingGroups.green)).toEqual([]);
      expect(await suspended(infra.autoScalingGroups.blue)).toEqual([]);
    },
    E2E_TIMEOUT,
  );
});
