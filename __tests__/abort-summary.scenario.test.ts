/** The job summary of an abort: what it wrote, and the staged color back to what it had before the stage. */
import { deployOnSim } from '../sim/run-on-sim.js';
import { renderSummary } from '../src/report/summary.js';
import { abortInputs, stagedWorld, stageInputs } from './helpers/staged.js';

test('an abort summary shows the staged color back to what it was, and every write it sent', async () => {
  // green kept at 1 instance of version 1 before the stage
  const f = stagedWorld({ greenDesired: 1 });
  const stage = await deployOnSim(f.sim, stageInputs(f));
  expect(stage.report.result).toBe('staged');
  const { report } = await deployOnSim(f.sim, abortInputs(f));
  expect(report.result).toBe('aborted');

  const summary = renderSummary(report);
  expect(summary).toContain('> **Aborted the staged release.** Production traffic was not touched.');
  expect(summary).toContain(
    `> - green (app-green) (the staged color, back to what it had before the stage): capacity 2/2/2 → 1/1/1 (min/desired/max), launch template version ${f.newVersion} → 1`,
  );
  expect(summary).toContain('> - Preview listener(s): 1 preview listener(s) written and verified');
  expect(summary).toContain('> - Stage record (tags asg-deploy:staged-\\*) cleared from both groups');
  // the writes are shown open, in order, not folded away
  expect(summary).toContain('### What it wrote');
  expect(summary).not.toContain('<details><summary>');
  const rows = summary.split('\n').filter((l) => /^\| \d+ \|/.test(l));
  expect(
    rows.map((r) =>
      r
        .split('|')
        .slice(3, 5)
        .map((c) => c.trim()),
    ),
  ).toEqual(report.writesSent.map((w) => [w.service, w.action]));
  expect(report.writesSent.map((w) => w.action)).toEqual([
    'CreateOrUpdateTags', // lock
    'UpdateAutoScalingGroup', // empty the staged fleet
    'UpdateAutoScalingGroup', // back to 1/1/1 on version 1
    'ModifyListener', // preview restored
    'DeleteTags', // stage record, blue
    'DeleteTags', // stage record, green
    'DeleteTags', // lock
  ]);
});
