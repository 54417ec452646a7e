import { formatDuration } from '../util/time.js';
import type { JournalEntry } from '../engine/journal.js';
import { changesCallout, writesSection } from './changes-summary.js';
import { clockTime, details, escape } from './markdown.js';
import type { DeploymentReport } from './model.js';
import { describeNotRestored, describeRestored } from './restored.js';
import { renderStatusSummary } from './status-summary.js';
import { fleetTable, plannedWritesTable, sentWritesTable, stepTable } from './tables.js';
import { trafficSection } from './traffic-summary.js';
import { aftermath, recordFailure } from './verdict.js';

const BANNER: Record<DeploymentReport['result'], string> = {
  deployed: '✅ Deployed',
  'rolled-back': '↩️ Rolled back',
  failed: '❌ Failed',
  planned: '📝 Planned',
  unchanged: '➖ Unchanged',
  staged: '🧪 Staged',
  aborted: '🛑 Aborted',
  retired: '🧹 Retired',
};

/**
 * The job summary as Markdown, built from the report alone (no AWS, no
 * runner): the result banner and, when the run failed, why and what was
 * restored, before anything else; then the fleets before and after, the
 * traffic steps, the steps with their gates, and every write sent.
 */
export function renderSummary(report: DeploymentReport): string {
  if (report.status) return renderStatusSummary(report, report.status);
  const out: string[] = [];
  out.push(`## ${banner(report)}${report.headline ? `: ${escape(report.headline)}` : ''}`, '');
  out.push(...outcomeCallout(report));
  if (report.warnings.length > 0) {
    out.push('> [!WARNING]');
    for (const w of report.warnings) out.push(`> ${escape(w)}`);
    out.push('');
  }
  out.push(facts(report), '');
  if (report.details && report.details.length > 0) {
    out.push('What AWS did:', '');
    for (const d of report.details) out.push(`- ${escape(d)}`);
    out.push('');
  }
  if (report.before.length > 0)
    out.push('### Before → after', '', ...fleetTable(report.before, report.after), '');
  out.push(...trafficSection(report.traffic ?? [], report.startedAt, report.before));
  if (report.steps.length > 0) out.push('### Steps', '', ...stepTable(report.steps, report.startedAt), '');
  if (report.result === 'planned') {
    out.push(
      '### Writes a deploy would make',
      '',
      `A ${report.mode === 'plan' ? 'deploy' : report.mode} would make these ${report.plannedWrites.length} write(s), in this order. Nothing was written.`,
      '',
      ...plannedWritesTable(report.plannedWrites),
      '',
    );
    return out.join('\n');
  }
  const wrote = writesSection(report);
  if (wrote.length > 0) out.push(...wrote);
  else if (report.writesSent.length > 0) {
    const refused = report.writesSent.filter((w) => !w.ok).length;
    out.push(
      ...details(
        `${report.writesSent.length} write(s) sent to AWS${refused > 0 ? `, ${refused} refused` : ''}`,
        sentWritesTable(report.writesSent, report.startedAt),
      ),
    );
  }
  if (
    report.plannedWrites.length > 0 &&
    !['deployed', 'staged', 'aborted', 'retired'].includes(report.result)
  ) {
    out.push(
      ...details(
        `The plan: ${report.plannedWrites.length} write(s) a complete run would have made`,
        plannedWritesTable(report.plannedWrites),
      ),
    );
  }
  return out.join('\n');
}

/** Why it failed (first), what was restored, or why a requested rollback ran. */
function outcomeCallout(report: DeploymentReport): string[] {
  const changes = changesCallout(report);
  if (changes.length > 0) return changes;
  if (report.result === 'staged') {
    const url = report.outputs['preview-url'];
    const preview = report.preview;
    return [
      '> [!NOTE]',
      `> **Staged, no production traffic.**${url ? ` Preview: ${escape(url)}.` : ''}${preview ? ' Preview routes:' : ''}`,
      ...(preview?.routes.map((r) => `> - ${escape(r)}`) ?? []),
      ...(preview && preview.commands.length > 0
        ? ['>', '> Reach it with:', '>', '> ```sh', ...preview.commands.map((c) => `> ${c}`), '> ```', '>']
        : []),
      '> Next: run with `mode: promote` to send it production traffic, or `mode: abort` to take it down.',
      '',
    ];
  }
  if (report.mode === 'rollback' && report.result === 'rolled-back') {
    return [
      '> [!NOTE]',
      `> **Rolled back ${escape(report.headline)}.** Why: ${escape(report.reason ?? '')}`,
      '',
    ];
  }
  const unrecorded = report.result === 'deployed' ? recordFailure(report) : undefined;
  if (unrecorded) return ['> [!CAUTION]', `> **No deployment record:** ${escape(unrecorded)}`, ''];
  if (!report.reason || report.result === 'deployed') return [];
  if (report.problems.length > 1) {
    // Pre-flight collects every problem: all of them are the reason.
    return [
      '> [!CAUTION]',
      `> **Why:** pre-flight found ${report.problems.length} problems. ${escape(aftermath(report))}`,
      ...report.problems.map((p) => `> - ${escape(p)}`),
      '',
    ];
  }
  const out = ['> [!CAUTION]', `> **Why:** ${escape(report.reason)}`];
  const restored = describeRestored(report);
  if (report.rollbackIncomplete) {
    out.push(
      '> **The rollback did not finish**: the steps below marked undo failed need a hand (the post step tries them again).',
      ...(restored.length > 0 ? [`> Restored: ${escape(restored.join(', '))}.`] : []),
      ...describeNotRestored(report).map((what) => `> - **Not restored:** ${escape(what)}`),
    );
  } else out.push(`> ${escape(aftermath(report))}`);
  out.push('');
  return out;
}

function banner(report: DeploymentReport): string {
  if (report.mode === 'rollback' && report.result === 'rolled-back') return '↩️ Rollback done';
  if (report.mode === 'rollback' && report.result === 'failed') return '❌ Rollback failed';
  return BANNER[report.result];
}

/** Strategy, mode, version, start and duration on one line. */
function facts(report: DeploymentReport): string {
  const o = report.outputs;
  const parts = [`Strategy **${report.strategy}**`];
  if (report.mode !== 'deploy') parts.push(`mode **${report.mode}**`);
  // After a deploy the record names what went out; otherwise the headline does.
  if (report.result === 'deployed' && o['version-label']) {
    const previous = o['previous-version-label']
      ? ` (previous **${escape(o['previous-version-label'])}**)`
      : '';
    parts.push(`version **${escape(o['version-label'])}**${previous}`);
  }
  parts.push(
    `started ${clockTime(report.startedAt)} UTC`,
    `took ${formatDuration(report.endedAt - report.startedAt)}`,
  );
  return `${parts.join(', ')}.`;
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
