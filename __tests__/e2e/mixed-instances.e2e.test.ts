/**
 * Groups with a mixed instances policy, deployed by the bundled action on moto
 * (test/moto keeps a group's policy through updates that do not name one, and
 * takes a MixedInstancesPolicy in an Instance Refresh's DesiredConfiguration):
 * blue/green and rolling put the version inside the policy and keep its
 * overrides and instances distribution exactly. Instances report the
 * template's default version on moto (fixture.ts, finding 5), so versions are
 * checked on the group's policy and by image.
 */
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { buildInfrastructure, mixedInstancesPolicy } from './fixture.js';
import { describeWithMoto, useMoto } from './use-moto.js';
import { runAction } from './run-action.js';

const E2E_TIMEOUT = 60_000;
const RUN_TIMEOUT = 40_000;
const describeE2E = describeWithMoto('mixed instances');

describeE2E('mixed instances policies on moto through node dist/index.js', () => {
  const world = useMoto({ env: { ASGDEPLOY_MOTO_REFRESH_SECONDS: '1', ASGDEPLOY_MOTO_DRAIN_SECONDS: '1' } });

  const groupOf = async (name: string) => {
    const out = await world.aws.autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
    );
    const group = out.AutoScalingGroups?.[0];
    if (!group) throw new Error(`no group ${name}`);
    return group;
  };
  /** The policy as sent at creation, with moto's reading of the specification's name left out. */
  const policyOf = async (name: string) => {
    const policy = (await groupOf(name)).MixedInstancesPolicy;
    const spec = policy?.LaunchTemplate?.LaunchTemplateSpecification;
    if (spec) delete spec.LaunchTemplateName;
    return policy;
  };
  const imagesOf = async (name: string) => {
    const ids = ((await groupOf(name)).Instances ?? []).map((i) => i.InstanceId ?? '');
    if (ids.length === 0) return [];
    const out = await world.aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
    return (out.Reservations ?? []).flatMap((r) => (r.Instances ?? []).map((i) => i.ImageId));
  };

  it(
    'blue/green: green gets the whole policy at version 2, overrides and distribution as they were',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint, { name: 'mixbg', mixed: true });
      expect(await policyOf(infra.autoScalingGroups.green)).toEqual(
        mixedInstancesPolicy(infra.launchTemplate.id, '1'),
      );
      const run = await runAction(
        {
          strategy: 'blue-green',
          'listener-arns': infra.listenerArns.join('\n'),
          'listener-rule-arns': infra.listenerRuleArn,
          'blue-auto-scaling-group': infra.autoScalingGroups.blue,
          'green-auto-scaling-group': infra.autoScalingGroups.green,
          'launch-template-version': '2',
          'poll-interval': '1s',
          'health-timeout': '1m',
        },
        { endpoint: world.moto.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expect(run.stderr).not.toMatch(/::error/);
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({
        result: 'deployed',
        'active-color': 'green',
        'launch-template-version': '2',
      });
      const green = await groupOf(infra.autoScalingGroups.green);
      expect(green.LaunchTemplate).toBeUndefined();
      expect(await policyOf(infra.autoScalingGroups.green)).toEqual(
        mixedInstancesPolicy(infra.launchTemplate.id, '2'),
      );
      expect(await imagesOf(infra.autoScalingGroups.green)).toEqual([infra.imageIds.v2, infra.imageIds.v2]);
      // blue (live before) keeps its policy untouched, only its capacity went to 0
      expect(await policyOf(infra.autoScalingGroups.blue)).toEqual(
        mixedInstancesPolicy(infra.launchTemplate.id, '1'),
      );
      expect(run.summary).toMatch(/1 → \*\*2\*\*/);
    },
    E2E_TIMEOUT,
  );

  it(
    'rolling: the Instance Refresh takes the policy whole; the group keeps overrides and distribution at version 2',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint, { name: 'mixroll', mixed: true });
      const run = await runAction(
        {
          strategy: 'rolling',
          'auto-scaling-group': infra.autoScalingGroups.blue,
          'launch-template-version': '2',
          'poll-interval': '1s',
          'health-timeout': '1m',
        },
        { endpoint: world.moto.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expect(run.stderr).not.toMatch(/::error/);
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({ result: 'deployed', 'launch-template-version': '2' });
      expect((await groupOf(infra.autoScalingGroups.blue)).LaunchTemplate).toBeUndefined();
      expect(await policyOf(infra.autoScalingGroups.blue)).toEqual(
        mixedInstancesPolicy(infra.launchTemplate.id, '2'),
      );
      expect(await imagesOf(infra.autoScalingGroups.blue)).toEqual([infra.imageIds.v2, infra.imageIds.v2]);
    },
    E2E_TIMEOUT,
  );
});
