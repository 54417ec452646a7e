/**
 * `mode: status`: what serves now, as read (no write, no lock), and its job
 * summary. The strategies fill a StatusReport; this file renders it from the
 * data alone. One region per run: a workflow that runs status on every region
 * of a matrix assembles one table from the runs' outputs (see
 * examples/multi-region.yml).
 */
import { shortArn } from '../aws/arn.js';
import { clockTime, escape, table } from './markdown.js';
import type { DeploymentReport, FleetRow, StatusReport } from './model.js';
import { FLEET_COLUMNS } from './tables.js';

export type { StagedRelease, StatusReport, StatusRoute } from './model.js';

/** The one-line table of a status run: the region and what serves there, from the run's outputs. */
export const STATUS_COLUMNS = [
  'Region',
  'Color',
  'Auto Scaling group',
  'Launch template version',
  'Version',
  'Previous version',
  'Locked',
  'Staged',
] as const;

export function statusRow(region: string, outputs: Record<string, string>): string[] {
  const or = (value: string | undefined) => (value ? escape(value) : '-');
  return [
    region,
    or(outputs['active-color']),
    or(outputs['active-auto-scaling-group']),
    or(outputs['launch-template-version']),
    or(outputs['version-label']),
    or(outputs['previous-version-label']),
    outputs.locked === 'true' ? '🔒 yes' : 'no',
    outputs.staged === 'true' ? '⏸️ yes' : 'no',
  ];
}

/** The job summary of a status run. */
export function renderStatusSummary(report: DeploymentReport, status: StatusReport): string {
  const out: string[] = [`## 📋 Status in ${status.region}: ${escape(status.serving)}`, ''];
  out.push(
    `Strategy **${report.strategy}**, mode **status**: read at ${clockTime(report.startedAt)} UTC; nothing was written and no lock was taken.`,
    '',
  );
  out.push(...table([...STATUS_COLUMNS], [statusRow(status.region, report.outputs)]), '');
  if (status.notes.length > 0) {
    out.push('> [!WARNING]', ...status.notes.map((n) => `> ${escape(n)}`), '');
  }
  out.push('### Fleets', '', ...fleetRows(status.fleets), '');
  if (status.routes.length > 0) {
    out.push(
      '### Traffic',
      '',
      ...table(
        ['Route', 'ARN', 'Traffic'],
        status.routes.map((r) => [r.kind, escape(shortArn(r.arn)), escape(r.traffic)]),
      ),
      '',
    );
  }
  out.push('### Record, lock, stage and refreshes', '', ...facts(status), '');
  return out.join('\n');
}

function fleetRows(fleets: FleetRow[]): string[] {
  return table(
    FLEET_COLUMNS,
    fleets.map((f) => [
      f.live ? `**${f.name}**` : f.name,
      f.group,
      escape(shortArn(f.targetGroupArn)),
      f.launchTemplateVersion,
      f.capacity,
      escape(f.health),
      f.traffic === undefined ? '-' : `${f.traffic} %`,
    ]),
  );
}

function facts(status: StatusReport): string[] {
  const lines: string[] = [];
  const { record, lock, staged } = status;
  lines.push(
    record
      ? `- Deployment record: **${escape(record.current)}** since ${escape(record.time)}${record.runUrl ? ` (${escape(record.runUrl)})` : ''}; previous ${escape(record.previous ?? 'none')}`
      : '- Deployment record: none (no tags asg-deploy:* with a release)',
  );
  lines.push(
    lock
      ? `- Lock: ${lock.expired ? 'expired (the next run takes it over)' : '🔒 **held**'} on ${escape(lock.group)} by ${escape(lock.holder)}`
      : '- Lock: none',
  );
  lines.push(
    staged
      ? `- Staged: ${staged.expired ? 'expired' : '⏸️ **waiting**'} ${escape(staged.versionLabel || 'unlabelled version')} on ${escape(staged.group)}, by ${escape(staged.run || 'an unknown run')}${staged.expires ? `, expires ${escape(staged.expires)}` : ''}${staged.preview.length > 0 ? `; preview: ${staged.preview.map(escape).join(', ')}` : ''}`
      : '- Staged: none',
  );
  if (status.refreshes.length === 0) lines.push('- Instance Refresh in progress: none');
  for (const r of status.refreshes) {
    const percent = r.percentComplete === undefined ? '' : `, ${r.percentComplete} %`;
    lines.push(`- Instance Refresh in progress on ${escape(r.group)}: ${r.id} (${r.status}${percent})`);
  }
  return lines;
}
