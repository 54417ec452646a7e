import { blueGreenFixture } from '../sim/index.js';
import { configFrom } from '../sim/run-on-sim.js';
import { plannedWrites } from '../src/pipeline/planned-writes.js';
import { firstRecordTags } from '../src/pipeline/run-deployment.js';
import type { RecordPlan } from '../src/state/record-step.js';
import { type DeploymentEntry, parseRecord } from '../src/state/record.js';
import { blueGreenInputs } from './helpers/blue-green.js';

const live: DeploymentEntry = {
  versionLabel: '',
  launchTemplateId: 'lt-0123456789abcdef0',
  launchTemplateVersion: '7',
  color: 'blue',
  group: 'app-blue',
  time: '2026-11-27T12:00:00.000Z',
  runUrl: '',
};
const plan: RecordPlan = {
  groups: ['app-blue', 'app-green'],
  serving: { group: 'app-green', color: 'green', versionLabel: 'v8' },
  previous: live,
};

describe('the record a first deploy writes with its lock (firstRecordTags)', () => {
  const f = blueGreenFixture({ instances: 2 });
  const config = (extra: Record<string, string>) => configFrom(blueGreenInputs(f, extra));

  test('deploy and plan with no record: the live entry as the current one, no previous', () => {
    for (const mode of ['deploy', 'plan']) {
      const tags = firstRecordTags(config({ mode, 'launch-template-version': '2' }), plan, undefined);
      expect(parseRecord(tags ?? {})).toEqual({ current: live });
      // the previous slot is written empty, so nothing stale lingers
      expect(tags?.['asg-deploy:previous-color']).toBe('');
    }
  });

  test('none over a record, none in rollback, none for a fleet without a color (single group)', () => {
    const deploy = config({ 'launch-template-version': '2' });
    expect(firstRecordTags(deploy, plan, { current: { ...live, versionLabel: 'v7' } })).toBeUndefined();
    expect(firstRecordTags(config({ mode: 'rollback' }), plan, undefined)).toBeUndefined();
    const { color: _color, ...uncolored } = live;
    expect(firstRecordTags(deploy, { ...plan, previous: uncolored }, undefined)).toBeUndefined();
    expect(firstRecordTags(deploy, undefined, undefined)).toBeUndefined();
  });

  test('the plan lists it with the lock write', () => {
    const [withRecord] = plannedWrites(['app-blue', 'app-green'], Date.parse('2026-11-27T13:00:00Z'), [], {
      firstRecord: live,
    });
    expect(withRecord?.detail).toBe(
      'asg-deploy:lock = this run, until 2026-11-27T13:00:00.000Z; asg-deploy:lock-run-url = run URL; no deployment record yet: deployment record of what serves now, unlabelled version (blue, launch template version 7)',
    );
    const [plain] = plannedWrites(['app-blue', 'app-green'], Date.parse('2026-11-27T13:00:00Z'), []);
    expect(plain?.detail).not.toContain('record');
  });
});
