/**
 * `mode: rollback` with `expected-version-label`: acts only where the
 * deployment record says that release serves now; anywhere else the run is
 * `unchanged`, sends zero writes and says what serves there instead.
 */
import { gateways } from '../src/aws/index.js';
import { renderSummary } from '../src/report/summary.js';
import { verdictOf } from '../src/report/verdict.js';
import { lockTags, newLock } from '../src/state/lock.js';
import { type BlueGreenFixture, blueGreenFixture } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { blueGreenInputs, snapshot, trafficTargets } from './helpers/blue-green.js';
import { singleGroupInputs } from './helpers/single-group.js';

/** Blue served launch template version 1 (found live, unlabelled); v2 went to green; blue kept. */
async function deployedV2(): Promise<BlueGreenFixture> {
  const f = blueGreenFixture({ instances: 2 });
  const v2 = await deployOnSim(
    f.sim,
    blueGreenInputs(f, { 'launch-template-version': '2', 'version-label': 'v2', 'previous-fleet': 'keep' }),
  );
  expect(v2.report.result).toBe('deployed');
  return f;
}

const guarded = (f: BlueGreenFixture, expected: string) =>
  blueGreenInputs(f, { mode: 'rollback', 'expected-version-label': expected });

describe('mode: rollback with expected-version-label', () => {
  test('where that release serves: the rollback acts as without the input', async () => {
    const f = await deployedV2();
    const { report } = await deployOnSim(f.sim, guarded(f, 'v2'));
    expect(report.result).toBe('rolled-back');
    expect(trafficTargets(f)).toEqual([[f.blueTargetGroupArn]]);
    expect(report.outputs).toMatchObject({ 'active-color': 'blue', 'previous-version-label': 'v2' });
  });

  test('where another release serves: unchanged, zero writes, a notice naming what serves instead', async () => {
    const f = await deployedV2();
    const writes = f.sim.writes().length;
    const before = snapshot(f);
    const tags = f.sim.groupTags(f.greenGroup);

    const { report } = await deployOnSim(f.sim, guarded(f, 'v3'));

    expect(report.result).toBe('unchanged');
    expect(f.sim.writes().length).toBe(writes);
    expect(report.writesSent).toEqual([]);
    expect(snapshot(f)).toEqual(before);
    expect(f.sim.groupTags(f.greenGroup)).toEqual(tags);
    const message =
      'v3 does not serve in us-east-1: the deployment record says v2 (green, launch template version 2) serves there. Nothing was rolled back (expected-version-label: v3)';
    expect(report.headline).toBe(message);
    expect(verdictOf(report)).toEqual({ notices: [`Unchanged: ${message}`], errors: [] });
    expect(report.outputs).toMatchObject({
      result: 'unchanged',
      'active-color': 'green',
      'active-auto-scaling-group': f.greenGroup,
      'version-label': 'v2',
      'launch-template-version': '2',
      'rollback-reason': '',
    });
    // locked and staged are status outputs only
    expect(report.outputs.locked).toBeUndefined();
    const summary = renderSummary(report);
    expect(summary).toContain(`## ➖ Unchanged: ${message}`);
    expect(summary).not.toContain('write(s) sent to AWS');
  });

  test('where nothing was ever recorded: unchanged, not failed, zero writes', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const { report } = await deployOnSim(f.sim, guarded(f, 'v3'));
    expect(report.result).toBe('unchanged');
    expect(report.headline).toBe(
      'v3 does not serve in us-east-1: there is no deployment record on app-blue, app-green (tags asg-deploy:*). Nothing was rolled back (expected-version-label: v3)',
    );
    expect(report.outputs).toMatchObject({ 'active-color': 'blue', 'version-label': '' });
    expect(f.sim.writes()).toEqual([]);
  });

  test('without the input, the same rollback with no record still fails as before', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const { report } = await deployOnSim(f.sim, blueGreenInputs(f, { mode: 'rollback' }));
    expect(report.result).toBe('failed');
    expect(report.reason).toMatch(/no deployment record on app-blue or app-green/);
  });

  test("another run's lock is still refused first: the guard never hides a deploy in progress", async () => {
    const f = await deployedV2();
    const holder = newLock(
      { runId: '1001', attempt: 1, runUrl: 'https://github.com/acme/shop/actions/runs/1001' },
      '1001.1.abcdef12',
      f.sim.clock.now() + 20 * 60_000,
    );
    await gateways(f.sim.clients()).autoScaling.putTags([f.blueGroup], lockTags(holder));
    const writes = f.sim.writes().length;

    const { report } = await deployOnSim(f.sim, guarded(f, 'v3'), {
      run: { runId: '2002', attempt: 1, runUrl: 'run 2002' },
    });

    expect(report.result).toBe('failed');
    expect(report.reason).toMatch(/app-blue is locked by another deployment: run 1001/);
    expect(f.sim.writes().length).toBe(writes);
  });

  test('rolling: acts where the release serves, leaves the group alone where it does not', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const deploy = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'rolling', { 'launch-template-version': '2', 'version-label': 'v2' }),
    );
    expect(deploy.report.result).toBe('deployed');
    f.sim.settle();
    const rollback = (expected: string) =>
      deployOnSim(
        f.sim,
        singleGroupInputs(f, 'rolling', { mode: 'rollback', 'expected-version-label': expected }),
      );

    const writes = f.sim.writes().length;
    const elsewhere = await rollback('v1');
    expect(elsewhere.report.result).toBe('unchanged');
    expect(elsewhere.report.headline).toContain(
      'the deployment record says v2 (launch template version 2) serves there',
    );
    expect(f.sim.writes().length).toBe(writes);

    const here = await rollback('v2');
    expect(here.report.result).toBe('rolled-back');
    f.sim.settle();
    expect(f.sim.group(f.blueGroup).launchTemplate.version).toBe('1');
  });
});
