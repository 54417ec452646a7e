/** The summary's tables, each from report data alone. */
import { formatDuration } from '../util/time.js';
import type { JournalEntry } from '../engine/journal.js';
import type { PlannedWrite } from '../engine/plan.js';
import { shortArn } from '../aws/arn.js';
import { clockTime, escape, table } from './markdown.js';
import type { FleetRow, SentWrite } from './model.js';

/** The columns of every fleet table: before → after of a run, and status. */
export const FLEET_COLUMNS = [
  'Fleet',
  'Auto Scaling group',
  'Target group',
  'Version',
  'Capacity (min/desired/max)',
  'Health',
  'Traffic',
];

/** One row per fleet (the one live before in bold): each value before the run, and `→ after` where it changed. */
export function fleetTable(before: FleetRow[], after: FleetRow[]): string[] {
  const percent = (row: FleetRow | undefined) =>
    row?.traffic === undefined ? undefined : `${row.traffic} %`;
  const change = (from: string | undefined, to: string | undefined) =>
    from === undefined
      ? escape(to ?? '-')
      : to === undefined || to === from
        ? escape(from)
        : `${escape(from)} → **${escape(to)}**`;
  const rows = before.map((b) => {
    const a = after.find((row) => row.name === b.name);
    return [
      b.live ? `**${escape(b.name)}**` : escape(b.name),
      escape(b.group),
      escape(shortArn(b.targetGroupArn)),
      change(b.launchTemplateVersion, a?.launchTemplateVersion) +
        (a?.instances === undefined ? '' : `<br>instances: ${a.instances}`),
      change(b.capacity, a?.capacity),
      change(b.health, a?.health),
      change(percent(b), percent(a)),
    ];
  });
  return table(FLEET_COLUMNS, rows);
}

const STATUS: Record<JournalEntry['status'], string> = {
  running: '⏳ running',
  done: '✅ done',
  failed: '❌ failed',
  undoing: '⏳ undoing',
  undone: '↩️ undone',
  'undo-failed': '⚠️ undo failed',
  skipped: '⏭️ skipped',
};

/**
 * One row per step: when it started (UTC and since the start of the run), how
 * long it took, its gate and the gate's result, its status now (a step undone
 * by the rollback says so) and what it did or why it failed.
 */
export function stepTable(steps: JournalEntry[], startedAt?: number): string[] {
  const rows = steps.map((s) => {
    const took = s.endedAt === undefined ? '' : formatDuration(s.endedAt - s.startedAt);
    const since = startedAt === undefined ? '' : ` (+${formatDuration(s.startedAt - startedAt)})`;
    const detail = [s.detail, s.undoDetail && `undo: ${s.undoDetail}`]
      .filter((part): part is string => Boolean(part))
      .map(escape)
      .join('<br>');
    return [
      escape(s.title),
      `${clockTime(s.startedAt)}${since}`,
      took,
      gateCell(s),
      STATUS[s.status],
      detail,
    ];
  });
  return table(['Step', 'Started', 'Took', 'Gate', 'Status', 'Detail'], rows);
}

function gateCell(s: JournalEntry): string {
  if (!s.gate) return '';
  if (s.outcome === 'done') return `✅ ${s.gate}`;
  if (s.outcome === 'failed') return `❌ ${s.gate}`;
  return `⏳ ${s.gate}`;
}

/** Writes a run would make (plan mode, or the plan of a run), with their parameters. */
export function plannedWritesTable(writes: PlannedWrite[]): string[] {
  return table(
    ['#', 'Service', 'Action', 'Target', 'Parameters'],
    writes.map((w, i) => [String(i + 1), w.service, w.action, escape(shortArn(w.target)), escape(w.detail)]),
  );
}

/** Writes the run sent, as the SDK clients recorded them: never a request body. */
export function sentWritesTable(writes: SentWrite[], startedAt: number): string[] {
  return table(
    ['#', 'Time', 'Service', 'Action', 'Target', 'Result'],
    writes.map((w, i) => [
      String(i + 1),
      `${clockTime(w.at)} (+${formatDuration(w.at - startedAt)})`,
      w.service,
      w.action,
      escape(w.target.split(', ').map(shortArn).join(', ')),
      w.ok ? '✅ accepted' : `❌ ${escape(w.error ?? 'refused')}`,
    ]),
  );
}
