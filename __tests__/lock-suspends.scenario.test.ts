import { ResumeProcessesCommand } from '@aws-sdk/client-auto-scaling';
import type { InitializeMiddleware, MetadataBearer } from '@smithy/types';
import { blueGreenFixture } from '../sim/index.js';
import { gateways } from '../src/aws/index.js';
import { deployOnSim, postOnSim } from '../sim/run-on-sim.js';
import type { StateName } from '../src/state/saved-run.js';
import { LOCK_GRACE_MS, LOCK_SUSPENDS_KEY } from '../src/state/lock.js';
import { blueGreenInputs } from './helpers/blue-green.js';
import { killable } from './helpers/killable.js';

/**
 * Scaling processes a run suspended and could not resume (main and its post
 * step both gone): its lock recorded them per group (asg-deploy:lock-suspends),
 * so the next run that holds the groups, once that lock has expired, knows
 * they are not the team's and resumes them at its end. A process the team
 * had suspended before stays suspended; a live lock is still refused.
 */
const world = () => {
  const f = blueGreenFixture({ instances: 2, listeners: 1 });
  // the team's own: AZRebalance suspended on blue before any run
  f.sim.suspendProcessesForTest(f.blueGroup, ['AZRebalance']);
  return f;
};
const killedRun = { runId: '123', attempt: 1, runUrl: 'https://github.com/acme/shop/actions/runs/123' };
const nextRun = { runId: '124', attempt: 1, runUrl: 'https://github.com/acme/shop/actions/runs/124' };
const TIMEOUT = { timeout: '30m' };

type World = ReturnType<typeof world>;
const suspendedSets = (f: World) => ({
  blue: f.sim.suspendedProcesses(f.blueGroup),
  green: f.sim.suspendedProcesses(f.greenGroup),
});

/** A deploy killed once its lock and both suspensions have landed (writes 1 to 3), with no post step. */
async function killAfterSuspend(f: World, inputs: Record<string, string>): Promise<void> {
  const main = killable(f, 3);
  void deployOnSim(f.sim, blueGreenInputs(f, { ...TIMEOUT, ...inputs }), { aws: main.aws, run: killedRun });
  for (let i = 0; i < 1000 && !main.control.killed; i++) await f.sim.clock.sleep(1_000);
  expect(main.control.killed).toBe(true);
  expect(suspendedSets(f)).toEqual({
    blue: ['AZRebalance', 'AlarmNotification', 'ScheduledActions'],
    green: ['AZRebalance', 'AlarmNotification', 'ScheduledActions'],
  });
  // what the lock recorded: on blue, only what the run added to the team's AZRebalance
  expect(f.sim.groupTags(f.blueGroup)[LOCK_SUSPENDS_KEY]).toMatch(
    /^run=123 attempt=1 token=\S+ processes=AlarmNotification,ScheduledActions$/,
  );
  expect(f.sim.groupTags(f.greenGroup)[LOCK_SUSPENDS_KEY]).toMatch(
    /^run=123 attempt=1 token=\S+ processes=AlarmNotification,ScheduledActions,AZRebalance$/,
  );
}

const blueLeft =
  'app-blue: AlarmNotification, ScheduledActions were suspended by run 123, which did not finish';
const greenLeft =
  'app-green: AlarmNotification, ScheduledActions, AZRebalance were suspended by run 123, which did not finish';

