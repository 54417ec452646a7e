/**
 * How a running Instance Refresh replaces instances, as AWS documents it, on
 * the virtual clock. Every TICK it looks at the group and moves on:
 *
 * - batches bounded by the healthy percentages of the desired capacity: at most
 *   `desired × max %` instances InService (launch before terminate when max >
 *   100), at least `desired × min %` healthy ones, and always at least one
 *   instance per batch (AWS replaces one at a time even when the bounds allow none);
 * - a replacement counts once it is InService, healthy (in every target group
 *   when the health check type is ELB) and past its warm-up;
 * - checkpoints: after reaching one, it waits CheckpointDelay (InProgress,
 *   StatusReason says so); batches never overshoot a checkpoint;
 * - a replacement that turns unhealthy fails the refresh, as does an alarm of
 *   the AlarmSpecification in ALARM; with AutoRollback it then rolls back;
 * - BakeTime: Baking after the last batch, alarms still watched;
 * - on success the desired configuration becomes the group's (only then).
 * A rollback is the same machine run backwards: the instances not on the
 * group's own configuration are replaced by ones that are.
 */
import { healthStatus, launch, terminate } from './auto-scaling.js';
import { resolveVersionNumber } from './ec2.js';
import { leaving, type Group, type Instance, type InstanceRefresh, type SimState } from './state.js';

export const TICK_MS = 5_000;
/** A batch whose replacements are not ready by then fails the refresh. */
const BATCH_LIMIT_MS = 60 * 60_000;

export interface RefreshPrefs {
  minHealthy: number;
  maxHealthy: number;
  warmupMs: number;
  checkpoints: number[];
  checkpointDelayMs: number;
  skipMatching: boolean;
  autoRollback: boolean;
  alarms: string[];
  bakeMs: number;
  /** ScaleInProtectedInstances: Refresh, Ignore or Wait. */
  protectedInstances: string;
  /** StandbyInstances: Terminate, Ignore or Wait. */
  standbyInstances: string;
}

/** How long Wait waits for protected or standby instances before the refresh fails (AWS: one hour). */
const WAIT_LIMIT_MS = 60 * 60_000;

interface Batch {
  fresh: Instance[];
  /** Old instances kept until the batch is ready (launch before terminate). */
  terminateAfter: Instance[];
  startedAt: number;
}

interface Run {
  sim: SimState;
  group: Group;
  refresh: InstanceRefresh;
  prefs: RefreshPrefs;
  phase: 'refresh' | 'rollback';
  /** What replacements are launched from. */
  target: { id: string; version: string };
  toReplace: Instance[];
  /** Protected or Standby instances the refresh waits for (preference Wait). */
  waiting: Instance[];
  waitingSince?: number;
  total: number;
  replaced: number;
  batch?: Batch;
  checkpointUntil?: number;
  bakeUntil?: number;
}

const runs = new WeakMap<InstanceRefresh, Run>();

export function matches(
  sim: SimState,
  instance: Instance,
  template: { id: string; version: string },
): boolean {
  const lt = sim.launchTemplates.get(template.id);
  return (
    lt !== undefined &&
    instance.ltId === template.id &&
    instance.version === resolveVersionNumber(lt, template.version)
  );
}

/** Begins replacing (Pending first, InProgress at the first tick). */
export function beginRefresh(
  sim: SimState,
  group: Group,
  refresh: InstanceRefresh,
  prefs: RefreshPrefs,
  target: { id: string; version: string },
): void {
  const candidates = group.instances.filter(
    (i) => !leaving(i) && !(prefs.skipMatching && matches(sim, i, target)),
  );
  const held = (i: Instance): 'Ignore' | 'Wait' | 'Terminate' | undefined => {
    if (i.lifecycle === 'Standby')
      return prefs.standbyInstances === 'Ignore'
        ? 'Ignore'
        : prefs.standbyInstances === 'Terminate'
          ? 'Terminate'
          : 'Wait';
    if (i.protectedFromScaleIn && prefs.protectedInstances !== 'Refresh')
      return prefs.protectedInstances === 'Ignore' ? 'Ignore' : 'Wait';
    return undefined;
  };
  for (const i of candidates) if (held(i) === 'Terminate') terminate(sim, group, i);
  const toReplace = candidates.filter((i) => held(i) === undefined);
  const waiting = candidates.filter((i) => held(i) === 'Wait');
  const run: Run = {
    sim,
    group,
    refresh,
    prefs,
    phase: 'refresh',
    target,
    toReplace,
    waiting,
    total: toReplace.length + waiting.length,
    replaced: 0,
  };
  refresh.instancesToUpdate = toReplace.length + waiting.length;
  runs.set(refresh, run);
  schedule(run);
}

