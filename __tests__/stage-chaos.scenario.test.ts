import type { FaultKind } from '../sim/index.js';
import { deployOnSim, postOnSim } from '../sim/run-on-sim.js';
import type { JournalEntry } from '../src/engine/journal.js';
import type { StateName } from '../src/state/saved-run.js';
import { snapshot, trafficTargets } from './helpers/blue-green.js';
import { killable } from './helpers/killable.js';
import {
  PREVIEW_BEFORE,
  promoteInputs,
  stagedTagsOf,
  stagedWorld,
  stageInputs,
  type StagedWorld,
} from './helpers/staged.js';

/**
 * Chaos and cancel for the staged flow (a preview listener and a preview-header
 * rule on each production listener): one fault at every AWS call of a stage
 * and of a promote, for each fault kind; and a cancel (main killed, then the
 * post step) at every write. A stage ends staged or exactly as it began; a
 * promote ends promoted or exactly staged as before, production restored.
 */
const MAX_ATTEMPTS = 3;
const KINDS: { kind: FaultKind; repeat: number }[] = [
  { kind: 'throttle', repeat: 1 },
  { kind: 'server-error', repeat: MAX_ATTEMPTS },
  { kind: 'timeout', repeat: 1 },
  { kind: 'lost-response', repeat: 1 },
];

/** Everything the flow may write: production routes, both groups, the preview listener, the stage record. */
const state = (f: StagedWorld) => ({
  ...snapshot(f),
  preview: f.sim.listenerActions(f.previewArn),
  blueTags: stagedTagsOf(f, f.blueGroup),
  greenTags: stagedTagsOf(f, f.greenGroup),
  locks: [f.blueGroup, f.greenGroup].map((g) => f.sim.groupTags(g)['asg-deploy:lock']),
  // every rule of the production listeners: the preview-header rule comes and goes, nothing else changes
  productionRules: f.listenerArns.map((arn) => f.sim.listenerRules(arn)),
});

/** The preview-header rule of each production listener: its target groups. */
const headerRules = (f: StagedWorld) =>
  f.listenerArns.map((arn) =>
    f.sim
      .listenerRules(arn)
      .filter((r) => JSON.stringify(r.conditions).includes(HEADER_NAME))
      .map((r) => r.actions[0]?.TargetGroupArn),
  );

const world = () => stagedWorld({ listeners: 2 });
const HEADER_NAME = 'X-Preview';
/** A stage with both preview routes: the preview listener and the header rule on each production listener. */
const stage = (f: StagedWorld) => stageInputs(f, { 'preview-header': `${HEADER_NAME}: 7f3c` });
const promote = (f: StagedWorld) => promoteInputs(f, { 'traffic-shift': 'linear:50:20s' });

async function stagedOk(f: StagedWorld) {
  const { report } = await deployOnSim(f.sim, stage(f));
  expect(report.result).toBe('staged');
}

const stageCalls = await (async () => {
  const f = world();
  await stagedOk(f);
  return f.sim.calls.length;
})();
const promoteCalls = await (async () => {
  const f = world();
  await stagedOk(f);
  const { report } = await deployOnSim(f.sim, promote(f));
  expect(report.result).toBe('deployed');
  return f.sim.calls.length - stageCalls;
})();

function expectStaged(f: StagedWorld, where: string) {
  const preview = f.sim.listenerActions(f.previewArn)[0]?.ForwardConfig?.TargetGroups;
  expect({ where, preview }).toEqual({
    where,
    preview: [{ TargetGroupArn: f.greenTargetGroupArn, Weight: 1 }],
  });
  expect({ where, label: stagedTagsOf(f, f.blueGroup)['asg-deploy:staged-version-label'] }).toEqual({
    where,
    label: 'v2',
  });
  expect({ where, traffic: trafficTargets(f) }).toEqual({
    where,
    traffic: [[f.blueTargetGroupArn], [f.blueTargetGroupArn]],
  });
  expect({ where, rules: headerRules(f) }).toEqual({
    where,
    rules: [[f.greenTargetGroupArn], [f.greenTargetGroupArn]],
  });
}

function expectPromoted(f: StagedWorld, where: string) {
  expect({ where, traffic: trafficTargets(f) }).toEqual({
    where,
    traffic: [[f.greenTargetGroupArn], [f.greenTargetGroupArn]],
  });
  expect({ where, preview: f.sim.listenerActions(f.previewArn) }).toEqual({ where, preview: PREVIEW_BEFORE });
  expect({ where, tags: stagedTagsOf(f, f.blueGroup) }).toEqual({ where, tags: {} });
  expect({ where, rules: headerRules(f) }).toEqual({ where, rules: [[], []] });
}