describe('scaling processes a killed run left suspended (asg-deploy:lock-suspends)', () => {
  test('killed after its suspension with no post step: status and plan say so; the next deploy, once the lock has expired, ends with the sets as before the killed run', async () => {
    const f = world();
    const before = suspendedSets(f);
    await killAfterSuspend(f, { 'launch-template-version': '2' });
    f.sim.clock.advance(30 * 60_000 + LOCK_GRACE_MS);

    // status (read only) reports it
    const status = await deployOnSim(f.sim, blueGreenInputs(f, { mode: 'status' }), { run: nextRun });
    expect(status.report.status?.notes).toEqual(
      expect.arrayContaining([
        `${blueLeft}: the next run that takes the lock resumes them at its end`,
        `${greenLeft}: the next run that takes the lock resumes them at its end`,
      ]),
    );

    // plan mode says so, lists the resumes and the lock tag, and writes nothing
    const writes = f.sim.writes().length;
    const plan = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { mode: 'plan', 'launch-template-version': '2' }),
      {
        run: nextRun,
      },
    );
    expect(plan.report.result).toBe('planned');
    expect(f.sim.writes().length).toBe(writes);
    expect(plan.log.lines).toContain(`warning: ${blueLeft}: they will be resumed at the end`);
    expect(plan.log.lines).toContain(`warning: ${greenLeft}: they will be resumed at the end`);
    expect(plan.log.lines).toContain(
      'app-blue already has AZRebalance suspended: left suspended after the run',
    );
    const planned = plan.report.plannedWrites;
    expect(planned[0]?.detail).toContain(
      `${LOCK_SUSPENDS_KEY} = what the run resumes at its end (app-blue: AlarmNotification, ScheduledActions; app-green: AlarmNotification, ScheduledActions, AZRebalance)`,
    );
    // nothing left to suspend (all already are): no SuspendProcesses, one ResumeProcesses per group
    expect(planned.filter((w) => w.action === 'SuspendProcesses')).toEqual([]);
    expect(planned.filter((w) => w.action === 'ResumeProcesses').map((w) => [w.target, w.detail])).toEqual([
      ['app-blue', 'AlarmNotification, ScheduledActions (when the run ends, whatever the ending)'],
      [
        'app-green',
        'AlarmNotification, ScheduledActions, AZRebalance (when the run ends, whatever the ending)',
      ],
    ]);

    const sentBefore = f.sim.writes().length;
    const { report, log } = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }), {
      run: nextRun,
    });
    expect(report.result).toBe('deployed');
    expect(log.lines).toContain(`warning: ${blueLeft}: they will be resumed at the end`);
    expect(suspendedSets(f)).toEqual(before);
    expect(before).toEqual({ blue: ['AZRebalance'], green: [] });
    // no extra write: the existing resume, not a SuspendProcesses of what already was
    const sent = f.sim.writes().slice(sentBefore);
    expect(sent.filter((w) => w.command === 'SuspendProcesses')).toEqual([]);
    expect(sent.filter((w) => w.command === 'ResumeProcesses')).toHaveLength(2);
    // the lock and what it recorded are gone
    for (const group of [f.blueGroup, f.greenGroup]) {
      expect(f.sim.groupTags(group)['asg-deploy:lock']).toBeUndefined();
      expect(f.sim.groupTags(group)[LOCK_SUSPENDS_KEY]).toBeUndefined();
    }
  });

  test('the same with mode: rollback: back to the previous release, each group with its suspended set as before the killed run', async () => {
    const f = world();
    const first = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }));
    expect(first.report.result).toBe('deployed');
    const before = suspendedSets(f);
    expect(before).toEqual({ blue: ['AZRebalance'], green: [] });
    await killAfterSuspend(f, { 'launch-template-version': '3' });
    f.sim.clock.advance(30 * 60_000 + LOCK_GRACE_MS);

    const { report, log } = await deployOnSim(f.sim, blueGreenInputs(f, { mode: 'rollback' }), {
      run: nextRun,
    });
    expect(report.result).toBe('rolled-back');
    expect(report.outputs['active-color']).toBe('blue');
    expect(log.lines).toContain(`warning: ${greenLeft}: they will be resumed at the end`);
    expect(suspendedSets(f)).toEqual(before);
    expect(f.sim.groupTags(f.blueGroup)[LOCK_SUSPENDS_KEY]).toBeUndefined();
    expect(f.sim.groupTags(f.greenGroup)[LOCK_SUSPENDS_KEY]).toBeUndefined();
  });

  test('while the killed run’s lock is live: a deploy is still refused before any write, and the processes stay as they are', async () => {
    const f = world();
    await killAfterSuspend(f, { 'launch-template-version': '2' });
    const suspended = suspendedSets(f);
    f.sim.clock.advance(10 * 60_000);

    const status = await deployOnSim(f.sim, blueGreenInputs(f, { mode: 'status' }), { run: nextRun });
    expect(status.report.status?.notes.join('\n')).not.toContain('which did not finish');

    const writes = f.sim.writes().length;
    const { report } = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }), {
      run: nextRun,
    });
    expect(report.result).toBe('failed');
    expect(report.problems.join('\n')).toContain('is locked by another deployment: run 123');
    expect(f.sim.writes().length).toBe(writes);
    expect(suspendedSets(f)).toEqual(suspended);
  });

  test('with suspend-processes: none the next run still resumes what the dead run left suspended; a group the team resumed by hand is left alone', async () => {
    const f = world();
    await killAfterSuspend(f, { 'launch-template-version': '2' });
    f.sim.clock.advance(30 * 60_000 + LOCK_GRACE_MS);
    // the team resumed green by hand: its record names nothing still suspended
    await f.sim
      .clients()
      .autoScaling.send(new ResumeProcessesCommand({ AutoScalingGroupName: f.greenGroup }));
    const { report, log } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '2', 'suspend-processes': 'none' }),
      { run: nextRun },
    );
    expect(report.result).toBe('deployed');
    // blue: the dead run's two resumed, the team's AZRebalance kept; green: nothing to resume, not warned
    expect(suspendedSets(f)).toEqual({ blue: ['AZRebalance'], green: [] });
    expect(log.lines.filter((l) => l.includes('which did not finish'))).toEqual([
      `warning: ${blueLeft}: they will be resumed at the end`,
    ]);
    // nothing suspended or resumed on green by this run
    expect(
      f.sim
        .writes()
        .filter((w) => /Processes$/.test(w.command) && JSON.stringify(w.input).includes(f.greenGroup)),
    ).toHaveLength(2); // the killed run's suspend, the team's resume
    for (const group of [f.blueGroup, f.greenGroup])
      expect(f.sim.groupTags(group)[LOCK_SUSPENDS_KEY]).toBeUndefined();
  });

  test('a resume that AWS refuses at the end of a run: the lock goes, its record of what it suspended stays, and the next run resumes them', async () => {
    const f = world();
    const before = suspendedSets(f);
    const clients = f.sim.clients();
    const refuseResume: InitializeMiddleware<object, MetadataBearer> = (next, context) => (args) =>
      context.commandName === 'ResumeProcessesCommand'
        ? Promise.reject(new Error('AccessDenied: not authorized to perform autoscaling:ResumeProcesses'))
        : next(args);
    clients.autoScaling.middlewareStack.add(refuseResume as never, {
      step: 'initialize',
      name: 'refuseResume',
    });
    const first = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }), {
      aws: gateways(clients),
      run: killedRun,
    });
    expect(first.report.result).toBe('deployed');
    expect(suspendedSets(f).green).toEqual(['AZRebalance', 'AlarmNotification', 'ScheduledActions']);
    expect(f.sim.groupTags(f.greenGroup)['asg-deploy:lock']).toBeUndefined();
    expect(f.sim.groupTags(f.greenGroup)[LOCK_SUSPENDS_KEY]).toContain('run=123 ');

    // no lock left, no wait: the next run resumes them
    const { report, log } = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '1' }), {
      run: nextRun,
    });
    expect(report.result).toBe('deployed');
    expect(log.lines).toContain(`warning: ${greenLeft}: they will be resumed at the end`);
    expect(suspendedSets(f)).toEqual(before);
    for (const group of [f.blueGroup, f.greenGroup])
      expect(f.sim.groupTags(group)[LOCK_SUSPENDS_KEY]).toBeUndefined();
  });

  test('main killed after its suspension, the post step runs: it resumes them and removes the record with the lock', async () => {
    const f = world();
    const before = suspendedSets(f);
    const main = killable(f, 3);
    const state = new Map<StateName, string>();
    void deployOnSim(f.sim, blueGreenInputs(f, { ...TIMEOUT, 'launch-template-version': '2' }), {
      aws: main.aws,
      run: killedRun,
      state,
    });
    for (let i = 0; i < 1000 && !main.control.killed; i++) await f.sim.clock.sleep(1_000);
    expect(main.control.killed).toBe(true);
    expect(f.sim.groupTags(f.greenGroup)[LOCK_SUSPENDS_KEY]).toContain('run=123 ');

    await postOnSim(f.sim, state);
    expect(suspendedSets(f)).toEqual(before);
    for (const group of [f.blueGroup, f.greenGroup]) {
      expect(f.sim.groupTags(group)['asg-deploy:lock']).toBeUndefined();
      expect(f.sim.groupTags(group)[LOCK_SUSPENDS_KEY]).toBeUndefined();
    }
  });
  test('a run that took over what a dead run left suspended and withdrew before its first step keeps that record for the run after it', async () => {
    const f = world();
    const before = suspendedSets(f);
    await killAfterSuspend(f, { 'launch-template-version': '2' });
    f.sim.clock.advance(30 * 60_000 + LOCK_GRACE_MS);

    // run 124's lock write is slow (3 s in transit, past the 2 s a lock write may take): it withdraws
    f.sim.delayCalls(
      (call) => call.command === 'CreateOrUpdateTags' && JSON.stringify(call.input).includes('run=124 '),
      3_000,
    );
    const withdrawn = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }), {
      run: nextRun,
    });
    expect(withdrawn.report.result).toBe('failed');
    expect(withdrawn.report.steps).toEqual([]);
    expect(f.sim.groupTags(f.blueGroup)['asg-deploy:lock']).toBeUndefined();
    // what it had taken over stays on record, marked as the dead run's
    expect(f.sim.groupTags(f.blueGroup)[LOCK_SUSPENDS_KEY]).toMatch(
      /^run=124 attempt=1 token=\S+ processes=AlarmNotification,ScheduledActions adopted=AlarmNotification,ScheduledActions$/,
    );
    expect(suspendedSets(f)).not.toEqual(before);

    const { report, log } = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }), {
      run: { runId: '125', attempt: 1, runUrl: 'https://github.com/acme/shop/actions/runs/125' },
    });
    expect(report.result).toBe('deployed');
    expect(log.lines).toContain(
      'warning: app-blue: AlarmNotification, ScheduledActions were suspended by run 124, which did not finish: they will be resumed at the end',
    );
    expect(suspendedSets(f)).toEqual(before);
    expect(f.sim.groupTags(f.blueGroup)[LOCK_SUSPENDS_KEY]).toBeUndefined();
  });
});
