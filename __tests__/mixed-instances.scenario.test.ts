/**
 * Groups with a mixed instances policy (Spot, several instance types) on the
 * simulated AWS: every strategy deploys the version inside the policy, sends
 * the policy whole (overrides and instances distribution as read) and puts it
 * back exactly on rollback.
 */
import type { MixedInstancesPolicy } from '@aws-sdk/client-auto-scaling';
import { blueGreenFixture, mixedPolicy } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { blueGreenInputs } from './helpers/blue-green.js';
import { singleGroupInputs } from './helpers/single-group.js';

type Fixture = ReturnType<typeof blueGreenFixture>;

/** The policy as the fixture made it, at another version (main template and the override naming it). */
const policyAt = (f: Fixture, version: string): MixedInstancesPolicy =>
  mixedPolicy(f.launchTemplateId, version);

/** What UpdateAutoScalingGroup / StartInstanceRefresh carried, as the simulator received them. */
function sent(f: Fixture, command: string): Record<string, unknown>[] {
  return f.sim
    .writes()
    .filter((w) => w.command === command)
    .map((w) => w.input as Record<string, unknown>);
}

describe('mixed instances policies', () => {
  test('blue/green: the idle group gets the whole policy at the new version; overrides and distribution kept; id, not name', async () => {
    const f = blueGreenFixture({ instances: 4, mixed: true });
    const { report } = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }));

    expect(report.result).toBe('deployed');
    expect(f.sim.mixedInstancesPolicy(f.greenGroup)).toEqual(policyAt(f, '2'));
    expect(f.sim.group(f.greenGroup).instances.map((i) => i.version)).toEqual([2, 2, 2, 2]);
    const prepare = sent(f, 'UpdateAutoScalingGroup').find(
      (u) => u.AutoScalingGroupName === f.greenGroup && u.MixedInstancesPolicy,
    );
    expect(prepare).toBeDefined();
    expect(prepare?.LaunchTemplate).toBeUndefined();
    expect(prepare?.MixedInstancesPolicy).toEqual(policyAt(f, '2'));
    // the after table and the outputs read the version from the policy
    expect(report.outputs['launch-template-version']).toBe('2');
    expect(report.after.find((r) => r.name === 'green')).toMatchObject({
      launchTemplateVersion: '2',
      instances: 'v2 ×4',
    });
    expect(report.before.find((r) => r.name === 'green')?.launchTemplateVersion).toBe('1');
  });

  test('blue/green: a failed deploy restores the idle policy exactly', async () => {
    const f = blueGreenFixture({ instances: 2, mixed: true, greenDesired: 0 });
    const before = f.sim.mixedInstancesPolicy(f.greenGroup);
    const { report } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': String(f.badVersion), 'health-timeout': '3m' }),
    );
    expect(report.result).toBe('rolled-back');
    expect(f.sim.mixedInstancesPolicy(f.greenGroup)).toEqual(before);
    expect(f.sim.mixedInstancesPolicy(f.blueGroup)).toEqual(policyAt(f, '1'));
    // the undo sent the policy as read, not a bare launch template
    const restore = sent(f, 'UpdateAutoScalingGroup').at(-1);
    expect(restore?.MixedInstancesPolicy).toEqual(policyAt(f, '1'));
  });

  test('blue/green image deploy: the created version goes into the policy', async () => {
    const f = blueGreenFixture({ instances: 2, mixed: true });
    const { report } = await deployOnSim(f.sim, blueGreenInputs(f, { 'image-id': 'ami-0123456789abcdef0' }));
    expect(report.result).toBe('deployed');
    const created = f.sim.launchTemplateVersions(f.launchTemplateId).at(-1);
    expect(created).toBe(4);
    expect(f.sim.mixedInstancesPolicy(f.greenGroup)).toEqual(policyAt(f, '4'));
    expect(f.sim.group(f.greenGroup).instances.every((i) => i.version === 4)).toBe(true);
  });

  test('rolling: DesiredConfiguration.MixedInstancesPolicy; on success the group keeps its overrides and distribution', async () => {
    const f = blueGreenFixture({ instances: 4, mixed: true });
    const { report } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'rolling', { 'launch-template-version': '2', 'instance-warmup': '0' }),
    );
    expect(report.result).toBe('deployed');
    const [start] = sent(f, 'StartInstanceRefresh');
    expect(start?.DesiredConfiguration).toEqual({ MixedInstancesPolicy: policyAt(f, '2') });
    f.sim.settle();
    expect(f.sim.mixedInstancesPolicy(f.blueGroup)).toEqual(policyAt(f, '2'));
    expect(f.sim.group(f.blueGroup).instances.map((i) => i.version)).toEqual([2, 2, 2, 2]);
    expect(report.after[0]).toMatchObject({ launchTemplateVersion: '2', instances: 'v2 ×4' });
  });

  test('rolling: replacements never healthy, AWS rolls back, the policy is as it was', async () => {
    const f = blueGreenFixture({ instances: 2, mixed: true });
    const { report } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'rolling', {
        'launch-template-version': String(f.badVersion),
        'instance-warmup': '0',
      }),
    );
    expect(report.result).toBe('rolled-back');
    f.sim.settle();
    expect(f.sim.mixedInstancesPolicy(f.blueGroup)).toEqual(policyAt(f, '1'));
    expect(f.sim.group(f.blueGroup).instances.map((i) => i.version)).toEqual([1, 1]);
  });

  test('recreate: every instance replaced from the policy at the new version', async () => {
    const f = blueGreenFixture({ instances: 2, mixed: true });
    const { report } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'recreate', { 'launch-template-version': '2' }),
    );
    expect(report.result).toBe('deployed');
    f.sim.settle();
    expect(f.sim.mixedInstancesPolicy(f.blueGroup)).toEqual(policyAt(f, '2'));
    expect(f.sim.group(f.blueGroup).instances.map((i) => i.version)).toEqual([2, 2]);
  });

  test('an override naming another launch template: refused before any write, naming the override', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const other = f.sim.createLaunchTemplate({ name: 'arm', imageId: 'ami-00000000000000009' });
    const policy = mixedPolicy(f.launchTemplateId, '1');
    policy.LaunchTemplate?.Overrides?.push({
      InstanceType: 't4g.micro',
      LaunchTemplateSpecification: { LaunchTemplateId: other.id, Version: '1' },
    });
    f.sim.createAutoScalingGroup({
      name: 'app-mixed',
      launchTemplate: { id: f.launchTemplateId, version: '1' },
      mixedInstancesPolicy: policy,
      min: 2,
      max: 2,
      desired: 2,
      targetGroupArns: [f.blueTargetGroupArn],
    });
    const { report } = await deployOnSim(f.sim, {
      ...singleGroupInputs(f, 'rolling', { 'launch-template-version': '2' }),
      'auto-scaling-group': 'app-mixed',
    });
    expect(report.result).toBe('failed');
    expect(report.problems.join('\n')).toMatch(
      /auto-scaling-group: app-mixed: mixed instances policy override 4 \(t4g\.micro\) names its own launch template arm/,
    );
    expect(f.sim.writes()).toEqual([]);
  });

  test('the simulator refuses a specification carrying both the id and the name, as AWS does', async () => {
    const f = blueGreenFixture({ instances: 1, mixed: true });
    const { UpdateAutoScalingGroupCommand } = await import('@aws-sdk/client-auto-scaling');
    const policy = policyAt(f, '2');
    const spec = policy.LaunchTemplate?.LaunchTemplateSpecification;
    if (spec) spec.LaunchTemplateName = 'app';
    await expect(
      f.sim.clients().autoScaling.send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: f.blueGroup,
          MixedInstancesPolicy: policy,
        }),
      ),
    ).rejects.toThrow('Valid requests must contain either launchTemplateId or LaunchTemplateName');
    expect(f.sim.mixedInstancesPolicy(f.blueGroup)).toEqual(policyAt(f, '1'));
  });
});
