/**
 * Moving traffic as plan steps, Argo style: set a weight on every route, then
 * hold it while the gates watch; repeat until 100 %, then bake. Shared by
 * blue/green with Auto Scaling groups and blue/green between target groups.
 */
import type { Route } from '../aws/index.js';
import type { Color, TrafficShift } from '../inputs/config.js';
import { formatDuration } from '../util/time.js';
import type { JournalEntry } from '../engine/journal.js';
import type { Facts, PlannedWrite, Step, StepRunContext, Undo } from '../engine/plan.js';
import { shortArn } from '../aws/arn.js';
import type { TrafficStepRecord } from '../report/model.js';
import { type GateSpec, healthCount, watchGates, type WatchResult } from './gates.js';
import { type CapacityWatch, matchLiveCapacity } from './capacity-recheck.js';
import { recheckRoutes } from './route-recheck.js';
import {
  type ColorTargetGroups,
  describeSplit,
  splitFor,
  stickinessOf,
  references,
  type TrafficSplit,
  weightsOf,
  withSplit,
} from './traffic.js';

/** Percent of traffic on the new color at each step: canary:10 → 10, 100; linear:25 → 25, 50, 75, 100. */
export function shiftSchedule(shift: TrafficShift): number[] {
  if (shift.kind === 'all-at-once') return [100];
  if (shift.kind === 'canary') return [shift.percent, 100];
  const steps: number[] = [];
  for (let p = shift.percent; p < 100; p += shift.percent) steps.push(p);
  return [...steps, 100];
}

/** Undo of every traffic step: the routes exactly as pre-flight read them. */
export function restoreRoutes(routes: Route[]): Undo[] {
  return routes.map((r) => ({
    kind: 'restore-route',
    route: { kind: r.kind, arn: r.arn },
    actions: r.actions,
  }));
}

export interface TrafficPlan {
  from: Color;
  to: Color;
  colors: ColorTargetGroups;
  /** As pre-flight read them: every write keeps all but the weights. */
  routes: Route[];
  shift: TrafficShift;
  bakeTimeMs: number;
  /** What the gates watch; read when a watch starts (healthy targets are known by then). */
  gates: (facts: Readonly<Facts>) => GateSpec;
  /** Filled as the steps run, for the summary. */
  records: TrafficStepRecord[];
  /**
   * Blue/green with groups: the fleets' capacity is read again before each
   * traffic step (new fleet not shrunk by someone else, grown when live scaled
   * out); `restoreIdle` is the undo of that growth.
   */
  capacity?: { watch: CapacityWatch; restoreIdle: Undo };
}

/** The shift, hold and bake steps. Each weight step's undo restores the original routes. */
export function trafficSteps(p: TrafficPlan): Step[] {
  const steps: Step[] = [];
  const schedule = shiftSchedule(p.shift);
  const label = (percent: number) =>
    p.shift.kind === 'all-at-once' ? `${percent} %` : `${p.shift.kind} ${percent} %`;
  for (const percent of schedule) {
    const split = splitFor(p.to, percent);
    const all = percent === 100;
    const undo = [...restoreRoutes(p.routes), ...(p.capacity ? [p.capacity.restoreIdle] : [])];
    steps.push({
      id: p.shift.kind === 'all-at-once' ? 'shift-traffic' : `shift-${percent}`,
      title: all
        ? `Switch ${p.routes.length} route(s) to ${p.to}`
        : `Shift ${percent} % of ${p.routes.length} route(s) to ${p.to}`,
      phase: 'deploy',
      // Growing the new fleet (when live scaled out meanwhile) is not planned: it is
      // sent only when the world changed, and its undo is recorded with the step.
      writes: p.routes.map((r) => routeWrite(r, describeSplit(split))),
      undo,
      run: async (ctx) => {
        const grown = p.capacity ? await matchLiveCapacity(ctx, p.capacity.watch) : undefined;
        await setSplit(ctx, p, split, undo);
        p.records.push({
          at: ctx.clock.now(),
          step: label(percent),
          weights: split,
          watchedMs: 0,
          alarms: [],
        });
        return `${grown ? `${grown}; ` : ''}${describeSplit(split)}, verified on ${p.routes.length} route(s)`;
      },
    });
    if (!all && p.shift.kind !== 'all-at-once') {
      const durationMs = p.shift.intervalMs;
      steps.push({
        id: `pause-${percent}`,
        title: `Watch ${label(percent)} for ${formatDuration(durationMs)}`,
        phase: 'deploy',
        gate: 'health + alarms',
        writes: [],
        run: (ctx) => watch(ctx, p, { label: label(percent), durationMs, record: p.records.at(-1) }),
      });
    }
  }
  if (p.bakeTimeMs > 0) {
    steps.push({
      id: 'bake',
      title: `Bake ${p.to} for ${formatDuration(p.bakeTimeMs)}`,
      phase: 'deploy',
      gate: 'health + alarms',
      writes: [],
      run: async (ctx) => {
        const record: TrafficStepRecord = {
          at: ctx.clock.now(),
          step: 'bake',
          weights: splitFor(p.to, 100),
          watchedMs: 0,
          alarms: [],
        };
        p.records.push(record);
        return watch(ctx, p, { label: `bake ${p.to}`, durationMs: p.bakeTimeMs, record });
      },
    });
  }
  return steps;
}

