/**
 * Proves the end-to-end harness on moto without the bundle: the moto server,
 * the fixture, the recording proxy and run-action (on a stand-in action) — and
 * pins what moto does where it differs from AWS, so the action is written for
 * both (the findings are summarised at the top of fixture.ts).
 */
import {
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  StartInstanceRefreshCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeInstancesCommand,
  DescribeVpcsCommand,
  ModifyLaunchTemplateCommand,
} from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeTargetHealthCommand,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { fileURLToPath } from 'node:url';
import {
  buildInfrastructure,
  readListenerForwards,
  readRuleForward,
  type Infrastructure,
} from './fixture.js';
import { describeWithMoto, useMoto } from './use-moto.js';
import { inputVariable, parseFileCommands, runAction } from './run-action.js';

const E2E_TIMEOUT = 60_000;
const describeMoto = describeWithMoto('harness', { bundle: false });

describe('run-action file commands (no moto needed)', () => {
  it('names input variables as the runner does: upper case, hyphens kept', () => {
    expect(inputVariable('listener-arns')).toBe('INPUT_LISTENER-ARNS');
    expect(inputVariable('blue auto-scaling-group')).toBe('INPUT_BLUE_AUTO-SCALING-GROUP');
  });

  it('parses heredoc blocks (@actions/core 3) and name=value lines', () => {
    const text = [
      'result<<ghadelimiter_1',
      'deployed',
      'ghadelimiter_1',
      'note<<ghadelimiter_2',
      'a = b',
      '',
      'c<<d',
      'ghadelimiter_2',
      'active-color=green',
      'empty=',
      '',
    ].join('\n');
    expect(parseFileCommands(text)).toEqual({
      result: 'deployed',
      note: 'a = b\n\nc<<d',
      'active-color': 'green',
      empty: '',
    });
  });

  it('refuses a block without its closing delimiter, as the runner does', () => {
    expect(() => parseFileCommands('x<<EOF\nvalue\n', 'GITHUB_OUTPUT')).toThrow(/closing delimiter 'EOF'/);
  });
});

