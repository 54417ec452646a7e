/**
 * `mode: status` on the simulator: what serves, read only (zero writes, no
 * lock taken), after a deploy, during another run's lock, with a staged
 * release, a half-shifted listener and an Instance Refresh in progress.
 */
import { ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { gateways } from '../src/aws/index.js';
import { renderSummary } from '../src/report/summary.js';
import { verdictOf } from '../src/report/verdict.js';
import { lockTags, newLock } from '../src/state/lock.js';
import {
  STAGED_EXPIRES_KEY,
  STAGED_RUN_KEY,
  STAGED_VERSION_KEY as STAGED_VERSION_LABEL_KEY,
} from '../src/state/staged.js';
import { type BlueGreenFixture, blueGreenFixture } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { blueGreenInputs, snapshot } from './helpers/blue-green.js';
import { singleGroupInputs } from './helpers/single-group.js';

const status = (f: BlueGreenFixture, extra: Record<string, string> = {}) =>
  deployOnSim(f.sim, blueGreenInputs(f, { mode: 'status', 'poll-interval': '', ...extra }));

/** Blue served launch template version 1 (unlabelled: the action found it live), then v2 went to green. */
async function deployedV2(): Promise<BlueGreenFixture> {
  const f = blueGreenFixture({ instances: 2 });
  const v2 = await deployOnSim(
    f.sim,
    blueGreenInputs(f, { 'launch-template-version': '2', 'version-label': 'v2', 'previous-fleet': 'keep' }),
  );
  expect(v2.report.result).toBe('deployed');
  return f;
}

/** Runs status and checks it sent no write and changed nothing. */
async function readOnly(f: BlueGreenFixture, run: () => ReturnType<typeof status>) {
  const writes = f.sim.writes().length;
  const before = snapshot(f);
  const tags = [f.sim.groupTags(f.blueGroup), f.sim.groupTags(f.greenGroup)];
  const result = await run();
  expect(f.sim.writes().length).toBe(writes);
  expect(result.report.writesSent).toEqual([]);
  expect(snapshot(f)).toEqual(before);
  expect([f.sim.groupTags(f.blueGroup), f.sim.groupTags(f.greenGroup)]).toEqual(tags);
  return result;
}

describe('mode: status (blue/green)', () => {
  test('after a deploy: green serves v2, blue before; outputs as a deploy names them; zero writes', async () => {
    const f = await deployedV2();
    const { report } = await readOnly(f, () => status(f));

    expect(report.result).toBe('unchanged');
    expect(report.outputs).toMatchObject({
      result: 'unchanged',
      'active-color': 'green',
      'active-auto-scaling-group': f.greenGroup,
      'active-target-group-arn': f.greenTargetGroupArn,
      'previous-color': 'blue',
      'previous-auto-scaling-group': f.blueGroup,
      'version-label': 'v2',
      'previous-version-label': '',
      'launch-template-version': '2',
      'instance-refresh-id': '',
      locked: 'false',
      staged: 'false',
    });
    expect(report.headline).toBe('v2 on green (app-green, launch template version 2)');
    expect(report.status?.fleets.map((r) => [r.name, r.capacity, r.health, r.traffic])).toEqual([
      ['blue', '2/2/2', '2/2 healthy', 0],
      ['green', '2/2/2', '2/2 healthy', 100],
    ]);
    expect(report.status?.notes).toEqual([]);
    expect(verdictOf(report)).toEqual({
      notices: ['Unchanged: v2 on green (app-green, launch template version 2)'],
      errors: [],
    });
    const summary = renderSummary(report);
    expect(summary).toContain(
      '## 📋 Status in us-east-1: v2 on green (app-green, launch template version 2)',
    );
    expect(summary).toContain('| us-east-1 | green | app-green | 2 | v2 | - | no | no |');
    expect(summary).toContain('- Lock: none');
    expect(summary).toContain('nothing was written and no lock was taken');
  });

  test("during another run's deploy: reports the held lock, takes none, writes nothing", async () => {
    const f = await deployedV2();
    const holder = newLock(
      { runId: '1001', attempt: 1, runUrl: 'https://github.com/acme/shop/actions/runs/1001' },
      '1001.1.abcdef12',
      f.sim.clock.now() + 20 * 60_000,
    );
    await gateways(f.sim.clients()).autoScaling.putTags([f.blueGroup, f.greenGroup], lockTags(holder));

    const { report } = await readOnly(f, () => status(f));

    expect(report.result).toBe('unchanged');
    expect(report.outputs.locked).toBe('true');
    expect(report.status?.lock).toMatchObject({ expired: false, group: f.blueGroup });
    expect(renderSummary(report)).toMatch(
      /- Lock: 🔒 \*\*held\*\* on app-blue by run 1001 \(https:\/\/github\.com\/acme\/shop\/actions\/runs\/1001\)/,
    );
  });

  test('an expired lock is reported but not counted as held', async () => {
    const f = await deployedV2();
    const stale = newLock({ runId: '9', attempt: 1, runUrl: '' }, '9.1.x', f.sim.clock.now() - 1000);
    await gateways(f.sim.clients()).autoScaling.putTags([f.greenGroup], lockTags(stale));
    const { report } = await readOnly(f, () => status(f));
    expect(report.outputs.locked).toBe('false');
    expect(report.status?.lock).toMatchObject({ expired: true, group: f.greenGroup });
  });

  test('a staged release in the group tags: staged true until it expires', async () => {
    const f = await deployedV2();
    const aws = gateways(f.sim.clients());
    const expires = new Date(f.sim.clock.now() + 3_600_000).toISOString();
    await aws.autoScaling.putTags([f.blueGroup], {
      [STAGED_VERSION_LABEL_KEY]: 'v3',
      [STAGED_RUN_KEY]: 'https://github.com/acme/shop/actions/runs/77',
      [STAGED_EXPIRES_KEY]: expires,
    });

    const waiting = await readOnly(f, () => status(f));
    expect(waiting.report.outputs.staged).toBe('true');
    expect(waiting.report.status?.staged).toEqual({
      versionLabel: 'v3',
      run: 'https://github.com/acme/shop/actions/runs/77',
      expires,
      expired: false,
      group: f.blueGroup,
      preview: [],
    });
    expect(renderSummary(waiting.report)).toContain(
      `- Staged: ⏸️ **waiting** v3 on app-blue, by https://github.com/acme/shop/actions/runs/77, expires ${expires}`,
    );

    await f.sim.clock.sleep(2 * 3_600_000);
    const expired = await readOnly(f, () => status(f));
    expect(expired.report.outputs.staged).toBe('false');
    expect(expired.report.status?.staged?.expired).toBe(true);
  });

  test('a half-shifted listener: both colors weighted, the larger share is active, the note says why', async () => {
    const f = await deployedV2();
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
    const { report } = await readOnly(f, () => status(f));
    expect(report.outputs['active-color']).toBe('green');
    expect(report.status?.routes.map((r) => r.traffic)).toEqual(['blue 30 % / green 70 %']);
    expect(report.status?.fleets.map((r) => [r.name, r.traffic, r.live])).toEqual([
      ['blue', 30, true],
      ['green', 70, true],
    ]);
    expect(report.status?.notes).toEqual([
      expect.stringMatching(
        /^listener .* sends traffic to both colors \(blue 30 % \/ green 70 %\): a deploy is shifting traffic, or one was interrupted$/,
      ),
    ]);
    expect(renderSummary(report)).toContain('> [!WARNING]');
  });

  test('an Instance Refresh in progress on a color is reported with its id', async () => {
    const f = await deployedV2();
    const id = f.sim.startInstanceRefreshForTest(f.blueGroup);
    const { report } = await readOnly(f, () => status(f));
    expect(report.outputs['instance-refresh-id']).toBe(id);
    expect(report.status?.refreshes).toEqual([
      { group: f.blueGroup, id, status: 'InProgress', percentComplete: 0 },
    ]);
  });

  test('before any deploy of the action: no record, blue serves; version labels empty', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const { report } = await readOnly(f, () => status(f));
    expect(report.outputs).toMatchObject({
      'active-color': 'blue',
      'version-label': '',
      'previous-version-label': '',
      'launch-template-version': '1',
    });
    expect(report.headline).toBe('no recorded release on blue (app-blue, launch template version 1)');
  });

  test('a group that does not exist: failed, naming the input, zero writes', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const { report } = await status(f, { 'green-auto-scaling-group': 'nope' });
    expect(report.result).toBe('failed');
    expect(report.reason).toBe(
      'pre-flight: green-auto-scaling-group: no Auto Scaling group named "nope" in us-east-1',
    );
    expect(f.sim.writes()).toEqual([]);
  });

  test('inputs that only deploys read change nothing in status mode', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const { log, report } = await status(f, {
      'launch-template-version': '2',
      'traffic-shift': 'canary:10:1m',
    });
    expect(report.result).toBe('unchanged');
    expect(f.sim.writes()).toEqual([]);
    expect(f.sim.group(f.blueGroup).launchTemplate.version).toBe('1');
    expect(log.lines.join('\n')).toContain('serving in us-east-1');
  });
});

