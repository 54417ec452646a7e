import { blueGreenFixture } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { observe, singleGroupInputs } from './helpers/single-group.js';

/** Writes other than the deployment lock and record (tags). */
const groupWrites = (f: ReturnType<typeof blueGreenFixture>) =>
  f.sim
    .writes()
    .map((w) => w.command)
    .filter((c) => c !== 'CreateOrUpdateTags' && c !== 'DeleteTags');

describe('rolling (Instance Refresh) on the simulated AWS', () => {
  test('in-service capacity stays within min and max healthy at every instant; the launch template changes only at the end', async () => {
    const f = blueGreenFixture({ instances: 6 });
    const watch = observe(f);
    const { report, log } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'rolling', {
        'launch-template-version': '2',
        'min-healthy-percent': '50',
        'max-healthy-percent': '150',
        'instance-warmup': '30',
        'version-label': 'v2',
      }),
    );
    watch.stop();

    expect(report.result).toBe('deployed');
    expect(report.outputs).toMatchObject({
      result: 'deployed',
      'active-auto-scaling-group': f.blueGroup,
      'launch-template-version': '2',
      'instance-refresh-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
      'version-label': 'v2',
    });
    const { samples } = watch;
    expect(Math.min(...samples.map((s) => s.healthy))).toBeGreaterThanOrEqual(3);
    expect(Math.max(...samples.map((s) => s.inService))).toBeLessThanOrEqual(9);
    expect(Math.max(...samples.map((s) => s.inService))).toBeGreaterThan(6); // launched before terminating
    const firstNew = samples.findIndex((s) => s.launchTemplateVersion === '2');
    expect(samples.slice(firstNew).every((s) => s.launchTemplateVersion === '2')).toBe(true);
    f.sim.settle();
    expect(f.sim.group(f.blueGroup).instances.map((i) => i.version)).toEqual([2, 2, 2, 2, 2, 2]);
    // the group itself was never written: only StartInstanceRefresh (and the lock and record tags),
    // inside the suspension of its own scaling
    expect(groupWrites(f)).toEqual(['SuspendProcesses', 'StartInstanceRefresh', 'ResumeProcesses']);
    expect(log.lines.filter((l) => l.startsWith('instance refresh ')).length).toBeGreaterThan(3);
    expect(report.details?.[0]).toMatch(/Successful, 100 %/);
  });

  test('replacements never healthy: AWS rolls back, the group is unchanged, result rolled-back', async () => {
    const f = blueGreenFixture({ instances: 4 });
    const before = f.sim.group(f.blueGroup);
    const { report } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'rolling', {
        'launch-template-version': String(f.badVersion),
        'instance-warmup': '0',
      }),
    );

    expect(report.result).toBe('rolled-back');
    expect(report.outputs['rollback-reason']).toMatch(
      /failed and AWS is rolling it back: .*failed health checks/,
    );
    expect(report.steps.find((s) => s.id === 'instance-refresh')).toMatchObject({
      status: 'undone',
      undoDetail: expect.stringMatching(/AWS rolled back instance refresh .*RollbackSuccessful/),
    });
    f.sim.settle();
    const after = f.sim.group(f.blueGroup);
    expect(after.launchTemplate).toEqual(before.launchTemplate);
    expect(after.instances.map((i) => i.version)).toEqual([1, 1, 1, 1]);
    expect(groupWrites(f)).toEqual(['SuspendProcesses', 'StartInstanceRefresh', 'ResumeProcesses']);
  });

  test('a deployment timeout asks AWS to roll the refresh back and waits for it', async () => {
    const f = blueGreenFixture({ instances: 4 });
    const { report } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'rolling', {
        'launch-template-version': '2',
        checkpoints: '50,100',
        'checkpoint-delay': '1h',
        timeout: '20m',
        'health-timeout': '10m',
      }),
    );
    expect(report.result).toBe('rolled-back');
    expect(groupWrites(f)).toEqual([
      'SuspendProcesses',
      'StartInstanceRefresh',
      'RollbackInstanceRefresh',
      'ResumeProcesses',
    ]);
    f.sim.settle();
    expect(f.sim.group(f.blueGroup).instances.map((i) => i.version)).toEqual([1, 1, 1, 1]);
    expect(f.sim.group(f.blueGroup).launchTemplate.version).toBe('1');
  });

  test('checkpoints: progress pauses at each checkpoint for the delay', async () => {
    const f = blueGreenFixture({ instances: 4 });
    const { report, log } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'rolling', {
        'launch-template-version': '2',
        'min-healthy-percent': '50',
        'instance-warmup': '0',
        checkpoints: '50,100',
        'checkpoint-delay': '15m',
      }),
    );
    expect(report.result).toBe('deployed');
    const waiting = log.lines.filter((l) => /Waiting for checkpoint 50 %/.test(l));
    // one line per 10 s poll through a 15 minute pause, all at 50 %
    expect(waiting.length).toBeGreaterThanOrEqual(85);
    expect(waiting.every((l) => / 50 %/.test(l))).toBe(true);
    expect(report.endedAt - report.startedAt).toBeGreaterThan(15 * 60_000);
  });

  test('pre-flight: a refresh in progress (its id and status), no instances, a missing version: refused with zero writes', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const id = f.sim.startInstanceRefreshForTest(f.blueGroup);
    const busy = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'rolling', { 'launch-template-version': '9' }),
    );
    expect(busy.report.result).toBe('failed');
    expect(busy.report.problems).toEqual([
      expect.stringContaining(`instance refresh ${id} is InProgress`),
      expect.stringContaining('has no version 9'),
    ]);
    const empty = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'rolling', { 'auto-scaling-group': f.greenGroup, 'launch-template-version': '2' }),
    );
    expect(empty.report.problems).toEqual([expect.stringContaining('has no instances')]);
    expect(f.sim.writes()).toEqual([]);
  });

  test('warns when the group uses EC2 health checks while attached to a target group', async () => {
    const f = blueGreenFixture({ instances: 2 });
    await f.sim.clients().autoScaling.send(
      new (await import('@aws-sdk/client-auto-scaling')).UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: f.blueGroup,
        HealthCheckType: 'EC2',
      }),
    );
    const { log } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'rolling', { 'launch-template-version': '2', 'instance-warmup': '0' }),
    );
    expect(log.lines).toContainEqual(expect.stringMatching(/^warning: .*EC2 health check type/));
  });
});

