import { ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { blueGreenFixture } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { blueGreenInputs, snapshot, trafficTargets } from './helpers/blue-green.js';

describe('blue/green on the simulated AWS', () => {
  test('deploys to the idle color, then the next run deploys back: colors alternate', async () => {
    const f = blueGreenFixture({ instances: 4, listeners: 2, stickiness: true });
    const stickinessBefore = f.sim.listenerActions(f.listenerArns[1]!)[0]?.ForwardConfig
      ?.TargetGroupStickinessConfig;

    const first = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '2', 'version-label': 'v2' }),
    );

    expect(first.report.result).toBe('deployed');
    expect(trafficTargets(f)).toEqual([[f.greenTargetGroupArn], [f.greenTargetGroupArn]]);
    expect(f.sim.listenerActions(f.listenerArns[1]!)[0]?.ForwardConfig?.TargetGroupStickinessConfig).toEqual(
      stickinessBefore,
    );
    expect(f.sim.group(f.greenGroup)).toMatchObject({
      min: 4,
      max: 4,
      desired: 4,
      launchTemplate: { version: '2' },
    });
    expect(f.sim.group(f.greenGroup).instances.every((i) => i.version === 2)).toBe(true);
    expect(f.sim.group(f.blueGroup)).toMatchObject({ min: 0, desired: 0, instances: [] });
    expect(first.report.outputs).toEqual({
      result: 'deployed',
      'active-color': 'green',
      'active-auto-scaling-group': f.greenGroup,
      'active-target-group-arn': f.greenTargetGroupArn,
      'previous-color': 'blue',
      'previous-auto-scaling-group': f.blueGroup,
      'version-label': 'v2',
      'previous-version-label': '',
      'launch-template-version': '2',
      'rollback-reason': '',
      'duration-seconds': expect.stringMatching(/^\d+$/),
    });

    const second = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '1' }));

    expect(second.report.result).toBe('deployed');
    expect(second.report.outputs).toMatchObject({ 'active-color': 'blue', 'previous-color': 'green' });
    expect(trafficTargets(f)).toEqual([[f.blueTargetGroupArn], [f.blueTargetGroupArn]]);
    expect(f.sim.group(f.blueGroup)).toMatchObject({ desired: 4, launchTemplate: { version: '1' } });
    expect(f.sim.group(f.greenGroup)).toMatchObject({ desired: 0 });
  });

  test('the live fleet serves every request until the new one is healthy: traffic moves only after 4/4 healthy', async () => {
    const f = blueGreenFixture({ instances: 4 });
    const { log } = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }));
    const modify = f.sim.writes().find((w) => w.command === 'ModifyListener');
    const lastHealthLine = log.lines.filter((l) => l.startsWith('green health')).pop();
    expect(lastHealthLine).toMatch(/^green health: 4\/4 healthy/);
    // the switch came after health was seen, and blue was never written before it (its lock tag aside)
    const blueWritesBeforeSwitch = f.sim.writes().filter(
      (w) =>
        w.seq < (modify?.seq ?? 0) &&
        w.command !== 'CreateOrUpdateTags' &&
        // holding blue's own scaling still (suspended processes) is no capacity change
        w.command !== 'SuspendProcesses' &&
        JSON.stringify(w.input).includes(f.blueGroup),
    );
    expect(blueWritesBeforeSwitch).toEqual([]);
  });

  test('green never healthy: the listener is untouched, green goes back to what it was, result rolled-back', async () => {
    const f = blueGreenFixture({ instances: 3 });
    const before = snapshot(f);

    const { report } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': String(f.badVersion), 'health-timeout': '3m' }),
    );

    expect(report.result).toBe('rolled-back');
    expect(report.outputs['rollback-reason']).toMatch(/green health: not reached within 3m.*unhealthy/);
    expect(f.sim.writes().filter((w) => w.command === 'ModifyListener')).toEqual([]);
    expect(snapshot(f)).toEqual(before);
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ['suspend-processes', 'undone'],
      ['prepare-idle', 'undone'],
      ['wait-healthy', 'failed'],
    ]);
  });

  test('a new instance turning unhealthy during the bake puts all traffic back on blue', async () => {
    const f = blueGreenFixture({ instances: 2, listeners: 2 });
    const before = snapshot(f);
    const controller = new AbortController();
    const inputs = blueGreenInputs(f, { 'launch-template-version': '2', 'bake-time': '5m' });
    const run = deployOnSim(f.sim, inputs, { signal: controller.signal });
    // when the bake starts, make one green instance fail its health checks
    const started = f.sim.clock.now();
    while (
      !f.sim.writes().some((w) => w.command === 'ModifyListener') &&
      f.sim.clock.now() - started < 3_600_000
    ) {
      await new Promise((r) => setImmediate(r));
    }
    const victim = f.sim.group(f.greenGroup).instances[0]?.id ?? '';
    f.sim.markInstanceUnhealthy(victim);
    const { report } = await run;

    expect(report.result).toBe('rolled-back');
    expect(report.reason).toContain(`instance ${victim} is unhealthy`);
    expect(snapshot(f)).toEqual(before);
    expect(f.sim.group(f.blueGroup).instances.map((i) => i.lifecycle)).toEqual(['InService', 'InService']);
  });

  test('deploying an image creates a launch template version from the live one; a failed deploy deletes it', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const ok = await deployOnSim(f.sim, blueGreenInputs(f, { 'image-id': 'ami-0123456789abcdef0' }));
    expect(ok.report.result).toBe('deployed');
    expect(ok.report.outputs['launch-template-version']).toBe('4');
    expect(f.sim.launchTemplateVersions(f.launchTemplateId)).toEqual([1, 2, 3, 4]);

    // boot (30 s) + 3 health checks (30 s) cannot fit in 40 s
    const failed = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'image-id': 'ami-0fedcba9876543210', 'health-timeout': '40s' }),
    );
    expect(failed.report.result).toBe('rolled-back');
    expect(f.sim.launchTemplateVersions(f.launchTemplateId)).toEqual([1, 2, 3, 4]);
    expect(f.sim.group(f.blueGroup).launchTemplate.version).toBe('1');
  });

  test('previous-fleet keep leaves the old color running; the next deploy replaces every kept instance', async () => {
    const f = blueGreenFixture({ instances: 2 });
    await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '2', 'previous-fleet': 'keep' }),
    );
    const kept = f.sim.group(f.blueGroup).instances.map((i) => i.id);
    expect(kept).toHaveLength(2);

    const { report } = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '1' }));

    expect(report.result).toBe('deployed');
    const now = f.sim.group(f.blueGroup).instances;
    expect(now.map((i) => i.id).filter((id) => kept.includes(id))).toEqual([]);
    expect(now.every((i) => i.version === 1 && i.lifecycle === 'InService')).toBe(true);
    expect(report.steps.map((s) => s.id)).toContain('empty-idle');
  });

  test('a cancel while waiting for health rolls back at once', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const before = snapshot(f);
    const controller = new AbortController();
    const run = deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }), {
      signal: controller.signal,
    });
    while (!f.sim.writes().some((w) => w.command === 'UpdateAutoScalingGroup'))
      await new Promise((r) => setImmediate(r));
    const cancelledAt = f.sim.clock.now();
    controller.abort(new Error('the run was cancelled (SIGINT)'));
    const { report } = await run;

    expect(report.result).toBe('rolled-back');
    expect(report.reason).toContain('cancelled');
    expect(snapshot(f)).toEqual(before);
    expect(f.sim.clock.now() - cancelledAt).toBeLessThan(10_000);
  });

  test('the whole deployment is bounded by timeout', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const { report } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, {
        'launch-template-version': '2',
        timeout: '3m',
        'health-timeout': '3m',
        'bake-time': '2m50s',
      }),
    );
    expect(report.result).toBe('rolled-back');
    expect(report.reason).toMatch(/deployment timeout/);
    expect(trafficTargets(f)).toEqual([[f.blueTargetGroupArn]]);
  });

  test('auto-rollback false leaves the failed state for a person to inspect', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const { report } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, {
        'launch-template-version': '3',
        'health-timeout': '2m',
        'auto-rollback': 'false',
      }),
    );
    expect(report.result).toBe('failed');
    expect(f.sim.group(f.greenGroup)).toMatchObject({ desired: 2, launchTemplate: { version: '3' } });
    expect(trafficTargets(f)).toEqual([[f.blueTargetGroupArn]]);
  });

  test('a listener that names only blue gets green at weight 0 first, so green is health-checked before traffic', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const listener = f.listenerArns[0]!;
    await f.sim.clients().elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: listener,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: f.blueTargetGroupArn }],
      }),
    );
    const original = f.sim.listenerActions(listener);

    const { report } = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }));

    expect(report.result).toBe('deployed');
    expect(report.steps[1]).toMatchObject({ id: 'reference-idle', status: 'done' });
    expect(trafficTargets(f)).toEqual([[f.greenTargetGroupArn]]);
    expect(original[0]?.TargetGroupArn).toBe(f.blueTargetGroupArn);
  });

  test('listener rules move together with listeners', async () => {
    const f = blueGreenFixture({ instances: 2, listeners: 1, rules: 2 });
    const { report } = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }));
    expect(report.result).toBe('deployed');
    expect(trafficTargets(f)).toEqual([
      [f.greenTargetGroupArn],
      [f.greenTargetGroupArn],
      [f.greenTargetGroupArn],
    ]);
  });

  test('deploying what already serves changes nothing', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const { report } = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '1' }));
    expect(report.result).toBe('unchanged');
    expect(f.sim.writes()).toEqual([]);
  });
});
