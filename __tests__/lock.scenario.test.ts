import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { gateways } from '../src/aws/index.js';
import { blueGreenFixture } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { LOCK_SETTLE_MS, lockTags, newLock } from '../src/state/lock.js';
import { blueGreenInputs, snapshot, trafficTargets } from './helpers/blue-green.js';

const runA = { runId: '1001', attempt: 1, runUrl: 'https://github.com/acme/shop/actions/runs/1001' };
const runB = { runId: '2002', attempt: 1, runUrl: 'https://github.com/acme/shop/actions/runs/2002' };

describe('the deployment lock (asg-deploy:lock)', () => {
  test('two deploys started together on the same fleet: exactly one writes, the other fails naming the holder', async () => {
    const f = blueGreenFixture({ instances: 2 });
    f.sim.clock.shared = true; // two runs on one clock: their sleeps overlap
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
    // the suspension of scaling is undone when the run ends, whatever the ending
    expect(winner.report.steps.map((s) => s.status)).toEqual([
      'undone',
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

  test('a lock write delayed 6 s in transit (past the 5 s settle): only the other run deploys; the late one withdraws before any deployment write', async () => {
    const f = blueGreenFixture({ instances: 2 });
    f.sim.clock.shared = true;
    const before = snapshot(f);
    f.sim.delayCalls(
      (call) => call.command === 'CreateOrUpdateTags' && JSON.stringify(call.input).includes('run=1001 '),
      6_000,
    );

    const [a, b] = await Promise.all([
      deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2', 'version-label': 'A' }), {
        run: runA,
      }),
      deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2', 'version-label': 'B' }), {
        run: runB,
      }),
    ]);

    // A's lock write landed after B had read its own lock back: A does not rely on it and changes nothing
    expect(a.report.result).toBe('failed');
    expect(a.report.reason).toMatch(
      /^the lock write to app-blue, app-green took \d+\.\d s \(more than 2 s\), so it may have landed after another deployment took the lock; this run withdraws its lock\. Nothing was changed/,
    );
    expect(a.report.steps).toEqual([]);
    expect(a.report.writesSent.map((w) => w.action)).toEqual(['CreateOrUpdateTags', 'DeleteTags']);
    // B saw its lock replaced, then removed: it took the lock again and deployed alone
    expect(b.report.result).toBe('deployed');
    expect(b.log.lines).toContainEqual(
      'warning: app-blue, app-green: the deployment lock tag was removed; taking the lock again',
    );
    const after = snapshot(f);
    expect(after.green).toMatchObject({ desired: before.blue.desired, launchTemplate: { version: '2' } });
    expect(f.sim.groupTags(f.greenGroup)['asg-deploy:version-label']).toBe('B');
    expect(f.sim.groupTags(f.blueGroup)['asg-deploy:lock']).toBeUndefined();
  });

  test('the lock replaced by another run while a deploy runs: it stops before its next write and rolls back', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const before = snapshot(f);
    const intruder = newLock(runA, '1001.1.abcdef12', f.sim.clock.now() + 40 * 60_000);
    const aws = gateways(f.sim.clients());
    // while green comes up (before traffic moves), another run's late lock write lands
    f.sim.clock.schedule(f.sim.clock.now() + LOCK_SETTLE_MS + 20_000, () => {
      void aws.autoScaling.putTags([f.blueGroup, f.greenGroup], lockTags(intruder));
    });
    const { report } = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }), {
      run: runB,
    });

    // green was prepared and found healthy; the traffic step stopped before its write
    expect(report.steps.map((s) => `${s.id}: ${s.status}`)).toEqual([
      'suspend-processes: undone',
      'prepare-idle: undone',
      'wait-healthy: done',
      'shift-traffic: undone',
    ]);
    // no route was ever sent to green (the only listener write is the undo, to blue as before)
    const greenWeights = f.sim
      .writes()
      .filter((w) => w.command === 'ModifyListener')
      .flatMap((w) => greenWeightsIn(w.input, f.greenTargetGroupArn));
    expect(greenWeights.every((weight) => weight === 0)).toBe(true);
    expect(report.result).toBe('rolled-back');
    expect(report.reason).toContain(
      "app-blue: the deployment lock is no longer this run's: run 1001 (https://github.com/acme/shop/actions/runs/1001)",
    );
    expect(trafficTargets(f)).toEqual([[f.blueTargetGroupArn]]);
    expect(snapshot(f)).toEqual(before);
    // the other run's lock is left as it is
    expect(f.sim.groupTags(f.blueGroup)['asg-deploy:lock']).toContain('token=1001.1.abcdef12');
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

function greenWeightsIn(input: unknown, green: string): number[] {
  const actions = (input as { DefaultActions?: Action[] }).DefaultActions ?? [];
  return actions.flatMap((a) =>
    (a.ForwardConfig?.TargetGroups ?? []).filter((g) => g.TargetGroupArn === green).map((g) => g.Weight ?? 1),
  );
}