describe('rolling: the refresh this run started is the one it follows and undoes', () => {
  test('a StartInstanceRefresh whose answer was lost is adopted, not failed and not started twice', async () => {
    const f = blueGreenFixture({ instances: 2 });
    // the SDK retries the lost start; AWS refuses the retry as "in progress"
    const inputs = singleGroupInputs(f, 'rolling', {
      'launch-template-version': '2',
      'instance-warmup': '0',
    });
    const probe = blueGreenFixture({ instances: 2 });
    await deployOnSim(
      probe.sim,
      singleGroupInputs(probe, 'rolling', { 'launch-template-version': '2', 'instance-warmup': '0' }),
    );
    const startCall = probe.sim.calls.find((c) => c.command === 'StartInstanceRefresh')?.seq ?? 0;
    f.sim.injectFault({ atCall: startCall, kind: 'lost-response' });

    const { report, log } = await deployOnSim(f.sim, inputs);

    expect(report.result).toBe('deployed');
    expect(log.lines.some((l) => l.includes('answer was lost; continuing with refresh'))).toBe(true);
    const started = f.sim.calls.filter((c) => c.command === 'StartInstanceRefresh');
    expect(started.map((c) => c.fault)).toEqual(['lost-response', undefined]);
    expect(f.sim.group(f.blueGroup).launchTemplate.version).toBe('2');
  });

  test('a cancel before the start was answered still undoes the new refresh, and never an older one', async () => {
    const f = blueGreenFixture({ instances: 2 });
    // an earlier, finished refresh on the group must not be mistaken for this run's
    await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'rolling', { 'launch-template-version': '2', 'instance-warmup': '0' }),
    );
    const earlier = f.sim.calls.filter((c) => c.command === 'StartInstanceRefresh').length;
    const controller = new AbortController();
    const run = deployOnSim(
      f.sim,
      singleGroupInputs(f, 'rolling', { 'launch-template-version': '1', 'instance-warmup': '0' }),
      { signal: controller.signal },
    );
    while (f.sim.calls.filter((c) => c.command === 'StartInstanceRefresh').length === earlier) {
      await new Promise((r) => setImmediate(r));
    }
    controller.abort(new Error('the run was cancelled (SIGINT)'));
    const { report } = await run;

    expect(report.result).toBe('rolled-back');
    expect(f.sim.writes().filter((w) => w.command === 'StartInstanceRefresh')).toHaveLength(earlier + 1);
    expect(f.sim.writes().filter((w) => w.command === 'RollbackInstanceRefresh')).toHaveLength(1);
    f.sim.settle();
    expect(f.sim.group(f.blueGroup).launchTemplate.version).toBe('2');
  });
});
