import { formatDuration } from '../util/time.js';
import { clockTime, escape, table } from './markdown.js';
import type { FleetRow, TrafficStepRecord } from './model.js';

type Color = 'blue' | 'green';

/**
 * The traffic steps as a table (time, weights, gates, alarm states) and a
 * chart of the share the new color served at each step, from the report data
 * alone. The chart is a mermaid `xychart-beta` bar chart: GitHub renders it in
 * job summaries, and the bars read as the steps of the shift at a glance.
 */
export function trafficSection(
  records: TrafficStepRecord[],
  startedAt: number,
  before: FleetRow[],
): string[] {
  if (records.length === 0) return [];
  const rows = records.map((r) => {
    const alarms = r.alarms
      .map((a) => {
        // CloudWatch's states (OK, ALARM, INSUFFICIENT_DATA) as they are; anything else escaped
        const state = /^[A-Z_]+$/.test(a.state) ? a.state : escape(a.state);
        return `${escape(a.name)}: ${a.state === 'OK' ? state : `**${state}**`}`;
      })
      .join('<br>');
    return [
      clockTime(r.at),
      escape(r.step),
      `${r.weights.blue} %`,
      `${r.weights.green} %`,
      r.watchedMs > 0 ? formatDuration(r.watchedMs) : '',
      r.gate === 'passed' ? '✅ passed' : r.gate === 'failed' ? '❌ failed' : '',
      escape(r.detail ?? ''),
      alarms,
    ];
  });
  const to = newColor(records, before);
  return [
    '### Traffic',
    '',
    ...table(['Time', 'Step', 'Blue', 'Green', 'Held', 'Gate', 'Health or reason', 'Alarms'], rows, [
      'left',
      'left',
      'right',
      'right',
    ]),
    '',
    '```mermaid',
    'xychart-beta',
    `  title "Traffic on ${to}, % (${to === 'green' ? 'blue' : 'green'} serves the rest)"`,
    `  x-axis [${records.map((r) => quoted(`+${formatDuration(r.at - startedAt)} ${r.step}`)).join(', ')}]`,
    `  y-axis "% of requests" 0 --> 100`,
    `  bar [${records.map((r) => r.weights[to]).join(', ')}]`,
    '```',
    '',
  ];
}

/** The color traffic moved to: the one whose share the first step raised. */
function newColor(records: TrafficStepRecord[], before: FleetRow[]): Color {
  const first = records[0];
  if (!first) return 'green';
  const greenBefore = before.find((row) => row.name === 'green')?.traffic;
  if (greenBefore !== undefined && first.weights.green !== greenBefore)
    return first.weights.green > greenBefore ? 'green' : 'blue';
  // Without the weights before the run: the color a step gave all traffic, else the canary's minority.
  const full = records.find(
    (r) => r.step !== 'rollback' && (r.weights.green === 100 || r.weights.blue === 100),
  );
  if (full) return full.weights.green === 100 ? 'green' : 'blue';
  return first.weights.green <= first.weights.blue ? 'green' : 'blue';
}

/** A mermaid string literal: it cannot hold a double quote. */
function quoted(text: string): string {
  return `"${text.replace(/"/g, "'")}"`;
}
