import { shortArn } from '../aws/arn.js';
import type { Undo } from '../engine/plan.js';
import type { DeploymentReport } from './model.js';

/**
 * What the rollback put back, in a few words, from the undos the journal marks
 * done: `traffic back on blue (2 listeners), green restored to 0/0/0`. Empty
 * when nothing was undone. Pure: the report is the only input.
 */
export function describeRestored(report: DeploymentReport): string[] {
  const undos = uniqueUndos(report);
  const parts: string[] = [];
  const routes = undos.filter((u) => u.kind === 'restore-route');
  if (routes.length > 0) {
    const listeners = routes.filter((u) => u.route.kind === 'listener').length;
    const rules = routes.length - listeners;
    const where = [count(listeners, 'listener'), count(rules, 'rule')].filter(Boolean).join(', ');
    const live = report.after.find((row) => row.live && row.traffic !== undefined && row.traffic > 0);
    // Routes are restored when traffic moved, and also when only the idle color was added at weight 0.
    const moved = (report.traffic ?? []).some((r) => r.step !== 'rollback');
    // Traffic that moved is not "back" while a route the rollback could not restore still splits it.
    const routeLeft = moved && notRestoredUndos(report).some((u) => u.kind === 'restore-route');
    parts.push(
      report.strategy === 'blue-green' && live
        ? routeLeft
          ? `${where} back on ${live.name}, not every route`
          : `traffic ${moved ? 'back' : 'still'} on ${live.name} (${where} restored)`
        : `the original actions of ${where} restored`,
    );
  }
  for (const u of undos) {
    switch (u.kind) {
      case 'restore-group': {
        const lt = u.launchTemplate ? `, launch template version ${u.launchTemplate.version}` : '';
        parts.push(`${fleetName(report, u.group)} restored to ${u.min}/${u.desired}/${u.max}${lt}`);
        break;
      }
      case 'roll-back-instance-refresh':
        parts.push(
          `${u.group} rolled back to launch template version ${u.previous.version} (Instance Refresh rollback)`,
        );
        break;
      case 'delete-created-versions':
        parts.push(`the launch template version this run created deleted`);
        break;
      case 'delete-marked-rules':
        parts.push(
          u.targetGroupArn === undefined
            ? `the health-check rule removed`
            : `the preview rule for ${u.header} removed`,
        );
        break;
      default:
        break;
    }
  }
  return parts;
}

/**
 * What the rollback could not put back, each once: `listener app/…/1 (AccessDenied: …)`.
 * A route one step could not restore but another step did is restored.
 */
export function describeNotRestored(report: DeploymentReport): string[] {
  return notRestored(report).map(({ undo, why }) => `${describeUndoShort(undo)} (${why})`);
}

function notRestoredUndos(report: DeploymentReport): Undo[] {
  return notRestored(report).map(({ undo }) => undo);
}

/** The undos the rollback could not apply (and no other step applied), each once, with why. */
function notRestored(report: DeploymentReport): { undo: Undo; why: string }[] {
  const restored = new Set(uniqueUndos(report).map(undoKey));
  const out = new Map<string, { undo: Undo; why: string }>();
  for (const entry of report.steps) {
    if (entry.status !== 'undo-failed') continue;
    for (const { index, why } of entry.notRestored ?? []) {
      const undo = entry.undo?.[index];
      if (!undo || restored.has(undoKey(undo)) || out.has(undoKey(undo))) continue;
      out.set(undoKey(undo), { undo, why });
    }
  }
  return [...out.values()];
}

/** The undos the rollback applied, each once (several steps may carry the same snapshot). */
function uniqueUndos(report: DeploymentReport): Undo[] {
  const seen = new Set<string>();
  const out: Undo[] = [];
  for (const entry of report.steps) {
    if (entry.status !== 'undone' && entry.status !== 'undo-failed') continue;
    const failed = new Set((entry.notRestored ?? []).map((n) => n.index));
    for (const [index, undo] of (entry.undo ?? []).entries()) {
      if (entry.status === 'undo-failed' && failed.has(index)) continue;
      const key = undoKey(undo);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(undo);
    }
  }
  return out;
}

function undoKey(undo: Undo): string {
  return undo.kind === 'restore-route' ? `route ${undo.route.arn}` : JSON.stringify({ ...undo, waitMs: 0 });
}

function describeUndoShort(undo: Undo): string {
  switch (undo.kind) {
    case 'restore-route':
      return `${undo.route.kind} ${shortArn(undo.route.arn)}`;
    case 'restore-group':
      return `${undo.group} (back to ${undo.min}/${undo.desired}/${undo.max})`;
    case 'roll-back-instance-refresh':
      return `instance refresh of ${undo.group}`;
    case 'delete-created-versions':
      return `the launch template version this run created`;
    case 'recreate-rule':
      return `the preview rule at priority ${undo.priority}`;
    case 'delete-marked-rules':
      return undo.targetGroupArn === undefined
        ? `the health-check rule`
        : `the preview rule for ${undo.header}`;
    case 'await-group-healthy':
      return `health of ${undo.group}`;
    case 'resume-processes':
      return `${undo.group}'s suspended processes (${undo.processes.join(', ')})`;
    case 'restore-tags':
      return `the ${undo.prefix}* tags of ${undo.groups.join(', ')}`;
  }
}

/** `green` for a color's group, the group's name otherwise. */
function fleetName(report: DeploymentReport, group: string): string {
  const row = report.before.find((r) => r.group === group);
  return row && (row.name === 'blue' || row.name === 'green') ? `${row.name} (${group})` : group;
}

function count(n: number, noun: string): string {
  return n === 0 ? '' : `${n} ${noun}${n === 1 ? '' : 's'}`;
}