export function requestCancel(refresh: InstanceRefresh): void {
  refresh.status = 'Cancelling';
  refresh.statusReason = 'Cancellation requested';
}

export function requestRollback(refresh: InstanceRefresh): void {
  const run = runs.get(refresh);
  if (run) startRollback(run, 'Rollback requested by the user.', true);
}

function schedule(run: Run): void {
  run.sim.clock.schedule(run.sim.now() + TICK_MS, () => tick(run));
}

function ready(run: Run, i: Instance): boolean {
  if (i.lifecycle !== 'InService' || !healthy(run, i)) return false;
  return run.sim.now() - i.launchedAt >= run.sim.timing.bootSeconds * 1000 + run.prefs.warmupMs;
}

/** ASG health: ELB health checks see target health; EC2 ones only the instance. */
function healthy(run: Run, i: Instance): boolean {
  return (
    i.lifecycle === 'InService' && healthStatus(run.sim, run.group, i) === 'Healthy' && !targetNotYet(run, i)
  );
}

/** A target still `initial` is not healthy yet for the ELB health check. */
function targetNotYet(run: Run, i: Instance): boolean {
  if (run.group.healthCheckType !== 'ELB') return false;
  return run.group.targetGroupArns.some(
    (arn) => run.sim.targetGroups.get(arn)?.targets.get(i.id)?.state === 'initial',
  );
}

function tick(run: Run): void {
  const { refresh: r, sim } = run;
  if (r.status === 'Cancelling') {
    finish(run, 'Cancelled', 'Instance refresh was cancelled.');
    return;
  }
  if (r.status === 'Pending') r.status = 'InProgress';
  if (r.status !== 'InProgress' && r.status !== 'Baking' && r.status !== 'RollbackInProgress') return;
  if (run.phase === 'refresh') {
    const alarm = run.prefs.alarms.find((name) => sim.alarms.get(name)?.state === 'ALARM');
    if (alarm) return fail(run, `Instance refresh failed: alarm ${alarm} is in ALARM state.`);
  }
  if (r.status === 'Baking') {
    if (sim.now() >= (run.bakeUntil ?? 0)) return succeed(run);
    return schedule(run);
  }
  if (run.batch && !advanceBatch(run)) return;
  if (run.checkpointUntil !== undefined) {
    if (sim.now() < run.checkpointUntil) return schedule(run);
    run.checkpointUntil = undefined;
    r.statusReason = '';
  }
  if (run.toReplace.length === 0 && run.phase === 'refresh' && run.waiting.length > 0) {
    if (!waitForHeld(run)) return;
  }
  if (run.toReplace.length === 0) {
    if (run.phase === 'refresh' && run.prefs.bakeMs > 0) {
      r.status = 'Baking';
      r.statusReason = `Baking for ${run.prefs.bakeMs / 1000} seconds`;
      run.bakeUntil = sim.now() + run.prefs.bakeMs;
      return schedule(run);
    }
    return succeed(run);
  }
  startBatch(run);
  schedule(run);
}

/**
 * Wait: instances that left protection or standby join the replacements; the
 * refresh fails when some are still held after an hour. True to go on this tick.
 */
