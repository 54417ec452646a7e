import { gateways } from '../src/aws/index.js';
import { blueGreenFixture } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { lockTags, newLock } from '../src/state/lock.js';
import { blueGreenInputs, snapshot } from './helpers/blue-green.js';

const runA = { runId: '1001', attempt: 1, runUrl: 'https://github.com/acme/shop/actions/runs/1001' };
const runB = { runId: '2002', attempt: 1, runUrl: 'https://github.com/acme/shop/actions/runs/2002' };

describe('the deployment lock (asg-deploy:lock)', () => {
  test('two deploys started together on the same fleet: exactly one writes, the other fails naming the holder', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const inputs = blueGreenInputs(f, { 'launch-template-version': '2' });

    const [a, b] = await Promise.all([
      deployOnSim(f.sim, inputs, { run: runA }),
      deployOnSim(f.sim, inputs, { run: runB }),
    ]);

    const results = [a.report.result, b.report.result].sort();
    expect(results).toEqual(['deployed', 'failed']);
    const [winner, loser, loserRun, winnerRun] =
      a.report.result === 'deployed' ? [a, b, runB, runA] : [b, a, runA, runB];
    expect(loser.report.reason).toContain('another deployment took the lock at the same time');
    expect(loser.report.reason).toContain(`run ${winnerRun.runId} (${winnerRun.runUrl})`);
    expect(loser.report.steps).toEqual([]);
    // the loser's only write is its own lock tag (overwritten by the winner); every other write is the winner's
    const loserWrites = f.sim
      .writes()
      .filter((w) => JSON.stringify(w.input).includes(`run=${loserRun.runId} `));
    expect(loserWrites.map((w) => w.command)).toEqual(['CreateOrUpdateTags']);
    expect(winner.report.steps.map((s) => s.status)).toEqual([
      'done',
      'done',
      'done',
      'done',
      'done',
      'done',
    ]);
    expect(f.sim.groupTags(f.blueGroup)['asg-deploy:lock']).toBeUndefined();
    expect(f.sim.groupTags(f.greenGroup)['asg-deploy:lock']).toBeUndefined();
  });

  test('a lock held by another running deploy: fails before any write, naming the run that holds it', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const holder = newLock(runA, '1001.1.abcdef12', f.sim.clock.now() + 20 * 60_000);
    await gateways(f.sim.clients()).autoScaling.putTags([f.greenGroup], lockTags(holder));
    const writesBefore = f.sim.writes().length;
    const before = snapshot(f);

    const { report } = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }), {
      run: runB,
    });

    expect(report.result).toBe('failed');
    expect(report.reason).toMatch(
      /app-green is locked by another deployment: run 1001 \(https:\/\/github\.com\/acme\/shop\/actions\/runs\/1001\), until .* UTC\. Nothing was changed/,
    );
    expect(f.sim.writes().length).toBe(writesBefore);
    expect(snapshot(f)).toEqual(before);
    expect(f.sim.groupTags(f.greenGroup)['asg-deploy:lock']).toContain('token=1001.1.abcdef12');
  });

  test('an expired lock is taken over with a warning, then released', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const stale = newLock(runA, '1001.1.abcdef12', f.sim.clock.now() - 1000);
    await gateways(f.sim.clients()).autoScaling.putTags([f.blueGroup, f.greenGroup], lockTags(stale));

    const { report, log } = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }), {
      run: runB,
    });

    expect(report.result).toBe('deployed');
    expect(log.lines).toContainEqual(
      expect.stringMatching(/^warning: app-blue: taking over an expired lock of run 1001/),
    );
    expect(f.sim.groupTags(f.blueGroup)['asg-deploy:lock']).toBeUndefined();
  });

  test('a lock left by an earlier attempt of the same run is taken over (attempts never overlap)', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const left = newLock(runA, '1001.1.abcdef12', f.sim.clock.now() + 20 * 60_000);
    await gateways(f.sim.clients()).autoScaling.putTags([f.blueGroup, f.greenGroup], lockTags(left));

    const { report, log } = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }), {
      run: { ...runA, attempt: 2 },
    });

    expect(report.result).toBe('deployed');
    expect(log.lines).toContainEqual('warning: app-blue: taking over the lock left by attempt 1 of this run');
  });
});