describe.each(KINDS)('a $kind at every call', ({ kind, repeat }) => {
  test(`of a stage (${stageCalls} calls): staged, or exactly as before`, async () => {
    for (let n = 1; n <= stageCalls; n++) {
      const f = world();
      const before = state(f);
      f.sim.injectFault({ atCall: n, kind, repeat });
      const { report } = await deployOnSim(f.sim, stage(f), { maxAttempts: MAX_ATTEMPTS });
      const where = `${kind} at call ${n} (${f.sim.calls.find((c) => c.fault)?.command ?? 'none'}): ${report.reason ?? ''}`;
      if (report.result === 'staged') expectStaged(f, where);
      else expect({ where, state: state(f) }).toEqual({ where, state: before });
    }
  }, 120_000);

  test(`of a promote (${promoteCalls} calls): promoted, or exactly staged as before`, async () => {
    for (let n = 1; n <= promoteCalls; n++) {
      const f = world();
      await stagedOk(f);
      const before = state(f);
      f.sim.injectFault({ atCall: stageCalls + n, kind, repeat });
      const { report } = await deployOnSim(f.sim, promote(f), { maxAttempts: MAX_ATTEMPTS });
      const where = `${kind} at promote call ${n} (${f.sim.calls.find((c) => c.fault)?.command ?? 'none'}): ${report.result} ${report.reason ?? ''}`;
      if (report.result === 'deployed') {
        if (report.warnings.length > 0 && Object.keys(stagedTagsOf(f, f.blueGroup)).length > 0) {
          // a clean-up step failed (reported, never rolled back) and the stage is left: a second promote finishes it
          const again = await deployOnSim(f.sim, promote(f));
          expect({ where, again: again.report.result }).toEqual({ where, again: 'deployed' });
        }
        expectPromoted(f, where);
      } else {
        expect({ where, state: state(f) }).toEqual({ where, state: before });
        expectStaged(f, where);
      }
    }
  }, 120_000);
});

/** Main killed right after its n-th write lands, then the post step with what main saved. */
async function killThenPost(f: StagedWorld, inputs: Record<string, string>, afterWrite: number) {
  const switchboard = killable(f, afterWrite);
  const controller = new AbortController();
  const saved = new Map<StateName, string>();
  let cancelled!: () => void;
  const cancelledAt = new Promise<void>((resolve) => (cancelled = resolve));
  switchboard.control.onKill = () => {
    controller.abort(new Error('the run was cancelled (SIGINT)'));
    cancelled();
  };
  const main = deployOnSim(f.sim, inputs, { aws: switchboard.aws, signal: controller.signal, state: saved });
  const ended = await Promise.race([cancelledAt.then(() => 'cancelled'), main.then(() => 'finished')]);
  if (ended === 'finished') return { finished: true, journal: [] as JournalEntry[] };
  await postOnSim(f.sim, saved);
  return { finished: false, journal: JSON.parse(saved.get('journal') ?? '[]') as JournalEntry[] };
}

test('a stage cancelled after each of its writes is restored exactly by the post step', async () => {
  const base = world();
  await stagedOk(base);
  const writes = base.sim.writes().length;
  for (let n = 1; n <= writes; n++) {
    const f = world();
    const before = state(f);
    await killThenPost(f, stage(f), n);
    const where = `killed after write ${n} of ${writes}`;
    // the last write releases the lock: every step had finished
    if (n < writes) expect({ where, state: state(f) }).toEqual({ where, state: before });
    else expectStaged(f, where);
    expect({ where, locks: state(f).locks }).toEqual({ where, locks: [undefined, undefined] });
  }
}, 120_000);

test('a promote cancelled after each of its writes ends staged as before, or promoted once production moved', async () => {
  const base = world();
  await stagedOk(base);
  const stageWrites = base.sim.writes().length;
  await deployOnSim(base.sim, promote(base));
  const writes = base.sim.writes().length - stageWrites;
  for (let n = 1; n <= writes; n++) {
    const f = world();
    await stagedOk(f);
    const before = state(f);
    const { finished, journal } = await killThenPost(f, promote(f), n);
    const where = `killed after promote write ${n} of ${writes}`;
    if (finished) continue;
    const committed = journal.some((e) => e.id === 'record-deployment');
    if (committed) {
      expect({ where, traffic: trafficTargets(f) }).toEqual({
        where,
        traffic: [[f.greenTargetGroupArn], [f.greenTargetGroupArn]],
      });
    } else expect({ where, state: state(f) }).toEqual({ where, state: before });
    expect({ where, locks: state(f).locks }).toEqual({ where, locks: [undefined, undefined] });
  }
}, 120_000);
