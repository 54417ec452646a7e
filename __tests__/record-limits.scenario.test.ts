import { blueGreenFixture } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { readConfig } from '../src/inputs/index.js';
import { renderSummary } from '../src/report/summary.js';
import { verdictOf } from '../src/report/verdict.js';
import { recordTags, tagValue } from '../src/state/record.js';
import { blueGreenInputs } from './helpers/blue-green.js';

const EMOJI = '🚀';
/** 256 code points, 511 UTF-16 units: a cut at 256 units would split the last pair. */
const LABEL_256 = `v${EMOJI.repeat(255)}`;

describe('tag values are counted in code points', () => {
  test('a 256-code-point emoji label is kept whole; a longer value is cut between code points', () => {
    expect(tagValue(LABEL_256)).toBe(LABEL_256);
    const cut = tagValue(`v${EMOJI.repeat(300)}`);
    expect(Array.from(cut)).toHaveLength(256); // code points
    expect(() => encodeURIComponent(cut)).not.toThrow();
    const tags = recordTags({
      current: {
        versionLabel: LABEL_256,
        launchTemplateId: 'lt-1',
        launchTemplateVersion: '2',
        group: 'g',
        time: '2026-11-27T12:00:00.000Z',
        runUrl: '',
      },
    });
    expect(tags['asg-deploy:version-label']).toBe(LABEL_256);
  });

  test('labels and group names over 256 code points or with control characters are refused at input time', () => {
    const read = (inputs: Record<string, string>) =>
      readConfig((name) => inputs[name] ?? '', { AWS_REGION: 'us-east-1' });
    const base = {
      'listener-arns': 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/a/1/2',
      'blue-auto-scaling-group': 'a',
      'green-auto-scaling-group': 'b',
      'launch-template-version': '2',
    };
    expect(read({ ...base, 'version-label': LABEL_256 }).ok).toBe(true);
    for (const bad of [`${LABEL_256}x`, 'v1\u0007', 'v1\nv2']) {
      const parsed = read({ ...base, 'version-label': bad });
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.problems.map((p) => p.input)).toEqual(['version-label']);
    }
    const parsed = read({ ...base, 'blue-auto-scaling-group': 'x'.repeat(256) });
    expect(parsed.ok).toBe(false);
  });
});

describe('the deployment record', () => {
  test('a 256-code-point emoji label deploys and is recorded whole', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const { report } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '2', 'version-label': LABEL_256 }),
    );
    expect(report.result).toBe('deployed');
    expect(verdictOf(report).failure).toBeUndefined();
    expect(f.sim.groupTags(f.greenGroup)['asg-deploy:version-label']).toBe(LABEL_256);
  });

  test('a record write that fails: the release stays live, the step fails loudly saying there is no record', async () => {
    const f = blueGreenFixture({ instances: 2 });
    f.sim.refuseCalls(
      (call) =>
        call.command === 'CreateOrUpdateTags' &&
        JSON.stringify(call.input).includes('asg-deploy:version-label') &&
        // the record write, not the lock write (which records what served before a first deploy)
        !JSON.stringify(call.input).includes('asg-deploy:lock'),
    );
    const { report } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '2', 'version-label': 'v2' }),
    );

    expect(report.result).toBe('deployed');
    // the groups carry only the record of what served before (blue), written with the lock
    expect(f.sim.groupTags(f.greenGroup)['asg-deploy:version-label']).toBe('');
    expect(f.sim.groupTags(f.greenGroup)['asg-deploy:color']).toBe('blue');
    const verdict = verdictOf(report);
    expect(verdict.failure).toMatch(
      /^The release is live \(result deployed, not rolled back\), but its deployment record could not be written: .*not authorized to perform: autoscaling:CreateOrUpdateTags.*mode: rollback must not be trusted for this release/,
    );
    expect(renderSummary(report)).toContain('> [!CAUTION]\n> **No deployment record:** The release is live');
  });
});
