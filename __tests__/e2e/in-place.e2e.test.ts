/**
 * The bundled action deploys in place on moto (server.py's time-based Instance
 * Refresh): rolling and recreate, success and a refresh that fails (group tag
 * `moto:instance-refresh=fail`, rolled back by AWS's auto rollback). When
 * recreate's refresh fails, the test reads the listeners through the SDK while
 * the action runs (the maintenance response must be seen) and the recording
 * proxy's log gives the order: 503 on, refresh, listeners restored. Batches,
 * checkpoints and health bounds are covered on the simulator: moto reports
 * every target healthy at once.
 */
import { CreateOrUpdateTagsCommand, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { isDeepStrictEqual as equal } from 'node:util';
import { buildInfrastructure, readListenerForwards } from './fixture.js';
import { describeWithMoto, useMoto } from './use-moto.js';
import { runAction } from './run-action.js';

const E2E_TIMEOUT = 60_000;
const RUN_TIMEOUT = 40_000;
const describeE2E = describeWithMoto('rolling/recreate');

describeE2E('rolling and recreate deploys of the bundled action on moto', () => {
  const world = useMoto({ env: { ASGDEPLOY_MOTO_REFRESH_SECONDS: '1' } });

  const groupOf = async (name: string) => {
    const out = await world.aws.autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
    );
    const group = out.AutoScalingGroups?.[0];
    if (!group) throw new Error(`no group ${name}`);
    return group;
  };
  const defaultActions = async (listenerArns: string[]) => {
    const { Listeners = [] } = await world.aws.elbv2.send(
      new DescribeListenersCommand({ ListenerArns: listenerArns }),
    );
    return listenerArns.map((arn) => Listeners.find((l) => l.ListenerArn === arn)?.DefaultActions ?? []);
  };
  const rulesOf = async (listenerArn: string) =>
    (await world.aws.elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn }))).Rules ?? [];
  const failRefreshes = (group: string) =>
    world.aws.autoScaling.send(
      new CreateOrUpdateTagsCommand({
        Tags: [
          {
            ResourceId: group,
            ResourceType: 'auto-scaling-group',
            Key: 'moto:instance-refresh',
            Value: 'fail',
            PropagateAtLaunch: false,
          },
        ],
      }),
    );
  const base = (strategy: string, group: string) => ({
    strategy,
    'auto-scaling-group': group,
    'launch-template-version': '2',
    'poll-interval': '1s',
    'health-timeout': '1m',
  });

  it(
    'rolling: the refresh succeeds, the group runs version 2, instance-refresh-id is set',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint, { name: 'roll' });
      const run = await runAction(base('rolling', infra.autoScalingGroups.blue), {
        endpoint: world.moto.endpoint,
        timeoutMs: RUN_TIMEOUT,
      });
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({ result: 'deployed', 'launch-template-version': '2' });
      expect(run.outputs['instance-refresh-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(run.stdout).toMatch(/instance refresh [0-9a-f-]+: (Pending|InProgress), \d+ %/);
      expect(run.summary).toMatch(/Instance refresh [0-9a-f-]+: Successful, 100 %/);
      expect((await groupOf(infra.autoScalingGroups.blue)).LaunchTemplate?.Version).toBe('2');
    },
    E2E_TIMEOUT,
  );

  it(
    'rolling: a failing refresh is rolled back by AWS; result rolled-back, the step fails, the group unchanged',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint, { name: 'rollfail' });
      await failRefreshes(infra.autoScalingGroups.blue);
      const run = await runAction(base('rolling', infra.autoScalingGroups.blue), {
        endpoint: world.moto.endpoint,
        timeoutMs: RUN_TIMEOUT,
      });
      expect(run.code).not.toBe(0);
      expect(run.outputs.result).toBe('rolled-back');
      expect(run.outputs['rollback-reason']).toMatch(/failed health checks/);
      expect(run.summary).toMatch(/RollbackSuccessful/);
      expect((await groupOf(infra.autoScalingGroups.blue)).LaunchTemplate?.Version).toBe('1');
    },
    E2E_TIMEOUT,
  );

  it(
    'recreate: listeners answer 503 during the replacement and get their exact forwards back',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint, { name: 'recr' });
      const before = await readListenerForwards(world.moto.endpoint, infra.listenerArns);
      const run = await runAction(
        { ...base('recreate', infra.autoScalingGroups.blue), 'listener-arns': infra.listenerArns.join('\n') },
        { endpoint: world.moto.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expect(run.code).toBe(0);
      expect(run.outputs.result).toBe('deployed');
      expect(run.summary).toMatch(/answer 503/);
      expect(await readListenerForwards(world.moto.endpoint, infra.listenerArns)).toEqual(before);
      expect((await groupOf(infra.autoScalingGroups.blue)).LaunchTemplate?.Version).toBe('2');
    },
    E2E_TIMEOUT,
  );

  it(
    'recreate: a failing refresh is rolled back; the 503 is served meanwhile, then listeners, rules and version exactly as before',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint, { name: 'recrfail' });
      await failRefreshes(infra.autoScalingGroups.blue);
      const before = {
        listeners: await defaultActions(infra.listenerArns),
        rules: await rulesOf(infra.listenerArns[0]),
        launchTemplate: (await groupOf(infra.autoScalingGroups.blue)).LaunchTemplate,
      };
      world.proxy.clear();

      // Read the listeners through the SDK, as a client of the load balancer would see them, while the action runs.
      const done = new AbortController();
      const seen: Action[][][] = [];
      const watcher = (async () => {
        while (!done.signal.aborted) {
          seen.push(await defaultActions(infra.listenerArns));
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();
      const run = await runAction(
        {
          ...base('recreate', infra.autoScalingGroups.blue),
          'listener-arns': infra.listenerArns.join('\n'),
          'maintenance-response': '503:Back soon',
        },
        { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      ).finally(() => done.abort());
      await watcher;

      expect(run.code).toBe(1);
      expect(run.post?.code ?? 0).toBe(0);
      expect(run.outputs.result).toBe('rolled-back');
      expect(run.outputs['rollback-reason']).toMatch(/failed health checks/);
      expect(run.summary).toMatch(/^## ↩️ Rolled back/);

      // The maintenance response was served on both listeners while the refresh ran and failed.
      const maintenance: Action = {
        Type: 'fixed-response',
        FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'Back soon' },
      };
      expect(seen.some((listeners) => listeners.every((actions) => equal(actions, [maintenance])))).toBe(
        true,
      );
      // In the order of the proxy log: 503 on both, the refresh (refused by the tag), then both restored.
      const steps = world.proxy.calls
        .filter((call) => call.action === 'ModifyListener' || call.action === 'StartInstanceRefresh')
        .map((call) => {
          const form = new URLSearchParams(call.body);
          const type = form.get('DefaultActions.member.1.Type');
          return `${call.action} ${call.status}${type ? ` ${type} ${form.get('DefaultActions.member.1.FixedResponseConfig.StatusCode') ?? ''}`.trimEnd() : ''}`;
        });
      expect(steps.slice(0, 3)).toEqual([
        'ModifyListener 200 fixed-response 503',
        'ModifyListener 200 fixed-response 503',
        'StartInstanceRefresh 200',
      ]);
      expect(steps.slice(3).every((step) => step === 'ModifyListener 200 forward')).toBe(true);
      expect(steps.length).toBeGreaterThanOrEqual(5);

      // Exactly as before: default actions, the listener's rules (the health-check rule gone), the version.
      expect(await defaultActions(infra.listenerArns)).toEqual(before.listeners);
      expect(await rulesOf(infra.listenerArns[0])).toEqual(before.rules);
      const group = await groupOf(infra.autoScalingGroups.blue);
      expect(group.LaunchTemplate).toEqual(before.launchTemplate);
      expect((group.Tags ?? []).filter((tag) => tag.Key === 'asg-deploy:lock')).toEqual([]);
    },
    E2E_TIMEOUT,
  );
});
