/**
 * Warm pools, instances protected from scale in and Standby instances on the
 * simulated AWS: no summary says a fleet runs the new version when one of its
 * instances does not, and no warm instance of the old version joins a new fleet.
 */
import { UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { blueGreenFixture } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { blueGreenInputs } from './helpers/blue-green.js';
import { singleGroupInputs } from './helpers/single-group.js';

type Fixture = ReturnType<typeof blueGreenFixture>;

const preferences = (f: Fixture) =>
  f.sim
    .writes()
    .filter((w) => w.command === 'StartInstanceRefresh')
    .map((w) => (w.input as { Preferences?: Record<string, unknown> }).Preferences);

describe('protected and standby instances (rolling, recreate)', () => {
  test('default ignore: the protected instance stays on its version, is counted in the after table and named in a warning', async () => {
    const f = blueGreenFixture({ instances: 4 });
    const kept = f.sim.group(f.blueGroup).instances[1]?.id ?? '';
    f.sim.setInstanceProtection(kept, true);
    const { report, log } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'rolling', { 'launch-template-version': '2', 'instance-warmup': '0' }),
    );
    expect(report.result).toBe('deployed');
    expect(preferences(f)[0]).toMatchObject({
      ScaleInProtectedInstances: 'Ignore',
      StandbyInstances: 'Ignore',
    });
    expect(report.after[0]).toMatchObject({ launchTemplateVersion: '2', instances: 'v2 ×3, v1 ×1' });
    expect(log.lines).toContainEqual(
      `warning: instance ${kept} of ${f.blueGroup} runs launch template version 1, not 2 (the group's): it is protected from scale in and protected-instances is ignore`,
    );
    expect(f.sim.group(f.blueGroup).instances.find((i) => i.id === kept)?.version).toBe(1);
  });

  test('protected-instances: refresh replaces it too; no warning', async () => {
    const f = blueGreenFixture({ instances: 3 });
    const kept = f.sim.group(f.blueGroup).instances[0]?.id ?? '';
    f.sim.setInstanceProtection(kept, true);
    const { report, log } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'rolling', {
        'launch-template-version': '2',
        'instance-warmup': '0',
        'protected-instances': 'refresh',
      }),
    );
    expect(report.result).toBe('deployed');
    expect(preferences(f)[0]).toMatchObject({ ScaleInProtectedInstances: 'Refresh' });
    expect(report.after[0]?.instances).toBe('v2 ×3');
    expect(log.lines.filter((l) => l.includes('runs launch template version'))).toEqual([]);
  });

  test('standby-instances: refresh is AWS Terminate (recreate); ignore leaves a Standby instance named', async () => {
    const f = blueGreenFixture({ instances: 3 });
    const parked = f.sim.group(f.blueGroup).instances[2]?.id ?? '';
    f.sim.enterStandby(parked);
    const { report } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'recreate', { 'launch-template-version': '2', 'standby-instances': 'refresh' }),
    );
    expect(report.result).toBe('deployed');
    expect(preferences(f)[0]).toMatchObject({
      StandbyInstances: 'Terminate',
      ScaleInProtectedInstances: 'Ignore',
    });
    f.sim.settle();
    expect(f.sim.group(f.blueGroup).instances.map((i) => i.id)).not.toContain(parked);

    const g = blueGreenFixture({ instances: 3 });
    const stays = g.sim.group(g.blueGroup).instances[2]?.id ?? '';
    g.sim.enterStandby(stays);
    const ignored = await deployOnSim(
      g.sim,
      singleGroupInputs(g, 'rolling', { 'launch-template-version': '2', 'instance-warmup': '0' }),
    );
    expect(ignored.report.result).toBe('deployed');
    expect(ignored.log.lines).toContainEqual(
      `warning: instance ${stays} of ${g.blueGroup} runs launch template version 1, not 2 (the group's): it is in Standby and standby-instances is ignore`,
    );
  });

  test('protected-instances: wait with a protection never removed: AWS fails the refresh after an hour and rolls back', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const kept = f.sim.group(f.blueGroup).instances[0]?.id ?? '';
    f.sim.setInstanceProtection(kept, true);
    const { report, log } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'rolling', {
        'launch-template-version': '2',
        'instance-warmup': '0',
        'protected-instances': 'wait',
        timeout: '2h',
      }),
    );
    expect(preferences(f)[0]).toMatchObject({ ScaleInProtectedInstances: 'Wait' });
    expect(
      log.lines.some((l) =>
        l.includes(`Waiting for 1 instance(s) protected from scale in or in Standby (${kept})`),
      ),
    ).toBe(true);
    expect(report.result).toBe('rolled-back');
    expect(report.outputs['rollback-reason']).toMatch(/not released within one hour/);
    f.sim.settle();
    expect(f.sim.group(f.blueGroup).instances.map((i) => i.version)).toEqual([1, 1]);
  });

  test('input values are checked before any call', async () => {
    const f = blueGreenFixture({ instances: 1 });
    await expect(
      deployOnSim(
        f.sim,
        singleGroupInputs(f, 'rolling', { 'launch-template-version': '2', 'standby-instances': 'Terminate' }),
      ),
    ).rejects.toThrow('standby-instances: must be');
    expect(f.sim.writes()).toEqual([]);
  });
});