describe('mode: status (rolling)', () => {
  test('after a rolling deploy, then with an Instance Refresh in progress', async () => {
    const f = blueGreenFixture({ instances: 3 });
    const deploy = await deployOnSim(
      f.sim,
      singleGroupInputs(f, 'rolling', { 'launch-template-version': '2', 'version-label': 'v2' }),
    );
    expect(deploy.report.result).toBe('deployed');
    f.sim.settle();

    const inputs = singleGroupInputs(f, 'rolling', { mode: 'status', 'poll-interval': '' });
    const writes = f.sim.writes().length;
    const after = await deployOnSim(f.sim, inputs);
    expect(after.report.outputs).toMatchObject({
      result: 'unchanged',
      'active-auto-scaling-group': f.blueGroup,
      'active-target-group-arn': f.blueTargetGroupArn,
      'launch-template-version': '2',
      'version-label': 'v2',
      'previous-version-label': '',
      'instance-refresh-id': '',
      locked: 'false',
      staged: 'false',
    });
    expect(after.report.outputs['active-color']).toBeUndefined();
    expect(after.report.status?.fleets).toEqual([
      expect.objectContaining({ name: 'fleet', capacity: '3/3/3', health: '3/3 healthy' }),
    ]);

    const id = f.sim.startInstanceRefreshForTest(f.blueGroup);
    const during = await deployOnSim(f.sim, inputs);
    expect(during.report.outputs['instance-refresh-id']).toBe(id);
    expect(during.report.status?.refreshes).toEqual([
      { group: f.blueGroup, id, status: 'InProgress', percentComplete: 0 },
    ]);
    expect(renderSummary(during.report)).toContain(
      `- Instance Refresh in progress on app-blue: ${id} (InProgress, 0 %)`,
    );
    expect(f.sim.writes().length).toBe(writes);
  });
});
