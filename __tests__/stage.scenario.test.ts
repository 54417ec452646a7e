import { deployOnSim } from '../sim/run-on-sim.js';
import { blueGreenInputs, snapshot, trafficTargets } from './helpers/blue-green.js';
import {
  abortInputs,
  PREVIEW_BEFORE,
  promoteInputs,
  stagedTagsOf,
  stagedWorld,
  stageInputs,
  type StagedWorld,
} from './helpers/staged.js';

/** Production routes and both groups, as a stage must leave production. */
const production = (f: StagedWorld) => {
  const s = snapshot(f);
  return { listeners: s.listeners, rules: s.rules, blue: s.blue };
};

async function staged(f: StagedWorld, extra: Record<string, string> = {}) {
  const run = await deployOnSim(f.sim, stageInputs(f, extra));
  expect(run.report.result).toBe('staged');
  return run;
}

describe('stage', () => {
  test('readies green, points only the preview listener at it, records the stage; production untouched', async () => {
    const f = stagedWorld();
    const before = production(f);
    const { report } = await staged(f);

    expect(production(f)).toEqual(before);
    const preview = f.sim.listenerActions(f.previewArn);
    expect(preview.map((a) => a.Type)).toEqual(['forward']);
    expect(preview[0]?.ForwardConfig?.TargetGroups).toEqual([
      { TargetGroupArn: f.greenTargetGroupArn, Weight: 1 },
    ]);
    const green = f.sim.group(f.greenGroup);
    expect({ desired: green.desired, version: green.launchTemplate.version }).toEqual({
      desired: 2,
      version: String(f.newVersion),
    });
    expect(report.writesSent.map((w) => w.action)).not.toContain('ModifyRule');
    expect(report.writesSent.filter((w) => w.action === 'ModifyListener').map((w) => w.target)).toEqual([
      f.previewArn,
    ]);
    for (const group of [f.blueGroup, f.greenGroup]) {
      const tags = stagedTagsOf(f, group);
      expect(tags['asg-deploy:staged-version-label']).toBe('v2');
      expect(tags['asg-deploy:staged-run']).toBe('simulated run');
      expect(Date.parse(tags['asg-deploy:staged-expires'] ?? '')).toBe(
        Date.parse(tags['asg-deploy:staged-time'] ?? '') + 86_400_000,
      );
      expect(f.sim.groupTags(group)['asg-deploy:lock']).toBeUndefined();
    }
    expect(report.outputs).toMatchObject({
      result: 'staged',
      'active-color': 'blue',
      'version-label': 'v2',
      'preview-url': expect.stringMatching(/^http:\/\/app-\d+\.us-east-1\.elb\.amazonaws\.com:8443$/),
    });
  });

  test('a deploy, a rollback and another stage are refused with zero writes while a release is staged', async () => {
    const f = stagedWorld();
    await staged(f);
    for (const inputs of [
      blueGreenInputs(f, { 'launch-template-version': String(f.newVersion) }),
      blueGreenInputs(f, { mode: 'rollback' }),
      stageInputs(f),
    ]) {
      const writes = f.sim.writes().length;
      const { report } = await deployOnSim(f.sim, inputs);
      expect(report.result).toBe('failed');
      expect(report.reason).toContain('a release is staged: v2 (staged by simulated run)');
      expect(report.reason).toContain('mode: promote');
      expect(report.reason).toContain('mode: abort');
      expect(f.sim.writes().length).toBe(writes);
    }
  });

  test('promote and abort with nothing staged are refused with zero writes', async () => {
    const f = stagedWorld();
    for (const inputs of [promoteInputs(f), abortInputs(f)]) {
      const { report } = await deployOnSim(f.sim, inputs);
      expect(report.result).toBe('failed');
      expect(report.reason).toContain('no release is staged');
      expect(f.sim.writes()).toEqual([]);
    }
  });
});

