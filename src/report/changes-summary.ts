/**
 * Abort and retire: what the run wrote, first in words (each fleet it changed,
 * before → after; abort: the preview listeners restored, the preview-header
 * rules deleted, the stage record cleared, the version an image stage made
 * deleted), then every write it sent, open rather than folded away. Built from
 * the report alone.
 */
import { escape } from './markdown.js';
import type { DeploymentReport, FleetRow } from './model.js';
import { sentWritesTable } from './tables.js';

/** The callout of an aborted or retired run; [] for any other result. */
export function changesCallout(report: DeploymentReport): string[] {
  if (report.result !== 'aborted' && report.result !== 'retired') return [];
  const out = ['> [!NOTE]'];
  out.push(
    report.result === 'retired'
      ? '> **Retired the previous fleet.** Production traffic was not touched: no route sent it any.'
      : '> **Aborted the staged release.** Production traffic was not touched.',
  );
  const changed = changedFleets(report.before, report.after);
  for (const { before, after } of changed) {
    const version =
      before.launchTemplateVersion === after.launchTemplateVersion
        ? ''
        : `, launch template version ${before.launchTemplateVersion} → ${after.launchTemplateVersion}`;
    const why =
      report.result === 'aborted' ? ' (the staged color, back to what it had before the stage)' : '';
    out.push(
      `> - ${escape(after.name)} (${escape(after.group)})${why}: capacity ${before.capacity} → ${after.capacity} (min/desired/max)${version}`,
    );
  }
  if (changed.length === 0 && report.after.length === 0)
    out.push('> - The fleets could not be read back: see the writes below.');
  const done = (id: string) => report.steps.find((s) => s.id === id && s.status === 'done');
  const preview = done('restore-preview');
  if (preview) out.push(`> - Preview listener(s): ${escape(preview.detail ?? 'restored')}`);
  const rules = done('delete-preview-rules');
  if (rules) out.push(`> - Preview-header rule(s): ${escape(rules.detail ?? 'deleted')}`);
  if (done('clear-stage')) out.push('> - Stage record (tags asg-deploy:staged-\\*) cleared from both groups');
  const version = done('delete-staged-version');
  if (version)
    out.push(`> - Launch template version created by the stage: ${escape(version.detail ?? 'deleted')}`);
  out.push('');
  return out;
}

/** `### What it wrote` with every write sent (lock tags included), in order. */
export function writesSection(report: DeploymentReport): string[] {
  if (report.result !== 'aborted' && report.result !== 'retired') return [];
  if (report.writesSent.length === 0) return [];
  return [
    '### What it wrote',
    '',
    `${report.writesSent.length} write(s) sent to AWS, in order (the lock tags and suspended scaling processes included):`,
    '',
    ...sentWritesTable(report.writesSent, report.startedAt),
    '',
  ];
}

function changedFleets(before: FleetRow[], after: FleetRow[]): { before: FleetRow; after: FleetRow }[] {
  const pairs: { before: FleetRow; after: FleetRow }[] = [];
  for (const b of before) {
    const a = after.find((row) => row.name === b.name && row.group === b.group);
    if (a && (a.capacity !== b.capacity || a.launchTemplateVersion !== b.launchTemplateVersion))
      pairs.push({ before: b, after: a });
  }
  return pairs;
}