describeMoto('e2e harness on moto', () => {
  const world = useMoto({ awsThroughProxy: true });

  const groupOf = async (name: string) => {
    const { AutoScalingGroups = [] } = await world.aws.autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
    );
    const group = AutoScalingGroups[0];
    if (!group) throw new Error(`no group ${name}`);
    return group;
  };
  const targetsOf = async (targetGroupArn: string) => {
    const { TargetHealthDescriptions = [] } = await world.aws.elbv2.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }),
    );
    return TargetHealthDescriptions;
  };
  const instancesOf = async (ids: string[]) => {
    const { Reservations = [] } = await world.aws.ec2.send(
      new DescribeInstancesCommand({ InstanceIds: ids }),
    );
    return Reservations.flatMap((reservation) => reservation.Instances ?? []);
  };
  const scale = (name: string, size: number, version?: string, launchTemplateId?: string) =>
    world.aws.autoScaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: name,
        MinSize: size,
        MaxSize: size,
        DesiredCapacity: size,
        ...(version && launchTemplateId
          ? { LaunchTemplate: { LaunchTemplateId: launchTemplateId, Version: version } }
          : {}),
      }),
    );

  it(
    'builds the blue/green fixture: everything forwards to blue, blue serves, green idle, alarms OK',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint);

      expect(infra.imageIds.v1).toMatch(/^ami-/);
      expect(infra.imageIds.v2).not.toBe(infra.imageIds.v1);
      const [plain, sticky] = await readListenerForwards(world.moto.endpoint, infra.listenerArns);
      expect(plain).toEqual({ shares: { [infra.targetGroupArns.blue]: 100 } });
      expect(sticky).toEqual({
        shares: { [infra.targetGroupArns.blue]: 100 },
        stickiness: { Enabled: true, DurationSeconds: 300 },
      });
      expect((await readRuleForward(world.moto.endpoint, infra.listenerRuleArn)).shares).toEqual({
        [infra.targetGroupArns.blue]: 100,
      });

      const blue = await groupOf(infra.autoScalingGroups.blue);
      expect(blue).toMatchObject({
        MinSize: 2,
        MaxSize: 2,
        DesiredCapacity: 2,
        HealthCheckType: 'ELB',
        TargetGroupARNs: [infra.targetGroupArns.blue],
        LaunchTemplate: { LaunchTemplateId: infra.launchTemplate.id, Version: '1' },
        VPCZoneIdentifier: infra.subnetIds.join(','),
      });
      expect(blue.Instances).toHaveLength(2);
      const green = await groupOf(infra.autoScalingGroups.green);
      expect(green).toMatchObject({ MinSize: 0, MaxSize: 0, DesiredCapacity: 0, Instances: [] });
      expect(green.TargetGroupARNs).toEqual([infra.targetGroupArns.green]);

      const { MetricAlarms = [] } = await world.aws.cloudWatch.send(
        new DescribeAlarmsCommand({ AlarmNames: infra.alarmNames }),
      );
      expect(MetricAlarms.map((alarm) => [alarm.AlarmName, alarm.StateValue])).toEqual([
        [infra.alarmNames[0], 'OK'],
        [infra.alarmNames[1], 'OK'],
      ]);
    },
    E2E_TIMEOUT,
  );

  it(
    'records each API action through the proxy, reads and writes apart, with its protocol',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint);
      expect(world.proxy.calls).toHaveLength(0); // the fixture went straight to moto

      await world.aws.elbv2.send(new DescribeListenersCommand({ ListenerArns: infra.listenerArns }));
      await world.aws.elbv2.send(
        new ModifyListenerCommand({
          ListenerArn: infra.listenerArns[0],
          DefaultActions: [{ Type: 'forward', TargetGroupArn: infra.targetGroupArns.green }],
        }),
      );
      await world.aws.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: infra.alarmNames }));
      await world.aws.autoScaling.send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [infra.autoScalingGroups.blue] }),
      );

      expect(world.proxy.actions()).toEqual([
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:ModifyListener',
        'monitoring:DescribeAlarms',
        'autoscaling:DescribeAutoScalingGroups',
      ]);
      expect(world.proxy.calls.map((call) => [call.protocol, call.status])).toEqual([
        ['query', 200],
        ['query', 200],
        ['json', 200],
        ['query', 200],
      ]);
      expect(world.proxy.writes().map((call) => call.action)).toEqual(['ModifyListener']);
      expect(world.proxy.writes()[0]?.body).toContain(encodeURIComponent(infra.targetGroupArns.green));
    },
    E2E_TIMEOUT,
  );

  it(
    'builds a second fixture after reset(): the first one is gone',
    async () => {
      const first = await buildInfrastructure(world.moto.endpoint);
      await world.moto.reset();
      const second = await buildInfrastructure(world.moto.endpoint);

      expect(second.name).not.toBe(first.name);
      const { Vpcs = [] } = await world.aws.ec2.send(new DescribeVpcsCommand({}));
      const ids = Vpcs.map((vpc) => vpc.VpcId);
      expect(ids).toContain(second.vpcId);
      expect(ids).not.toContain(first.vpcId);
      await expect(
        world.aws.elbv2.send(new DescribeListenersCommand({ ListenerArns: [first.listenerArns[0]] })),
      ).rejects.toThrow();
    },
    E2E_TIMEOUT,
  );

  it(
    'runs an action as the runner does: inputs, endpoint from the environment, outputs, state, summary, post',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint);
      const standIn = (file: string) => fileURLToPath(new URL(`stand-in/${file}`, import.meta.url));
      const scripts = { main: standIn('main.mjs'), post: standIn('post.mjs') };

      // What a developer may have set must not reach the action.
      const leaks = {
        AWS_PROFILE: 'developer',
        AWS_ENDPOINT_URL_EC2: 'http://127.0.0.1:9',
        https_proxy: 'x',
      };
      const saved = Object.fromEntries(Object.keys(leaks).map((name) => [name, process.env[name]]));
      Object.assign(process.env, leaks);
      let run;
      try {
        run = await runAction(
          { 'listener-arns': infra.listenerArns.join('\n') },
          { endpoint: world.proxy.endpoint, scripts, env: { GITHUB_RUN_ID: '99' } },
        );
      } finally {
        for (const [name, value] of Object.entries(saved)) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      }

      expect(run.stderr).not.toContain('::error');
      expect(run.code).toBe(0);
      expect(run.outputs).toEqual({
        ports: '80,8080',
        'multi-line': 'first line\nsecond = line',
        // Only what run-action sets: nothing of the developer's.
        environment: [
          'AWS_ACCESS_KEY_ID',
          'AWS_CONFIG_FILE',
          'AWS_EC2_METADATA_DISABLED',
          'AWS_ENDPOINT_URL',
          'AWS_REGION',
          'AWS_SECRET_ACCESS_KEY',
          'AWS_SHARED_CREDENTIALS_FILE',
        ].join(','),
      });
      expect(run.state).toEqual({ deployment: '{"listeners":2}' });
      expect(run.summary).toContain('stand-in deployed');
      expect(run.post?.code).toBe(0);
      expect(run.post?.stdout).toContain('post saw deployment={"listeners":2}');
      expect(run.summary).toContain('post saw deployment={"listeners":2}');
      expect(world.proxy.actions()).toEqual(['elasticloadbalancing:DescribeListeners']);

      world.proxy.clear();
      const bad = await runAction(
        { 'listener-arns': infra.targetGroupArns.blue },
        { endpoint: world.proxy.endpoint, scripts: { main: scripts.main } },
      );
      expect(bad.code).not.toBe(0);
      expect(bad.stdout).toMatch(/^::error::listener-arns: /m);
      expect(bad.post).toBeUndefined();
      expect(world.proxy.calls).toHaveLength(0);
    },
    E2E_TIMEOUT,
  );

  describe('what moto does (the action must work on it and on AWS)', () => {
    let infra: Infrastructure;
    beforeEach(async () => {
      infra = await buildInfrastructure(world.moto.endpoint);
    });

    it(
      'ASG instances are registered in their target group at once, healthy, port = the target group port',
      async () => {
        const blue = await groupOf(infra.autoScalingGroups.blue);
        const ids = (blue.Instances ?? []).map((instance) => instance.InstanceId).sort();
        const targets = await targetsOf(infra.targetGroupArns.blue);

        expect(targets.map((target) => target.Target?.Id).sort()).toEqual(ids);
        for (const target of targets) {
          // Exactly this shape: no Reason, no Description, no AvailabilityZone.
          expect(target).toEqual({
            Target: { Id: target.Target?.Id, Port: 80 },
            HealthCheckPort: 'traffic-port',
            TargetHealth: { State: 'healthy' },
          });
        }
        expect(await targetsOf(infra.targetGroupArns.green)).toEqual([]);
        // Instances are InService/Healthy at once; every one lands in the first subnet's AZ.
        expect(blue.Instances?.map((i) => [i.LifecycleState, i.HealthStatus, i.AvailabilityZone])).toEqual([
          ['InService', 'Healthy', 'us-east-1a'],
          ['InService', 'Healthy', 'us-east-1a'],
        ]);
        // HealthCheckGracePeriod 0 was asked for; moto reports its default 300.
        expect(blue.HealthCheckGracePeriod).toBe(300);
      },
      E2E_TIMEOUT,
    );

    it(
      'ModifyListener with two weighted target groups: read back as ForwardConfig, stickiness filled in',
      async () => {
        const weighted = (arn: string, weight: number) => ({ TargetGroupArn: arn, Weight: weight });
        await world.aws.elbv2.send(
          new ModifyListenerCommand({
            ListenerArn: infra.listenerArns[0],
            DefaultActions: [
              {
                Type: 'forward',
                ForwardConfig: {
                  TargetGroups: [
                    weighted(infra.targetGroupArns.blue, 90),
                    weighted(infra.targetGroupArns.green, 10),
                  ],
                },
              },
            ],
          }),
        );
        await world.aws.elbv2.send(
          new ModifyListenerCommand({
            ListenerArn: infra.listenerArns[1],
            DefaultActions: [
              {
                Type: 'forward',
                ForwardConfig: {
                  TargetGroups: [
                    weighted(infra.targetGroupArns.blue, 50),
                    weighted(infra.targetGroupArns.green, 50),
                  ],
                  TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 },
                },
              },
            ],
          }),
        );
        const { Listeners = [] } = await world.aws.elbv2.send(
          new DescribeListenersCommand({ ListenerArns: infra.listenerArns }),
        );
        const actionsOf = (arn: string) =>
          Listeners.find((listener) => listener.ListenerArn === arn)?.DefaultActions;

        // No top-level TargetGroupArn; stickiness {Enabled:false} added when it was not sent.
        expect(actionsOf(infra.listenerArns[0])).toEqual([
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                weighted(infra.targetGroupArns.blue, 90),
                weighted(infra.targetGroupArns.green, 10),
              ],
              TargetGroupStickinessConfig: { Enabled: false },
            },
          },
        ]);
        expect(actionsOf(infra.listenerArns[1])).toEqual([
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                weighted(infra.targetGroupArns.blue, 50),
                weighted(infra.targetGroupArns.green, 50),
              ],
              TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 },
            },
          },
        ]);

        // A plain forward comes back as a bare TargetGroupArn (AWS also returns a ForwardConfig).
        await world.aws.elbv2.send(
          new ModifyListenerCommand({
            ListenerArn: infra.listenerArns[0],
            DefaultActions: [{ Type: 'forward', TargetGroupArn: infra.targetGroupArns.green }],
          }),
        );
        const after = await world.aws.elbv2.send(
          new DescribeListenersCommand({ ListenerArns: [infra.listenerArns[0]] }),
        );
        expect(after.Listeners?.[0]?.DefaultActions).toEqual([
          { Type: 'forward', TargetGroupArn: infra.targetGroupArns.green },
        ]);
      },
      E2E_TIMEOUT,
    );

    it(
      'scaling 0→2→0: new instances registered healthy; scale-in terminates and deregisters them (draining, test/moto)',
      async () => {
        const green = infra.autoScalingGroups.green;
        await scale(green, 2, '2', infra.launchTemplate.id);
        const up = await groupOf(green);
        const first = (up.Instances ?? []).map((instance) => instance.InstanceId as string).sort();
        expect(first).toHaveLength(2);
        expect(
          (await targetsOf(infra.targetGroupArns.green))
            .map((t) => [t.Target?.Id, t.TargetHealth?.State])
            .sort(),
        ).toEqual(first.map((id) => [id, 'healthy']));
        // The ImageId is that of the version asked for.
        expect((await instancesOf(first)).map((instance) => instance.ImageId)).toEqual([
          infra.imageIds.v2,
          infra.imageIds.v2,
        ]);

        await scale(green, 0);
        expect((await groupOf(green)).Instances).toEqual([]); // at once, no Terminating phase
        expect((await instancesOf(first)).map((instance) => instance.State?.Name)).toEqual([
          'terminated',
          'terminated',
        ]);
        // Deregistered, draining for the deregistration delay (300 s here), as on AWS (plain moto
        // leaves them registered and healthy): match targets to the ASG's instances, never count them.
        expect(
          (await targetsOf(infra.targetGroupArns.green))
            .map((t) => [t.Target?.Id, t.TargetHealth?.State, t.TargetHealth?.Reason])
            .sort(),
        ).toEqual(first.map((id) => [id, 'draining', 'Target.DeregistrationInProgress']));

        await scale(green, 2);
        const again = ((await groupOf(green)).Instances ?? []).map(
          (instance) => instance.InstanceId as string,
        );
        const listed = await targetsOf(infra.targetGroupArns.green);
        const inState = (state: string) =>
          listed
            .filter((t) => t.TargetHealth?.State === state)
            .map((t) => t.Target?.Id as string)
            .sort();
        expect(listed).toHaveLength(4);
        expect(inState('healthy')).toEqual([...again].sort());
        expect(inState('draining')).toEqual(first);
      },
      E2E_TIMEOUT,
    );

    it(
      'DescribeInstanceRefreshes on a group that never had one: an empty list',
      async () => {
        const answer = await world.aws.autoScaling.send(
          new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: infra.autoScalingGroups.blue }),
        );
        expect(answer.InstanceRefreshes).toEqual([]);
        expect(answer.NextToken).toBeUndefined();
      },
      E2E_TIMEOUT,
    );

    it(
      'Instance Refresh records of test/moto live on their group: reset() forgets them',
      async () => {
        const blue = infra.autoScalingGroups.blue;
        const { InstanceRefreshId } = await world.aws.autoScaling.send(
          new StartInstanceRefreshCommand({
            AutoScalingGroupName: blue,
            DesiredConfiguration: {
              LaunchTemplate: { LaunchTemplateId: infra.launchTemplate.id, Version: '2' },
            },
            Preferences: { MinHealthyPercentage: 90, AutoRollback: true },
          }),
        );
        expect(InstanceRefreshId).toMatch(/^[0-9a-f-]{36}$/);
        await world.moto.reset();
        const after = await world.aws.autoScaling.send(
          new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: blue }),
        );
        expect(after.InstanceRefreshes).toEqual([]);
      },
      E2E_TIMEOUT,
    );

    it(
      "instances report the launch template's default version, not the one they were launched from; ImageId is right",
      async () => {
        const green = infra.autoScalingGroups.green;
        await scale(green, 1, '2', infra.launchTemplate.id);
        const group = await groupOf(green);
        const id = group.Instances?.[0]?.InstanceId as string;
        const [instance] = await instancesOf([id]);
        const tag = (key: string) => instance?.Tags?.find((t) => t.Key === key)?.Value;

        expect(group.LaunchTemplate?.Version).toBe('2'); // the group's own setting is right
        expect(group.Instances?.[0]?.LaunchTemplate?.Version).toBe('1'); // default version, read live
        expect(tag('aws:ec2launchtemplate:version')).toBe('1'); // default version at launch
        expect(instance?.ImageId).toBe(infra.imageIds.v2); // what v2 really launches

        await world.aws.ec2.send(
          new ModifyLaunchTemplateCommand({ LaunchTemplateId: infra.launchTemplate.id, DefaultVersion: '2' }),
        );
        const later = await groupOf(green);
        expect(later.Instances?.[0]?.LaunchTemplate?.Version).toBe('2'); // follows the default
        const [same] = await instancesOf([id]);
        expect(same?.Tags?.find((t) => t.Key === 'aws:ec2launchtemplate:version')?.Value).toBe('1');
      },
      E2E_TIMEOUT,
    );
  });
});
