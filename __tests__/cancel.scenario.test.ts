import type { JournalEntry } from '../src/engine/journal.js';
import { type BlueGreenFixture, blueGreenFixture } from '../sim/index.js';
import { deployOnSim, postOnSim } from '../sim/run-on-sim.js';
import type { StateName } from '../src/state/saved-run.js';
import { blueGreenInputs, snapshot, trafficTargets } from './helpers/blue-green.js';
import { killable } from './helpers/killable.js';

/**
 * The runner cancels: main gets SIGINT (its AbortSignal aborts) and may be
 * killed before it finishes restoring. Here main is cut off from AWS at the
 * moment of the cancel (every later call hangs, as in a killed process), then
 * the post step runs with the state main saved. Every case must end on the
 * original state, or, once the new release held all traffic (cleanup phase),
 * on the new release; and the lock is always released.
 */
const INPUTS = { 'image-id': 'ami-0123456789abcdef0', 'bake-time': '1m', 'health-timeout': '5m' };
const world = () => blueGreenFixture({ instances: 2, listeners: 2 });

interface Cut {
  /** Kill when this step begins (its write, if any, is never sent)… */
  atStep?: string;
  /** …or right after the n-th write lands. */
  afterWrite?: number;
  /** Main only aborts (it restores itself) instead of being killed. */
  abortOnly?: boolean;
}

async function cancelThenPost(cut: Cut) {
  const f = world();
  const before = snapshot(f);
  const controller = new AbortController();
  const switchboard = killable(f, cut.abortOnly ? undefined : cut.afterWrite);
  const state = new Map<StateName, string>();
  let cancelled!: () => void;
  const cancelledAt = new Promise<void>((resolve) => (cancelled = resolve));
  switchboard.control.onKill = () => {
    controller.abort(new Error('the run was cancelled (SIGINT)'));
    cancelled();
  };
  const main = deployOnSim(f.sim, blueGreenInputs(f, INPUTS), {
    aws: switchboard.aws,
    signal: controller.signal,
    state,
    onSave: (name, value) => {
      if (name !== 'journal' || cut.atStep === undefined) return;
      const last = (JSON.parse(value) as JournalEntry[]).at(-1);
      if (last?.id !== cut.atStep || last.status !== 'running') return;
      if (cut.abortOnly) {
        controller.abort(new Error('the run was cancelled (SIGINT)'));
        cancelled();
      } else switchboard.kill();
    },
  });
  const ended = await Promise.race([cancelledAt.then(() => 'cancelled'), main.then(() => 'finished')]);
  expect(ended).toBe('cancelled');
  if (cut.abortOnly) await main;
  const post = await postOnSim(f.sim, state);
  return { f, before, post };
}

const baseline = (async () => {
  const f = world();
  const run = await deployOnSim(f.sim, blueGreenInputs(f, INPUTS));
  return { steps: run.report.steps, writes: f.sim.writes().map((w) => w.command) };
})();

function expectSettled(f: BlueGreenFixture, before: ReturnType<typeof snapshot>, committed: boolean) {
  if (committed) expect(trafficTargets(f)).toEqual([[f.greenTargetGroupArn], [f.greenTargetGroupArn]]);
  else expect(snapshot(f)).toEqual(before);
  expect(f.sim.groupTags(f.blueGroup)['asg-deploy:lock']).toBeUndefined();
  expect(f.sim.groupTags(f.greenGroup)['asg-deploy:lock']).toBeUndefined();
}

test('the baseline deploy has the steps the sweep cancels at', async () => {
  const { steps } = await baseline;
  expect(steps.map((s) => s.id)).toEqual([
    'create-launch-template-version',
    'prepare-idle',
    'wait-healthy',
    'shift-traffic',
    'bake',
    'verify-cut-over',
    'record-deployment',
    'scale-down-previous',
  ]);
});

describe.each([
  ['killed', false],
  ['aborted (main restores by itself)', true],
])('cancelled at the start of each step, main %s, then post', (_label, abortOnly) => {
  test.each([
    'create-launch-template-version',
    'prepare-idle',
    'wait-healthy',
    'shift-traffic',
    'bake',
    'verify-cut-over',
    'record-deployment',
    'scale-down-previous',
  ])('%s', async (step) => {
    const { f, before, post } = await cancelThenPost({ atStep: step, abortOnly });
    const committed = ['record-deployment', 'scale-down-previous'].includes(step);
    expectSettled(f, before, committed);
    if (!abortOnly && !committed) expect(post?.undone).toBe(true);
    if (abortOnly) expect(post?.undone).toBeUndefined(); // main finished its own rollback
  });
});

test('killed right after each write lands (its answer lost), then post', async () => {
  const { writes } = await baseline;
  // lock, new version, green sized, two listeners, record, blue scaled down, lock released
  expect(writes).toEqual([
    'CreateOrUpdateTags',
    'CreateLaunchTemplateVersion',
    'UpdateAutoScalingGroup',
    'ModifyListener',
    'ModifyListener',
    'CreateOrUpdateTags',
    'UpdateAutoScalingGroup',
    'DeleteTags',
  ]);
  const recordWrite = writes.lastIndexOf('CreateOrUpdateTags') + 1;
  for (let n = 1; n <= writes.length; n++) {
    const { f, before } = await cancelThenPost({ afterWrite: n });
    expectSettled(f, before, n >= recordWrite);
  }
});
