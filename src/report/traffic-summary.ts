import { formatDuration } from '../engine/clock.js';
import type { TrafficStepRecord } from './model.js';

/**
 * The traffic steps as a table (time, weights, gates, alarm states) and a
 * mermaid timeline of the weights, from the report data alone.
 */
export function trafficSection(records: TrafficStepRecord[], startedAt: number): string[] {
  if (records.length === 0) return [];
  const out = ['### Traffic', ''];
  out.push('| Time | Step | Blue | Green | Held | Gate | Health or reason | Alarms |');
  out.push('| --- | --- | ---: | ---: | --- | --- | --- | --- |');
  for (const r of records) {
    const alarms = r.alarms
      .map((a) => `${a.name}: ${a.state === 'OK' ? a.state : `**${a.state}**`}`)
      .join('<br>');
    const cells = [
      new Date(r.at).toISOString().slice(11, 19),
      r.step,
      `${r.weights.blue} %`,
      `${r.weights.green} %`,
      r.watchedMs > 0 ? formatDuration(r.watchedMs) : '',
      r.gate === 'passed' ? '✅ passed' : r.gate === 'failed' ? '❌ failed' : '',
      r.detail ?? '',
      alarms,
    ];
    out.push(`| ${cells.map(cell).join(' | ')} |`);
  }
  out.push('', '```mermaid', 'timeline', '  title Traffic (blue / green) from the start of the run');
  for (const r of records) {
    const gate = r.gate ? ` — gate ${r.gate}` : '';
    out.push(
      `  T+${formatDuration(r.at - startedAt)} : ${plain(r.step)} : blue ${r.weights.blue} % / green ${r.weights.green} %${gate}`,
    );
  }
  out.push('```', '');
  return out;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Mermaid timeline text: a colon separates events, a # starts an entity. */
function plain(text: string): string {
  return text.replace(/[:#;]/g, ' ');
}
