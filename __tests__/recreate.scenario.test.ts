import { blueGreenFixture } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { observe, singleGroupInputs } from './helpers/single-group.js';

describe('recreate (stop-the-world) on the simulated AWS', () => {
  test('listeners serve the maintenance response while every instance is replaced, and their exact actions after', async () => {
    const f = blueGreenFixture({ instances: 4, listeners: 2, stickiness: true });
    const original = f.listenerArns.map((arn) => f.sim.listenerActions(arn));
    const watch = observe(f);
    const { report } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'recreate', {
        'launch-template-version': '2',
        'maintenance-response': '503:back soon',
      }),
    );
    watch.stop();

    expect(report.result).toBe('deployed');
    expect(f.listenerArns.map((arn) => f.sim.listenerActions(arn))).toEqual(original);
    // While the fleet is short of its 4 instances (old ones gone, new ones booting), the maintenance response is up.
    const down = watch.samples.filter((s) => s.inService < 4);
    expect(down.length).toBeGreaterThan(0);
    expect(down.every((s) => s.listenerTypes.every((t) => t === 'fixed-response'))).toBe(true);
    expect(f.sim.group(f.blueGroup).launchTemplate.version).toBe('2');
    f.sim.settle();
    expect(f.sim.group(f.blueGroup).instances.map((i) => i.version)).toEqual([2, 2, 2, 2]);
    expect(report.outputs['instance-refresh-id']).toMatch(/^[0-9a-f-]{36}$/);
    const maintenance = f.sim.writes().find((w) => w.command === 'ModifyListener')?.input as {
      DefaultActions: unknown[];
    };
    expect(maintenance.DefaultActions).toEqual([
      {
        Type: 'fixed-response',
        FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'back soon' },
      },
    ]);
    // new targets were health-checked during maintenance: every instance healthy before the listeners came back
    expect(report.steps.find((x) => x.id === 'replace-all')?.detail).toMatch(/4\/4 healthy$/);
    expect(report.steps.map((x) => x.id)).toEqual([
      'suspend-processes',
      'health-check-rules',
      'maintenance-on',
      'replace-all',
      'maintenance-off',
      'record-deployment',
      'remove-health-check-rules',
    ]);
    // the health-check rule is gone again: only the fixture's rules remain
    expect(
      f.sim
        .writes()
        .filter((w) => w.command === 'CreateRule' || w.command === 'DeleteRule')
        .map((w) => w.command),
    ).toEqual(['CreateRule', 'DeleteRule']);
  });

  test('a version that never gets healthy: the previous version comes back, then the exact listeners; rolled-back', async () => {
    const f = blueGreenFixture({ instances: 3 });
    const original = f.sim.listenerActions(f.listenerArns[0]!);
    const watch = observe(f);
    const { report } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'recreate', {
        'launch-template-version': String(f.badVersion),
        'health-timeout': '5m',
      }),
    );
    watch.stop();

    expect(report.result).toBe('rolled-back');
    expect(f.sim.listenerActions(f.listenerArns[0]!)).toEqual(original);
    expect(f.sim.group(f.blueGroup).launchTemplate.version).toBe('1');
    f.sim.settle();
    expect(f.sim.group(f.blueGroup).instances.map((i) => i.version)).toEqual([1, 1, 1]);
    // the broken fleet never served: the maintenance response stayed on until the old version was back
    const phases = watch.samples
      .map((x) => x.listenerTypes.join())
      .filter((t, i, all) => i === 0 || all[i - 1] !== t);
    expect(phases).toEqual(['forward', 'fixed-response']);
    // its failure was seen through real load balancer health, via the rule that kept the group in use
    expect(report.reason).toMatch(/health/);
    expect(f.sim.writes().filter((w) => w.command === 'CreateRule')).toHaveLength(1);
    expect(f.sim.writes().filter((w) => w.command === 'DeleteRule')).toHaveLength(1);
    // one write to serve the 503, one to restore: the rollback writes the listener once
    expect(f.sim.writes().filter((w) => w.command === 'ModifyListener')).toHaveLength(2);
  });

  test('without auto-rollback a failure still ends with the listeners restored', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const original = f.sim.listenerActions(f.listenerArns[0]!);
    const { report } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'recreate', {
        'launch-template-version': String(f.badVersion),
        'auto-rollback': 'false',
        'health-timeout': '5m',
      }),
    );
    expect(report.result).toBe('failed');
    expect(f.sim.listenerActions(f.listenerArns[0]!)).toEqual(original);
  });

  test('a cancel during the replacement rolls back and restores the listeners', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const original = f.sim.listenerActions(f.listenerArns[0]!);
    const controller = new AbortController();
    f.sim.clock.schedule(f.sim.clock.now() + 20_000, () => controller.abort(new Error('cancelled by test')));
    const { report } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'recreate', { 'launch-template-version': '2' }),
      { signal: controller.signal },
    );
    expect(report.result).toBe('rolled-back');
    expect(f.sim.listenerActions(f.listenerArns[0]!)).toEqual(original);
    expect(f.sim.group(f.blueGroup).launchTemplate.version).toBe('1');
  });

  test('image-id: a launch template version is made from the group’s current one', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const { report } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'recreate', { 'image-id': 'ami-0123456789abcdef0' }),
    );
    expect(report.result).toBe('deployed');
    expect(report.outputs['launch-template-version']).toBe('4');
    expect(f.sim.group(f.blueGroup).launchTemplate.version).toBe('4');
  });
});

