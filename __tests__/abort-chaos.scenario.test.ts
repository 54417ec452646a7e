import { isDeepStrictEqual } from 'node:util';
import type { FaultKind } from '../sim/index.js';
import { deployOnSim, postOnSim } from '../sim/run-on-sim.js';
import type { StateName } from '../src/state/saved-run.js';
import { killable } from './helpers/killable.js';
import { snapshot } from './helpers/blue-green.js';
import { abortInputs, stagedTagsOf, stagedWorld, stageInputs, type StagedWorld } from './helpers/staged.js';

/**
 * An abort of a stage with both preview routes (a preview listener, and a
 * preview-header rule on each production listener), with one fault at every
 * AWS call: it ends aborted (everything as before the stage), or exactly
 * staged as before (a rule it had deleted is put back, and the stage record
 * names it), and a second abort then finishes. The same for an abort
 * cancelled after each of its writes and restored by the post step.
 */
const MAX_ATTEMPTS = 3;
const KINDS: { kind: FaultKind; repeat: number }[] = [
  { kind: 'server-error', repeat: MAX_ATTEMPTS },
  { kind: 'lost-response', repeat: 1 },
];

const world = () => stagedWorld({ listeners: 2, rules: 1 });
const stage = (f: StagedWorld) => stageInputs(f, { 'preview-header': 'X-Preview: 7f3c' });

/** Everything an abort may write; rules without their ARN (a rule put back has a new one). */
const state = (f: StagedWorld) => {
  const { versions: _versions, ...rest } = snapshot(f);
  const tags = stagedTagsOf(f, f.blueGroup);
  return {
    ...rest,
    preview: f.sim.listenerActions(f.previewArn),
    rules: f.listenerArns.map((arn) =>
      f.sim
        .listenerRules(arn)
        .map((r) => ({ priority: r.priority, conditions: r.conditions, actions: r.actions })),
    ),
    tags: Object.fromEntries(
      Object.entries(tags).filter(([k]) => !k.startsWith('asg-deploy:staged-preview-rule-')),
    ),
    sameTagsOnGreen: isDeepStrictEqual(tags, stagedTagsOf(f, f.greenGroup)),
  };
};

/** The stage record names exactly the preview rules that are there. */
function expectRecordNamesRules(f: StagedWorld, where: string) {
  const recorded = Object.entries(stagedTagsOf(f, f.blueGroup))
    .filter(([k]) => k.startsWith('asg-deploy:staged-preview-rule-'))
    .map(([, v]) => v)
    .sort();
  const there = f.listenerArns
    .flatMap((arn) => f.sim.listenerRules(arn))
    .filter((r) => JSON.stringify(r.conditions).includes('X-Preview'))
    .map((r) => r.arn)
    .sort();
  expect({ where, recorded }).toEqual({ where, recorded: there });
}

const abortCalls = await (async () => {
  const f = world();
  await deployOnSim(f.sim, stage(f));
  const before = f.sim.calls.length;
  const { report } = await deployOnSim(f.sim, abortInputs(f));
  expect(report.result).toBe('aborted');
  return f.sim.calls.length - before;
})();

describe.each(KINDS)('a $kind at every call of an abort', ({ kind, repeat }) => {
  test(`(${abortCalls} calls): aborted, or exactly staged as before and a second abort finishes`, async () => {
    for (let n = 1; n <= abortCalls; n++) {
      const f = world();
      const original = state(f);
      await deployOnSim(f.sim, stage(f));
      const staged = state(f);
      const at = f.sim.calls.length;
      f.sim.injectFault({ atCall: at + n, kind, repeat });
      const { report } = await deployOnSim(f.sim, abortInputs(f), { maxAttempts: MAX_ATTEMPTS });
      const where = `${kind} at abort call ${n} (${f.sim.calls[at + n - 1]?.command ?? 'none'}): ${report.result} ${report.reason ?? ''}`;
      if (report.result !== 'aborted') {
        expect({ where, state: state(f) }).toEqual({ where, state: staged });
        expectRecordNamesRules(f, where);
        const again = await deployOnSim(f.sim, abortInputs(f));
        expect({ where, again: again.report.result }).toEqual({ where, again: 'aborted' });
      }
      expect({ where, state: state(f) }).toEqual({ where, state: original });
    }
  }, 120_000);
});

test('an abort cancelled after each of its writes ends aborted or exactly staged, and a second abort finishes', async () => {
  const base = world();
  await deployOnSim(base.sim, stage(base));
  const stageWrites = base.sim.writes().length;
  await deployOnSim(base.sim, abortInputs(base));
  const writes = base.sim.writes().length - stageWrites;
  for (let n = 1; n <= writes; n++) {
    const f = world();
    const original = state(f);
    await deployOnSim(f.sim, stage(f));
    const staged = state(f);
    const switchboard = killable(f, n);
    const controller = new AbortController();
    const saved = new Map<StateName, string>();
    switchboard.control.onKill = () => controller.abort(new Error('the run was cancelled (SIGINT)'));
    const main = deployOnSim(f.sim, abortInputs(f), {
      aws: switchboard.aws,
      signal: controller.signal,
      state: saved,
    });
    const cancelled = await Promise.race([
      main.then(() => false),
      new Promise<boolean>((resolve) => {
        const poll = () => (controller.signal.aborted ? resolve(true) : setTimeout(poll, 1));
        poll();
      }),
    ]);
    const where = `killed after abort write ${n} of ${writes}`;
    if (!cancelled) continue;
    await postOnSim(f.sim, saved);
    const now = state(f);
    if (isDeepStrictEqual(now, original)) continue;
    expect({ where, state: now }).toEqual({ where, state: staged });
    expectRecordNamesRules(f, where);
    const again = await deployOnSim(f.sim, abortInputs(f));
    expect({ where, again: again.report.result }).toEqual({ where, again: 'aborted' });
    expect({ where, state: state(f) }).toEqual({ where, state: original });
  }
}, 120_000);