describe('promote', () => {
  test('moves production to the staged color, restores the preview listener exactly, records the release', async () => {
    const f = stagedWorld({ listeners: 2, rules: 1 });
    await staged(f);
    const { report } = await deployOnSim(f.sim, promoteInputs(f, { 'traffic-shift': 'canary:10:1m' }));

    expect(report.result).toBe('deployed');
    expect(trafficTargets(f)).toEqual([
      [f.greenTargetGroupArn],
      [f.greenTargetGroupArn],
      [f.greenTargetGroupArn],
    ]);
    expect(report.traffic?.map((t) => t.step)).toEqual(['canary 10 %', 'canary 100 %']);
    expect(f.sim.listenerActions(f.previewArn)).toEqual(PREVIEW_BEFORE);
    expect(stagedTagsOf(f, f.blueGroup)).toEqual({});
    expect(stagedTagsOf(f, f.greenGroup)).toEqual({});
    expect(f.sim.groupTags(f.greenGroup)['asg-deploy:version-label']).toBe('v2');
    expect(f.sim.group(f.blueGroup).desired).toBe(0);
    expect(report.outputs).toMatchObject({ 'active-color': 'green', 'version-label': 'v2' });
  });

  test('previous-fleet keep leaves the old color running', async () => {
    const f = stagedWorld();
    await staged(f);
    const { report } = await deployOnSim(f.sim, promoteInputs(f, { 'previous-fleet': 'keep' }));
    expect(report.result).toBe('deployed');
    expect(f.sim.group(f.blueGroup).desired).toBe(2);
  });

  test('a version-label other than the staged one is refused with zero writes', async () => {
    const f = stagedWorld();
    await staged(f);
    const writes = f.sim.writes().length;
    const { report } = await deployOnSim(f.sim, promoteInputs(f, { 'version-label': 'v3' }));
    expect(report.result).toBe('failed');
    expect(report.reason).toContain('the staged release is v2');
    expect(f.sim.writes().length).toBe(writes);
  });

  test('an alarm during the canary puts production back and keeps the stage (the preview still answers)', async () => {
    const f = stagedWorld();
    f.sim.createAlarm('app-5xx');
    await staged(f);
    const stage = { preview: f.sim.listenerActions(f.previewArn), tags: stagedTagsOf(f, f.blueGroup) };
    const before = production(f);
    f.sim.setAlarmState('app-5xx', 'ALARM', f.sim.clock.now() + 90_000);
    const { report } = await deployOnSim(
      f.sim,
      promoteInputs(f, { 'traffic-shift': 'canary:10:5m', 'alarm-names': 'app-5xx' }),
    );
    expect(report.result).toBe('rolled-back');
    expect(production(f)).toEqual(before);
    expect({ preview: f.sim.listenerActions(f.previewArn), tags: stagedTagsOf(f, f.blueGroup) }).toEqual(
      stage,
    );
    expect(f.sim.group(f.greenGroup).desired).toBe(2);
  });
});

describe('abort', () => {
  test('takes the staged color back to what it had, restores the preview, clears the stage; production untouched', async () => {
    const f = stagedWorld();
    const before = snapshot(f);
    await staged(f);
    const { report } = await deployOnSim(f.sim, abortInputs(f));
    expect(report.result).toBe('aborted');
    expect(snapshot(f)).toEqual({ ...before, versions: snapshot(f).versions });
    expect(f.sim.listenerActions(f.previewArn)).toEqual(PREVIEW_BEFORE);
    expect(stagedTagsOf(f, f.blueGroup)).toEqual({});
    expect(stagedTagsOf(f, f.greenGroup)).toEqual({});
    expect(report.writesSent.map((w) => w.action)).not.toContain('ModifyRule');
    expect(report.writesSent.filter((w) => w.action === 'ModifyListener').map((w) => w.target)).toEqual([
      f.previewArn,
    ]);
    // then a deploy runs as usual
    const next = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }));
    expect(next.report.result).toBe('deployed');
  });

  test('a kept fleet that served before the stage comes back at its size and version', async () => {
    // green kept at 1 instance of version 1 (a previous-fleet: keep)
    const f = stagedWorld({ greenDesired: 1 });
    const before = snapshot(f);
    await staged(f);
    expect(f.sim.group(f.greenGroup).desired).toBe(2);
    const { report } = await deployOnSim(f.sim, abortInputs(f));
    expect(report.result).toBe('aborted');
    expect(snapshot(f)).toEqual(before);
    const green = f.sim.group(f.greenGroup);
    expect(green.instances.map((i) => i.version)).toEqual([1]);
  });
});