function waitForHeld(run: Run): boolean {
  const { sim } = run;
  const free = run.waiting.filter((i) => i.lifecycle === 'InService' && !i.protectedFromScaleIn);
  run.waiting = run.waiting.filter((i) => !free.includes(i) && !leaving(i));
  run.toReplace.push(...free);
  if (run.toReplace.length > 0 || run.waiting.length === 0) {
    run.waitingSince = undefined;
    run.refresh.statusReason = '';
    return true;
  }
  run.waitingSince ??= sim.now();
  if (sim.now() - run.waitingSince >= WAIT_LIMIT_MS) {
    fail(
      run,
      `Instance refresh failed: ${run.waiting.length} instance(s) protected from scale in or in Standby were not released within one hour (${run.waiting.map((i) => i.id).join(', ')}).`,
    );
    return false;
  }
  run.refresh.statusReason = `Waiting for ${run.waiting.length} instance(s) protected from scale in or in Standby (${run.waiting.map((i) => i.id).join(', ')}).`;
  schedule(run);
  return false;
}

/** True when the batch is over (or there was none); false when the tick is done. */
function advanceBatch(run: Run): boolean {
  const batch = run.batch;
  if (!batch) return true;
  // A replacement that a lifecycle hook abandoned is gone (AWS terminated it): launch another.
  batch.fresh = batch.fresh.flatMap((i) => {
    if (run.group.instances.includes(i)) return [i];
    const again = launch(run.sim, run.group, false, run.target);
    return again ? [again] : [];
  });
  const failed = batch.fresh.find((i) => healthStatus(run.sim, run.group, i) === 'Unhealthy');
  if (failed) {
    fail(run, `Instance refresh failed: replacement instance ${failed.id} failed health checks.`);
    return false;
  }
  if (run.sim.now() - batch.startedAt > BATCH_LIMIT_MS) {
    fail(run, 'Instance refresh failed: replacement instances did not become healthy in time.');
    return false;
  }
  if (!batch.fresh.every((i) => ready(run, i))) {
    schedule(run);
    return false;
  }
  for (const old of batch.terminateAfter) terminate(run.sim, run.group, old);
  run.replaced += batch.fresh.length;
  run.batch = undefined;
  progress(run);
  const checkpoint = run.phase === 'refresh' ? reachedCheckpoint(run) : undefined;
  if (checkpoint !== undefined && run.toReplace.length > 0) {
    run.checkpointUntil = run.sim.now() + run.prefs.checkpointDelayMs;
    run.refresh.statusReason = `Waiting for checkpoint ${checkpoint} % to pass (${run.prefs.checkpointDelayMs / 1000} s delay).`;
  }
  return true;
}

/** The highest checkpoint whose instance count was just reached, if any. */
function reachedCheckpoint(run: Run): number | undefined {
  return run.prefs.checkpoints.filter((c) => Math.ceil((run.total * c) / 100) === run.replaced).at(-1);
}

function startBatch(run: Run): void {
  const { sim, group, prefs } = run;
  const desired = group.desired;
  const minHealthy = Math.ceil((desired * prefs.minHealthy) / 100);
  const maxInService = Math.floor((desired * prefs.maxHealthy) / 100);
  const active = group.instances.filter((i) => !leaving(i));
  const healthyNow = active.filter((i) => healthy(run, i)).length;
  const extra = Math.max(0, maxInService - active.length);
  const dip = Math.max(0, healthyNow - minHealthy);
  let size = Math.min(Math.max(1, extra + dip), run.toReplace.length);
  if (run.phase === 'refresh') {
    const next = prefs.checkpoints.map((c) => Math.ceil((run.total * c) / 100)).find((n) => n > run.replaced);
    if (next !== undefined) size = Math.min(size, next - run.replaced);
  }
  // Unhealthy old instances first: replacing them costs no healthy capacity.
  run.toReplace.sort((a, b) => Number(healthy(run, a)) - Number(healthy(run, b)));
  const chosen = run.toReplace.splice(0, size);
  const launchFirst = Math.min(size, extra);
  for (const old of chosen.slice(launchFirst)) terminate(sim, group, old);
  const fresh: Instance[] = [];
  for (let n = 0; n < size; n++) {
    const instance = launch(sim, group, false, run.target);
    if (instance) fresh.push(instance);
  }
  run.batch = { fresh, terminateAfter: chosen.slice(0, launchFirst), startedAt: sim.now() };
  progress(run);
}