/**
 * A route that does not name the idle color gets it at weight 0 first: a target
 * group that no action references is not health-checked, so the idle color
 * could never be seen healthy. Traffic is unchanged. Undefined when every
 * route already names it.
 */
export function referenceIdleStep(p: {
  routes: Route[];
  colors: ColorTargetGroups;
  live: Color;
  idle: Color;
}): Step | undefined {
  const unreferenced = p.routes.filter((r) => !references(r.actions, p.colors[p.idle]));
  if (unreferenced.length === 0) return undefined;
  const split = splitFor(p.live, 100);
  const undo = restoreRoutes(p.routes);
  return {
    id: 'reference-idle',
    title: `Add ${p.idle} at weight 0 to ${unreferenced.length} route(s), so that its targets are health-checked`,
    phase: 'deploy',
    writes: unreferenced.map((r) => routeWrite(r, `${p.live} 100, ${p.idle} 0`)),
    undo,
    run: async (ctx) => {
      await setSplit(ctx, { routes: unreferenced, colors: p.colors }, split, undo);
      return `traffic unchanged: ${describeSplit(split)}`;
    },
  };
}

/**
 * The records with the rollback appended when one put traffic back: the
 * newest undone traffic step's undo is the write that restored the routes.
 */
export function withRollback(
  records: TrafficStepRecord[],
  journal: readonly JournalEntry[],
  from: Color,
): TrafficStepRecord[] {
  const restored = journal
    .filter((e) => (e.id === 'shift-traffic' || /^shift-\d+$/.test(e.id)) && e.status === 'undone')
    .map((e) => e.undoneAt ?? 0);
  if (restored.length === 0) return records;
  return [
    ...records,
    { at: Math.min(...restored), step: 'rollback', weights: splitFor(from, 100), watchedMs: 0, alarms: [] },
  ];
}

async function watch(
  ctx: StepRunContext,
  p: TrafficPlan,
  w: { label: string; durationMs: number; record: TrafficStepRecord | undefined },
): Promise<string> {
  const spec = p.gates(ctx.facts);
  const started = ctx.clock.now();
  const onEnd = (result: WatchResult) => {
    if (!w.record) return;
    w.record.watchedMs = ctx.clock.now() - started;
    w.record.gate = result.passed ? 'passed' : 'failed';
    w.record.detail = result.passed ? result.last && healthCount(result.last, spec) : result.failure;
    w.record.alarms = (result.last?.alarms ?? []).map((a) => ({ name: a.name, state: a.state }));
  };
  const last = await watchGates(ctx, { label: w.label, durationMs: w.durationMs, spec, onEnd });
  const health = spec.targetGroupArn ? `${healthCount(last, spec)}, ` : '';
  return `${health}no alarm in ALARM for ${formatDuration(w.durationMs)}`;
}

/**
 * Reads every route again and compares it with what this run last wrote or
 * read (a change someone else made ends the deploy, see recheckRoutes), then
 * writes `split` on top of that fresh read (all else kept as it is now), then
 * reads all of them back in one call per kind: each must carry exactly these
 * weights, no other target group, and the stickiness it had before the write.
 * What it reads back is what the next traffic step compares with.
 */
export async function setSplit(
  ctx: StepRunContext,
  p: Pick<TrafficPlan, 'routes' | 'colors'>,
  split: TrafficSplit,
  undo: Undo[],
) {
  const known = p.routes.map((r) => ctx.facts.routes?.find((k) => k.arn === r.arn) ?? r);
  const latest = await recheckRoutes(ctx, {
    routes: p.routes,
    known,
    preflight: p.routes,
    colors: p.colors,
    undo,
  });
  for (const route of latest)
    await ctx.aws.elbv2.writeRoute(route, withSplit(route.actions, p.colors, split));
  const listeners = p.routes.filter((r) => r.kind === 'listener').map((r) => r.arn);
  const rules = p.routes.filter((r) => r.kind === 'rule').map((r) => r.arn);
  const after = await ctx.aws.elbv2.describeRoutes(listeners, rules);
  for (const route of after) {
    const before = latest.find((r) => r.arn === route.arn);
    const weights = weightsOf(route.actions, p.colors);
    const name = `${route.kind} ${shortArn(route.arn)}`;
    if (weights.blue !== split.blue || weights.green !== split.green || weights.foreign !== 0) {
      throw new Error(
        `${name} reads back blue ${weights.blue} / green ${weights.green}${weights.foreign ? ` / others ${weights.foreign}` : ''}, expected ${describeSplit(split)}`,
      );
    }
    const [was, now] = [stickinessOf(before?.actions ?? []), stickinessOf(route.actions)];
    if (was.enabled !== now.enabled || was.durationSeconds !== now.durationSeconds) {
      throw new Error(
        `${name} reads back with stickiness ${JSON.stringify(now)}, expected ${JSON.stringify(was)}`,
      );
    }
  }
  const learned = after.map((r) => ({ kind: r.kind, arn: r.arn, actions: r.actions }));
  ctx.learn({
    routes: [...(ctx.facts.routes ?? []).filter((k) => !learned.some((r) => r.arn === k.arn)), ...learned],
  });
}

function routeWrite(route: Route, detail: string): PlannedWrite {
  return {
    service: 'elbv2',
    action: route.kind === 'listener' ? 'ModifyListener' : 'ModifyRule',
    target: route.arn,
    detail: `forward ${detail}`,
  };
}