describe('an expired stage', () => {
  test('is taken over by a deploy with a warning: preview restored, stage cleared, deployed', async () => {
    const f = stagedWorld();
    await staged(f, { 'stage-expires-after': '1h' });
    f.sim.clock.advance(2 * 3_600_000);
    const { report, log } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': String(f.newVersion) }),
    );
    expect(report.result).toBe('deployed');
    expect(log.lines.join('\n')).toContain('taking over the expired stage of v2');
    expect(f.sim.listenerActions(f.previewArn)).toEqual(PREVIEW_BEFORE);
    expect(stagedTagsOf(f, f.blueGroup)).toEqual({});
    expect(trafficTargets(f)).toEqual([[f.greenTargetGroupArn]]);
  });

  test('is replaced by a new stage that keeps the original preview actions', async () => {
    const f = stagedWorld();
    await staged(f, { 'stage-expires-after': '1h' });
    f.sim.clock.advance(2 * 3_600_000);
    await staged(f, { 'version-label': 'v3' });
    expect(stagedTagsOf(f, f.blueGroup)['asg-deploy:staged-version-label']).toBe('v3');
    const { report } = await deployOnSim(f.sim, abortInputs(f));
    expect(report.result).toBe('aborted');
    expect(f.sim.listenerActions(f.previewArn)).toEqual(PREVIEW_BEFORE);
  });
});

describe('dry-run', () => {
  test('plans a stage and then a promote: every write listed in order, none sent', async () => {
    const f = stagedWorld();
    const planned = await deployOnSim(f.sim, stageInputs(f, { 'dry-run': 'true' }));
    expect(planned.report.result).toBe('planned');
    expect(f.sim.writes()).toEqual([]);
    expect(planned.report.plannedWrites.map((w) => `${w.action} ${w.target}`)).toEqual([
      `CreateOrUpdateTags ${f.blueGroup}, ${f.greenGroup}`,
      `UpdateAutoScalingGroup ${f.greenGroup}`,
      `ModifyListener ${f.previewArn}`,
      `CreateOrUpdateTags ${f.blueGroup}, ${f.greenGroup}`,
      `DeleteTags ${f.blueGroup}, ${f.greenGroup}`,
    ]);

    await staged(f);
    const writes = f.sim.writes().length;
    const promote = await deployOnSim(f.sim, promoteInputs(f, { 'dry-run': 'true' }));
    expect(promote.report.result).toBe('planned');
    expect(f.sim.writes().length).toBe(writes);
    expect(promote.report.plannedWrites.map((w) => w.action)).toEqual([
      'CreateOrUpdateTags', // lock
      'ModifyListener', // production listener to green
      'CreateOrUpdateTags', // deployment record
      'ModifyListener', // preview listener restored
      'DeleteTags', // stage record
      'UpdateAutoScalingGroup', // blue scaled down
      'DeleteTags', // lock
    ]);
  });

  test('a dry-run deploy while staged is refused like the deploy', async () => {
    const f = stagedWorld();
    await staged(f);
    const { report } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '2', 'dry-run': 'true' }),
    );
    expect(report.result).toBe('failed');
    expect(report.reason).toContain('a release is staged');
  });
});
