import type { DeploymentReport, FleetRow } from './model.js';
import { formatDuration } from '../engine/clock.js';
import type { JournalEntry } from '../engine/journal.js';
import type { PlannedWrite } from '../engine/plan.js';
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
  out.push(`## ${banner(report)}${report.headline ? `: ${escape(report.headline)}` : ''}`, '');
  const rollbackDone = report.mode === 'rollback' && report.result === 'rolled-back';
  if (rollbackDone) {
    out.push(
      `> [!NOTE]`,
      `> **Rolled back ${escape(report.headline)}.** Why: ${escape(report.reason ?? '')}`,
      '',
    );
  } else if (report.reason && report.result !== 'deployed') {
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
  if (report.result === 'planned') {
    out.push(
      `A ${report.mode === 'plan' ? 'deploy' : report.mode} would make these ${report.plannedWrites.length} write(s), in this order. Nothing was written.`,
      '',
    );
    out.push(...writesTable(report.plannedWrites), '');
  } else if (report.plannedWrites.length > 0) {
    out.push('<details><summary>Writes of the plan</summary>', '');
    out.push(...writesTable(report.plannedWrites));
    out.push('', '</details>', '');
  }
  return out.join('\n');
}

function banner(report: DeploymentReport): string {
  if (report.mode === 'rollback' && report.result === 'rolled-back') return '↩️ Rollback done';
  if (report.mode === 'rollback' && report.result === 'failed') return '❌ Rollback failed';
  return BANNER[report.result];
}

function writesTable(writes: PlannedWrite[]): string[] {
  const rows = ['| # | Service | Action | Target | Parameters |', '| --- | --- | --- | --- | --- |'];
  writes.forEach((w, i) =>
    rows.push(
      `| ${i + 1} | ${w.service} | ${w.action} | ${escape(shortArn(w.target))} | ${escape(w.detail)} |`,
    ),
  );
  return rows;
}

/** The post step's summary after it restored an interrupted deploy. */
export function renderPostSummary(undone: boolean, steps: JournalEntry[]): string {
  const out = [
    undone
      ? '## ↩️ Interrupted deployment restored by the post step'
      : '## ⚠️ The interrupted deployment was not fully restored',
    '',
  ];
  if (!undone) out.push('What is not marked undone below needs a hand.', '');
  out.push(...stepTable(steps), '');
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