describe('recreate watches alarm-names', () => {
  test('an alarm going to ALARM during the bake rolls back to the previous version, listeners exact', async () => {
    const f = blueGreenFixture({ instances: 2 });
    f.sim.createAlarm('app-5xx');
    const original = f.sim.listenerActions(f.listenerArns[0]!);
    const started = f.sim.clock.now();
    // the fleet is replaced and healthy within a few minutes; the alarm fires during the 10 min bake
    f.sim.setAlarmState('app-5xx', 'ALARM', started + 8 * 60_000);
    const { report } = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'recreate', {
        'launch-template-version': '2',
        'bake-time': '10m',
        'alarm-names': 'app-5xx',
      }),
    );
    expect(report.result).toBe('rolled-back');
    expect(report.reason).toMatch(/alarm "app-5xx" is in ALARM/);
    expect(f.sim.listenerActions(f.listenerArns[0]!)).toEqual(original);
    f.sim.settle();
    expect(f.sim.group(f.blueGroup).launchTemplate.version).toBe('1');
    expect(f.sim.group(f.blueGroup).instances.map((i) => i.version)).toEqual([1, 1]);
  });

  test.each(['rolling', 'recreate'] as const)(
    '%s: an alarm that does not exist is refused before any write',
    async (strategy) => {
      const f = blueGreenFixture({ instances: 2 });
      const { report } = await deployOnSim(
        f.sim,
        singleGroupInputs(f, strategy, {
          'launch-template-version': '2',
          'alarm-names': 'no-such-alarm',
          'bake-time': '1m',
        }),
      );
      expect(report.result).toBe('failed');
      expect(report.problems.join('\n')).toContain('alarm-names: no CloudWatch alarm named "no-such-alarm"');
      expect(f.sim.writes()).toEqual([]);
    },
  );
});

test('recreate: when AWS cannot roll back either, the listeners still get their exact actions back', async () => {
  const f = blueGreenFixture({ instances: 2 });
  const original = f.sim.listenerActions(f.listenerArns[0]!);
  // the version running now fails its health checks too: AWS's rollback of the refresh fails
  f.sim.markVersionUnhealthy(f.launchTemplateId, 1);
  const { report } = await deployOnSim(
    f.sim,
    singleGroupInputs(f, 'recreate', {
      'launch-template-version': String(f.badVersion),
      'health-timeout': '5m',
    }),
  );
  expect(report.result).toBe('failed');
  expect(report.rollbackIncomplete).toBe(true);
  expect(report.steps.find((s) => s.id === 'replace-all')?.status).toBe('undo-failed');
  expect(f.sim.listenerActions(f.listenerArns[0]!)).toEqual(original);
  expect(f.sim.writes().filter((w) => w.command === 'DeleteRule')).toHaveLength(1);
});
