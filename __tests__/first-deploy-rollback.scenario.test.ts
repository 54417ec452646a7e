import { blueGreenFixture } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { LOCK_GRACE_MS } from '../src/state/lock.js';
import { parseRecord } from '../src/state/record.js';
import { blueGreenInputs, snapshot, trafficTargets } from './helpers/blue-green.js';
import { killable } from './helpers/killable.js';

/**
 * No dead end after an interrupted first deploy: on groups with no deployment
 * record, the lock write also records what serves (the live color, found with
 * every route on it), before any traffic write. A first deploy killed in the
 * middle of a canary, with no post step to restore it, can then be rolled back
 * by `mode: rollback`, as any unfinished deploy.
 */
const world = () => blueGreenFixture({ instances: 2, listeners: 2, rules: 1 });
const CANARY = { 'launch-template-version': '2', 'traffic-shift': 'canary:50:10m', timeout: '30m' };
const runB = { runId: '2002', attempt: 1, runUrl: 'https://github.com/acme/shop/actions/runs/2002' };

/** The lock write (CreateOrUpdateTags with asg-deploy:lock) of every run so far, as tags. */
function lockWrites(f: ReturnType<typeof world>): Record<string, string>[] {
  return f.sim
    .writes()
    .filter((w) => w.command === 'CreateOrUpdateTags')
    .map((w) => {
      const tags = (w.input as { Tags?: { Key?: string; Value?: string }[] }).Tags ?? [];
      return Object.fromEntries(tags.map((t) => [t.Key ?? '', t.Value ?? '']));
    })
    .filter((tags) => 'asg-deploy:lock' in tags);
}

describe('an interrupted first deploy can be rolled back', () => {
  test('killed during the canary with every route at 50/50 and no post step: mode: rollback puts every route back on blue and scales green down', async () => {
    const f = world();
    const before = snapshot(f);
    // lock 1, suspend 2, green sized 1, the canary on 3 routes: killed once the 7th write (the rule
    // at 50 %) has landed
    const main = killable(f, 7);
    void deployOnSim(f.sim, blueGreenInputs(f, CANARY), { aws: main.aws });
    for (let i = 0; i < 1000 && !main.control.killed; i++) await f.sim.clock.sleep(1_000);
    expect(main.control.killed).toBe(true);
    expect(trafficTargets(f)).toEqual([
      [f.blueTargetGroupArn, f.greenTargetGroupArn],
      [f.blueTargetGroupArn, f.greenTargetGroupArn],
      [f.blueTargetGroupArn, f.greenTargetGroupArn],
    ]);
    // the record written with the lock: blue, as found live
    const record = parseRecord(f.sim.groupTags(f.blueGroup));
    expect(record).toEqual({
      current: expect.objectContaining({
        versionLabel: '',
        color: 'blue',
        group: f.blueGroup,
        launchTemplateVersion: '1',
        runUrl: '',
      }) as unknown,
    });
    expect(parseRecord(f.sim.groupTags(f.greenGroup))).toEqual(record);

    // once the killed run's lock has expired: a deploy is refused (routes on both colors) and says to
    // run mode: rollback, which returns to blue
    f.sim.clock.advance(30 * 60_000 + LOCK_GRACE_MS);
    const refused = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }), {
      run: runB,
    });
    expect(refused.report.result).toBe('failed');
    expect(refused.report.problems.join('\n')).toContain('Run with mode: rollback');

    const { report, log } = await deployOnSim(f.sim, blueGreenInputs(f, { mode: 'rollback' }), { run: runB });

    expect(report.result).toBe('rolled-back');
    expect(log.lines.some((line) => line.includes('taking over an expired lock'))).toBe(true);
    expect(report.headline).toContain('from an unfinished deploy');
    expect(trafficTargets(f)).toEqual([
      [f.blueTargetGroupArn],
      [f.blueTargetGroupArn],
      [f.blueTargetGroupArn],
    ]);
    const after = snapshot(f);
    // the processes the killed run suspended (no post step ran to resume them) were named by its lock:
    // the rollback resumed them, so both groups end with the suspended set they had before the deploy
    expect(log.lines).toContain(
      `warning: ${f.blueGroup}: AlarmNotification, ScheduledActions, AZRebalance were suspended by run local, which did not finish: they will be resumed at the end`,
    );
    expect(after.blue).toEqual(before.blue);
    expect(after.green.suspended).toEqual(before.green.suspended);
    expect(after.green).toMatchObject({ desired: 0, min: 0 });
    expect(parseRecord(f.sim.groupTags(f.blueGroup))?.current).toMatchObject({
      color: 'blue',
      group: f.blueGroup,
    });
    expect(f.sim.groupTags(f.blueGroup)['asg-deploy:lock']).toBeUndefined();
  });

  test('a first deploy that rolled back by itself leaves the record of what still serves; mode: rollback then has nothing to go back to and writes nothing', async () => {
    const f = world();
    f.sim.createAlarm('app-5xx');
    f.sim.setAlarmState('app-5xx', 'ALARM', f.sim.clock.now() + 60_000);
    const before = snapshot(f);
    const { report } = await deployOnSim(f.sim, blueGreenInputs(f, { ...CANARY, 'alarm-names': 'app-5xx' }));
    expect(report.result).toBe('rolled-back');
    expect(snapshot(f)).toEqual(before);
    expect(parseRecord(f.sim.groupTags(f.blueGroup))?.current).toMatchObject({ color: 'blue', runUrl: '' });

    const writes = f.sim.writes().length;
    const rollback = await deployOnSim(f.sim, blueGreenInputs(f, { mode: 'rollback' }), { run: runB });
    expect(rollback.report.result).toBe('failed');
    expect(rollback.report.reason).toContain('has no previous deployment before unlabelled version (blue');
    expect(f.sim.writes().length).toBe(writes);
  });

  test("a record is never written over: the second deploy's lock write carries no record tags, and the completed first deploy names the same entry as previous", async () => {
    const f = world();
    const first = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '2', 'version-label': 'v2' }),
    );
    expect(first.report.result).toBe('deployed');
    const [firstLock] = lockWrites(f);
    expect(firstLock).toMatchObject({ 'asg-deploy:color': 'blue', 'asg-deploy:version-label': '' });
    const record = parseRecord(f.sim.groupTags(f.blueGroup));
    expect(record?.current).toMatchObject({ versionLabel: 'v2', color: 'green' });
    expect(record?.previous).toMatchObject({
      color: 'blue',
      group: f.blueGroup,
      launchTemplateVersion: '1',
      time: firstLock?.['asg-deploy:time'],
    });
    // the plan of the first deploy listed the record with the lock write
    expect(first.report.plannedWrites[0]?.detail).toContain(
      'no deployment record yet: deployment record of what serves now, unlabelled version (blue, launch template version 1)',
    );

    const second = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '1', 'version-label': 'v1' }),
      {
        run: runB,
      },
    );
    expect(second.report.result).toBe('deployed');
    const secondLock = lockWrites(f)[1];
    expect(Object.keys(secondLock ?? {}).sort()).toEqual([
      'asg-deploy:lock',
      'asg-deploy:lock-run-url',
      'asg-deploy:lock-suspends',
    ]);
    expect(second.report.plannedWrites[0]?.detail).not.toContain('deployment record');
  });
});
