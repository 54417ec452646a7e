import type { DeploymentReport, FleetRow } from './model.js';
import { formatDuration } from '../engine/clock.js';
import type { JournalEntry } from '../engine/journal.js';
import { shortArn } from '../engine/undo.js';
import { trafficSection } from './traffic-summary.js';

const BANNER: Record<DeploymentReport['result'], string> = {
  deployed: '✅ Deployed',
  'rolled-back': '↩️ Rolled back',
  failed: '❌ Failed',
  planned: '📝 Planned',
  unchanged: '➖ Unchanged',
};

/** The job summary as Markdown, built from the report alone (no AWS, no runner). */
export function renderSummary(report: DeploymentReport): string {
  const out: string[] = [];
  out.push(`## ${BANNER[report.result]}${report.headline ? `: ${escape(report.headline)}` : ''}`, '');
  if (report.reason && report.result !== 'deployed') {
    out.push(`> [!CAUTION]`, `> **Why:** ${escape(report.reason)}`);
    if (report.result === 'rolled-back')
      out.push(`> Traffic and capacity were restored to their state before the run.`);
    if (report.rollbackIncomplete) {
      out.push(
        `> **The rollback did not finish**: see the steps below; what is marked undo-failed needs a hand.`,
      );
    }
    out.push('');
  }
  if (report.problems.length > 1) {
    out.push('Problems found before any change (nothing was written):', '');
    for (const p of report.problems) out.push(`- ${escape(p)}`);
    out.push('');
  }
  if (report.warnings.length > 0) {
    out.push('> [!WARNING]');
    for (const w of report.warnings) out.push(`> ${escape(w)}`);
    out.push('');
  }
  out.push(
    `Strategy **${report.strategy}**, started ${clockTime(report.startedAt)} UTC, took ${formatDuration(report.endedAt - report.startedAt)}.`,
    '',
  );
  if (report.details && report.details.length > 0) {
    out.push('What AWS did:', '');
    for (const d of report.details) out.push(`- ${escape(d)}`);
    out.push('');
  }
  if (report.before.length > 0) out.push(...fleetTable(report.before, report.after), '');
  out.push(...trafficSection(report.traffic ?? [], report.startedAt));
  if (report.steps.length > 0) out.push(...stepTable(report.steps), '');
  if (report.plannedWrites.length > 0) {
    out.push('<details><summary>Writes of the plan</summary>', '');
    out.push('| Service | Action | Target | Parameters |', '| --- | --- | --- | --- |');
    for (const w of report.plannedWrites) {
      out.push(`| ${w.service} | ${w.action} | ${escape(shortArn(w.target))} | ${escape(w.detail)} |`);
    }
    out.push('', '</details>', '');
  }
  return out.join('\n');
}

function fleetTable(before: FleetRow[], after: FleetRow[]): string[] {
  const rows = [
    '| Fleet | Auto Scaling group | Target group | Version | Capacity (min/desired/max) | Health | Traffic |',
  ];
  rows.push('| --- | --- | --- | --- | --- | --- | --- |');
  const percent = (row: FleetRow | undefined) =>
    row?.traffic === undefined ? undefined : `${row.traffic} %`;
  const change = (from: string | undefined, to: string | undefined) =>
    from === undefined ? (to ?? '-') : to === undefined || to === from ? from : `${from} → **${to}**`;
  for (const b of before) {
    const a = after.find((row) => row.name === b.name);
    const cells = [
      b.live ? `**${b.name}**` : b.name,
      b.group,
      escape(shortArn(b.targetGroupArn)),
      change(b.launchTemplateVersion, a?.launchTemplateVersion),
      change(b.capacity, a?.capacity),
      change(b.health, a?.health),
      change(percent(b), percent(a)),
    ];
    rows.push(`| ${cells.join(' | ')} |`);
  }
  return rows;
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

function stepTable(steps: JournalEntry[]): string[] {
  const rows = ['| Step | Started | Took | Status | Detail |', '| --- | --- | --- | --- | --- |'];
  for (const s of steps) {
    const took = s.endedAt === undefined ? '' : formatDuration(s.endedAt - s.startedAt);
    const detail = [s.detail, s.undoDetail && `undo: ${s.undoDetail}`].filter(Boolean).join('<br>');
    rows.push(
      `| ${escape(s.title)} | ${clockTime(s.startedAt)} | ${took} | ${STATUS[s.status]} | ${escape(detail)} |`,
    );
  }
  return rows;
}

function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** Keeps table cells intact. */
function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