describe('blue/green: the idle color and the previous fleet', () => {
  test('a protected instance in the idle color: refused before any write, naming it', async () => {
    const f = blueGreenFixture({ instances: 2, greenDesired: 2 });
    const held = f.sim.group(f.greenGroup).instances[0]?.id ?? '';
    f.sim.setInstanceProtection(held, true);
    const { report } = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }));
    expect(report.result).toBe('failed');
    expect(report.problems.join('\n')).toContain(`${held} (protected from scale in)`);
    expect(f.sim.writes()).toEqual([]);
  });

  test('a protected instance in the previous fleet: not waited for at scale-down, named in a warning', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const held = f.sim.group(f.blueGroup).instances[0]?.id ?? '';
    f.sim.setInstanceProtection(held, true);
    const { report, log } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '2', 'health-timeout': '10m' }),
    );
    expect(report.result).toBe('deployed');
    const scaleDown = report.steps.find((s) => s.id === 'scale-down-previous');
    expect(scaleDown?.status).toBe('done');
    expect(scaleDown?.detail).toContain(`1 protected/Standby instance(s) left: ${held}`);
    expect((scaleDown?.endedAt ?? 0) - (scaleDown?.startedAt ?? 0)).toBeLessThan(10 * 60_000);
    expect(
      log.lines.some((l) =>
        l.startsWith(`warning: instance ${held} of ${f.blueGroup} (blue, previous) was not scaled down`),
      ),
    ).toBe(true);
  });
});

describe('warm pools', () => {
  test('rolling: pre-flight reads the warm pool; the refresh replaces warm instances too, and the summary says so', async () => {
    const f = blueGreenFixture({ instances: 2 });
    f.sim.putWarmPool(f.blueGroup, { instances: 2 });
    const { report } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'rolling', { 'launch-template-version': '2', 'instance-warmup': '0' }),
    );
    expect(report.result).toBe('deployed');
    expect(f.sim.writes().some((w) => w.command === 'DescribeWarmPool')).toBe(false); // a read, not a write
    expect(report.details?.join('\n')).toMatch(
      /Warm pool of app-blue \(2 instance\(s\) before the run\): the Instance Refresh covers it/,
    );
    f.sim.settle();
    expect(f.sim.warmPoolInstances(f.blueGroup).map((i) => i.version)).toEqual([2, 2]);
  });

  test('blue/green: an idle warm pool holding old-version instances is refused before any write, naming the pool and the way out', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const warm = f.sim.putWarmPool(f.greenGroup, { instances: 2 });
    const { report } = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }));
    expect(report.result).toBe('failed');
    const text = report.problems.join('\n');
    expect(text).toContain(
      `green-auto-scaling-group: the warm pool of app-green holds 2 instance(s) prepared from launch template version 1 (${warm.join(', ')})`,
    );
    expect(text).toContain('delete-warm-pool --auto-scaling-group-name app-green --force-delete');
    expect(f.sim.writes()).toEqual([]);
  });

  test('the simulator draws a scale-out from the warm pool, old version included (why blue/green refuses it)', async () => {
    const f = blueGreenFixture({ instances: 1 });
    const [warm] = f.sim.putWarmPool(f.greenGroup, { instances: 1 });
    await f.sim.clients().autoScaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: f.greenGroup,
        LaunchTemplate: { LaunchTemplateId: f.launchTemplateId, Version: '2' },
        MinSize: 1,
        MaxSize: 1,
        DesiredCapacity: 1,
      }),
    );
    expect(f.sim.group(f.greenGroup).instances.map((i) => [i.id, i.version])).toEqual([[warm, 1]]);
  });
});
