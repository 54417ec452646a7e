import { blueGreenFixture } from '../sim/index.js';
import { deployOnSim, postOnSim } from '../sim/run-on-sim.js';
import type { StateName } from '../src/state/saved-run.js';
import { killable } from './helpers/killable.js';
import { singleGroupInputs } from './helpers/single-group.js';

/**
 * Rolling and recreate cancelled and killed right after each write lands (its
 * answer lost), then the post step with the saved state: the group ends on its
 * original version, the listeners on their exact actions, no lock left.
 */
describe.each(['rolling', 'recreate'] as const)('%s killed mid-deploy, then post', (strategy) => {
  const inputs = (f: ReturnType<typeof blueGreenFixture>) =>
    singleGroupInputs(f, strategy, { 'launch-template-version': '2', 'instance-warmup': '0' });
  const baseline = (async () => {
    const f = blueGreenFixture({ instances: 2, listeners: 1 });
    await deployOnSim(f.sim, inputs(f));
    return f.sim.writes().map((w) => w.command);
  })();

  test('after every write before the record: back to the original', async () => {
    const writes = await baseline;
    const record = writes.lastIndexOf('CreateOrUpdateTags'); // the record (0-based), after the last deploy write
    expect(record).toBeGreaterThan(1);
    for (let n = 1; n <= record; n++) {
      const f = blueGreenFixture({ instances: 2, listeners: 1 });
      f.sim.suspendProcessesForTest(f.blueGroup, ['AZRebalance']); // the team's own: kept
      const listener = f.sim.listenerActions(f.listenerArns[0]!);
      const switchboard = killable(f, n);
      const controller = new AbortController();
      const state = new Map<StateName, string>();
      let cancelled!: () => void;
      const killed = new Promise<void>((resolve) => (cancelled = resolve));
      switchboard.control.onKill = () => {
        controller.abort(new Error('the run was cancelled (SIGINT)'));
        cancelled();
      };
      const main = deployOnSim(f.sim, inputs(f), { aws: switchboard.aws, signal: controller.signal, state });
      const ended = await Promise.race([killed.then(() => 'killed'), main.then(() => 'finished')]);
      expect({ n, ended }).toEqual({ n, ended: 'killed' });

      const post = await postOnSim(f.sim, state);
      f.sim.settle();

      const where = `killed after write ${n} (${writes[n - 1]!})`;
      expect({ where, version: f.sim.group(f.blueGroup).launchTemplate.version }).toEqual({
        where,
        version: '1',
      });
      expect({ where, instances: f.sim.group(f.blueGroup).instances.map((i) => i.version) }).toEqual({
        where,
        instances: [1, 1],
      });
      expect({ where, listener: f.sim.listenerActions(f.listenerArns[0]!) }).toEqual({ where, listener });
      expect({ where, suspended: f.sim.suspendedProcesses(f.blueGroup) }).toEqual({
        where,
        suspended: ['AZRebalance'],
      });
      expect({ where, lock: f.sim.groupTags(f.blueGroup)['asg-deploy:lock'] }).toEqual({
        where,
        lock: undefined,
      });
      expect(post?.released).toEqual(n === 1 || writes[n - 1] !== 'DeleteTags' ? [f.blueGroup] : []);
    }
  });
});

test('recreate with auto-rollback false, killed during the replacement: post still takes the 503 down', async () => {
  const f = blueGreenFixture({ instances: 2, listeners: 1 });
  const listener = f.sim.listenerActions(f.listenerArns[0]!);
  const inputs = singleGroupInputs(f, 'recreate', {
    'launch-template-version': '2',
    'auto-rollback': 'false',
  });
  // writes: lock, SuspendProcesses, health-check rule, 503, StartInstanceRefresh: killed once the refresh started
  const switchboard = killable(f, 5);
  const controller = new AbortController();
  const state = new Map<StateName, string>();
  let cancelled!: () => void;
  const killed = new Promise<void>((resolve) => (cancelled = resolve));
  switchboard.control.onKill = () => {
    controller.abort(new Error('the run was cancelled (SIGINT)'));
    cancelled();
  };
  const main = deployOnSim(f.sim, inputs, { aws: switchboard.aws, signal: controller.signal, state });
  expect(await Promise.race([killed.then(() => 'killed'), main.then(() => 'finished')])).toBe('killed');
  expect(f.sim.listenerActions(f.listenerArns[0]!)[0]?.Type).toBe('fixed-response');

  const post = await postOnSim(f.sim, state);

  expect(f.sim.listenerActions(f.listenerArns[0]!)).toEqual(listener);
  expect(f.sim.suspendedProcesses(f.blueGroup)).toEqual([]); // the run's suspension never outlives it
  expect(post?.log.lines.join('\n')).toMatch(/auto-rollback is false/);
  // the refresh itself is left to run: auto-rollback false leaves the deploy's own changes alone
  expect(f.sim.writes().filter((w) => w.command === 'RollbackInstanceRefresh')).toEqual([]);
});
