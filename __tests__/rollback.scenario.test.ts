import { ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { type BlueGreenFixture, blueGreenFixture } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { blueGreenInputs, snapshot, trafficTargets } from './helpers/blue-green.js';

/** Blue serves v1; a deploy of v2 (launch template version 2) moved traffic to green. */
async function deployedV2(previousFleet: 'keep' | 'scale-down'): Promise<BlueGreenFixture> {
  const f = blueGreenFixture({ instances: 3 });
  // the first deploy of the action: v1 on blue is recorded as the previous deployment
  const v1 = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '1' }));
  expect(v1.report.result).toBe('unchanged');
  const v2 = await deployOnSim(
    f.sim,
    blueGreenInputs(f, {
      'launch-template-version': '2',
      'version-label': 'v2',
      'previous-fleet': previousFleet,
    }),
  );
  expect(v2.report.result).toBe('deployed');
  expect(trafficTargets(f)).toEqual([[f.greenTargetGroupArn]]);
  return f;
}

const rollback = (f: BlueGreenFixture, extra: Record<string, string> = {}) =>
  blueGreenInputs(f, { mode: 'rollback', ...extra });

describe('mode: rollback (blue/green)', () => {
  test('after a deploy that kept the old fleet: traffic goes straight back to its instances, green is scaled down', async () => {
    const f = await deployedV2('keep');
    const blueInstances = f.sim.group(f.blueGroup).instances.map((i) => i.id);
    const from = f.sim.writes().length;

    const { report } = await deployOnSim(f.sim, rollback(f), {
      requestedReason: 'checkout errors at 3 a.m.',
    });

    expect(report.result).toBe('rolled-back');
    expect(trafficTargets(f)).toEqual([[f.blueTargetGroupArn]]);
    // the kept instances serve again: blue was not touched at all
    expect(f.sim.group(f.blueGroup).instances.map((i) => i.id)).toEqual(blueInstances);
    const commands = f.sim
      .writes()
      .slice(from)
      .map((w) =>
        `${w.command} ${(w.input as { AutoScalingGroupName?: string }).AutoScalingGroupName ?? ''}`.trim(),
      );
    expect(commands).toEqual([
      'CreateOrUpdateTags', // lock
      `SuspendProcesses ${f.blueGroup}`,
      `SuspendProcesses ${f.greenGroup}`,
      'ModifyListener',
      'CreateOrUpdateTags', // record
      `UpdateAutoScalingGroup ${f.greenGroup}`,
      `ResumeProcesses ${f.blueGroup}`,
      `ResumeProcesses ${f.greenGroup}`,
      'DeleteTags', // lock released
    ]);
    expect(f.sim.group(f.greenGroup)).toMatchObject({ desired: 0, instances: [] });
    expect(report.headline).toBe(
      'from v2 (green, launch template version 2) to unlabelled version (blue, launch template version 1)',
    );
    expect(report.outputs).toMatchObject({
      result: 'rolled-back',
      'active-color': 'blue',
      'previous-color': 'green',
      'version-label': '',
      'previous-version-label': 'v2',
      'launch-template-version': '1',
      'rollback-reason': 'checkout errors at 3 a.m.',
    });
    // the record now says blue serves and green served before: a second rollback goes forward again
    const tags = f.sim.groupTags(f.blueGroup);
    expect(tags).toMatchObject({
      'asg-deploy:color': 'blue',
      'asg-deploy:launch-template': `${f.launchTemplateId}:1`,
      'asg-deploy:previous-color': 'green',
      'asg-deploy:previous-version-label': 'v2',
    });
    expect(tags['asg-deploy:lock']).toBeUndefined();
  });

  test('after a deploy that scaled the old fleet down: blue is scaled up with its recorded version, healthy before traffic moves', async () => {
    const f = await deployedV2('scale-down');
    expect(f.sim.group(f.blueGroup)).toMatchObject({ desired: 0 });
    const from = f.sim.writes().length;

    const { report, log } = await deployOnSim(f.sim, rollback(f));

    expect(report.result).toBe('rolled-back');
    expect(report.outputs['rollback-reason']).toBe('manual rollback (mode: rollback)');
    expect(trafficTargets(f)).toEqual([[f.blueTargetGroupArn]]);
    expect(f.sim.group(f.blueGroup)).toMatchObject({
      min: 3,
      max: 3,
      desired: 3,
      launchTemplate: { version: '1' },
    });
    expect(f.sim.group(f.blueGroup).instances.every((i) => i.version === 1)).toBe(true);
    expect(f.sim.group(f.greenGroup)).toMatchObject({ desired: 0 });
    const writes = f.sim.writes().slice(from);
    const scaleUp = writes.findIndex((w) => w.command === 'UpdateAutoScalingGroup');
    const shift = writes.findIndex((w) => w.command === 'ModifyListener');
    expect(scaleUp).toBeGreaterThan(0);
    expect(shift).toBeGreaterThan(scaleUp);
    expect(log.lines.filter((l) => l.startsWith('blue health')).pop()).toMatch(/^blue health: 3\/3 healthy/);
  });

  test('from a half-shifted listener: traffic returns to the color the record says was last good', async () => {
    const f = await deployedV2('keep');
    // a later deploy back to blue was interrupted mid-shift: both colors weighted
    await f.sim.clients().elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: f.listenerArns[0],
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: f.blueTargetGroupArn, Weight: 30 },
                { TargetGroupArn: f.greenTargetGroupArn, Weight: 70 },
              ],
            },
          },
        ],
      }),
    );
    const refused = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '1' }));
    expect(refused.report.result).toBe('failed');
    expect(refused.report.reason).toMatch(/mode: rollback/);

    const { report } = await deployOnSim(f.sim, rollback(f));

    expect(report.result).toBe('rolled-back');
    expect(report.headline).toBe(
      'from an unfinished deploy (blue 30 % / green 70 %) to v2 (green, launch template version 2)',
    );
    expect(trafficTargets(f)).toEqual([[f.greenTargetGroupArn]]);
    expect(f.sim.group(f.greenGroup)).toMatchObject({ desired: 3, launchTemplate: { version: '2' } });
    expect(f.sim.group(f.blueGroup)).toMatchObject({ desired: 0 });
    expect(report.outputs).toMatchObject({ 'active-color': 'green', 'version-label': 'v2' });
  });

  test('with no deployment record: a clear failure and no write at all', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const before = snapshot(f);

    const { report } = await deployOnSim(f.sim, rollback(f));

    expect(report.result).toBe('failed');
    expect(report.reason).toMatch(
      /no deployment record on app-blue or app-green.*no recorded version to roll back to/,
    );
    expect(f.sim.writes()).toEqual([]);
    expect(snapshot(f)).toEqual(before);
  });

  test('a second rollback goes forward again: the record swaps current and previous', async () => {
    const f = await deployedV2('keep');
    expect((await deployOnSim(f.sim, rollback(f))).report.result).toBe('rolled-back');
    expect((await deployOnSim(f.sim, rollback(f))).report.result).toBe('rolled-back');
    expect(trafficTargets(f)).toEqual([[f.greenTargetGroupArn]]);
  });
});