function progress(run: Run): void {
  const inFlight = run.batch?.fresh.length ?? 0;
  run.refresh.percentageComplete = Math.floor((100 * run.replaced) / Math.max(1, run.total));
  run.refresh.instancesToUpdate = run.toReplace.length + inFlight;
}

function fail(run: Run, reason: string): void {
  if (run.phase === 'rollback') return finish(run, 'RollbackFailed', reason);
  if (run.prefs.autoRollback) return startRollback(run, reason, false);
  finish(run, 'Failed', reason);
}

/** Replaces whatever is not on the group's own configuration, with the same bounds. */
function startRollback(run: Run, reason: string, requested: boolean): void {
  const { sim, group, refresh } = run;
  refresh.rollback = {
    reason,
    startedAt: sim.now(),
    percentageComplete: refresh.percentageComplete,
    instancesToUpdate: refresh.instancesToUpdate,
  };
  refresh.status = 'RollbackInProgress';
  refresh.statusReason = requested ? reason : `${reason} Rolling back.`;
  run.phase = 'rollback';
  run.target = { ...group.launchTemplate };
  run.checkpointUntil = undefined;
  run.bakeUntil = undefined;
  // Replacements of the aborted batch are not serving yet: they go now, and the
  // capacity they stood for comes back from the group's own configuration.
  const inFlight = run.batch;
  run.batch = undefined;
  let relaunch = 0;
  if (inFlight) {
    for (const i of inFlight.fresh) if (!leaving(i)) terminate(sim, group, i);
    relaunch = inFlight.fresh.length - inFlight.terminateAfter.length;
  }
  run.toReplace = group.instances.filter((i) => !leaving(i) && !matches(sim, i, run.target));
  run.total = run.toReplace.length + relaunch;
  run.replaced = 0;
  if (relaunch > 0) {
    const fresh: Instance[] = [];
    for (let n = 0; n < relaunch; n++) {
      const instance = launch(sim, group, false, run.target);
      if (instance) fresh.push(instance);
    }
    run.batch = { fresh, terminateAfter: [], startedAt: sim.now() };
  }
  progress(run);
  schedule(run);
}

function succeed(run: Run): void {
  if (run.phase === 'rollback') return finish(run, 'RollbackSuccessful', run.refresh.statusReason ?? '');
  const { group, refresh, sim } = run;
  if (refresh.desired) group.launchTemplate = { ...refresh.desired };
  if (refresh.desiredPolicy) group.mixedInstancesPolicy = refresh.desiredPolicy;
  else if (refresh.desired) delete group.mixedInstancesPolicy;
  // The refresh replaces the warm pool's instances too (after the InService ones).
  const pool = group.warmPool;
  const lt = sim.launchTemplates.get(group.launchTemplate.id);
  const version = lt && resolveVersionNumber(lt, group.launchTemplate.version);
  if (pool && lt && version !== undefined) {
    pool.instances = pool.instances.map((i) =>
      matches(sim, i, group.launchTemplate)
        ? i
        : { ...i, id: `i-${sim.hexId('instance', 16)}`, ltId: lt.id, version, launchedAt: sim.now() },
    );
  }
  refresh.percentageComplete = 100;
  finish(run, 'Successful', '');
}

function finish(run: Run, status: string, reason: string): void {
  run.refresh.status = status;
  run.refresh.statusReason = reason;
  run.refresh.endedAt = run.sim.now();
  if (status !== 'Cancelled') run.refresh.instancesToUpdate = 0;
  if (status === 'RollbackSuccessful') run.refresh.percentageComplete = 100;
  runs.delete(run.refresh);
}
