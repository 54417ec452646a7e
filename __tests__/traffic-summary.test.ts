import { renderSummary } from '../src/report/summary.js';
import type { DeploymentReport } from '../src/report/model.js';

const T0 = Date.UTC(2026, 10, 27, 12);
const report: DeploymentReport = {
  result: 'rolled-back',
  strategy: 'blue-green',
  mode: 'deploy',
  startedAt: T0,
  endedAt: T0 + 120_000,
  headline: 'v2 to green',
  reason: 'Watch canary 10 % for 5m: canary 10 %: alarm "app-5xx" is in ALARM',
  problems: [],
  rollbackIncomplete: false,
  warnings: [],
  before: [],
  after: [],
  steps: [],
  plannedWrites: [],
  writesSent: [],
  traffic: [
    {
      at: T0 + 60_000,
      step: 'canary 10 %',
      weights: { blue: 90, green: 10 },
      watchedMs: 50_000,
      gate: 'failed',
      detail: 'alarm "app-5xx" is in ALARM',
      alarms: [
        { name: 'app-5xx', state: 'ALARM' },
        { name: 'app-latency', state: 'INSUFFICIENT_DATA' },
      ],
    },
    { at: T0 + 110_000, step: 'rollback', weights: { blue: 100, green: 0 }, watchedMs: 0, alarms: [] },
  ],
  outputs: {},
};

test('the summary shows each traffic step as a table row and as a bar of the share on the new color', () => {
  const md = renderSummary(report);
  expect(md).toContain(
    '| 12:01:00 | canary 10 % | 90 % | 10 % | 50s | ❌ failed | alarm "app-5xx" is in ALARM | app-5xx: **ALARM**<br>app-latency: **INSUFFICIENT_DATA** |',
  );
  expect(md).toContain('| 12:01:50 | rollback | 100 % | 0 % |  |  |  |  |');
  expect(md).toContain(
    [
      '```mermaid',
      'xychart-beta',
      '  title "Traffic on green, % (blue serves the rest)"',
      '  x-axis ["+1m canary 10 %", "+1m 50s rollback"]',
      '  y-axis "% of requests" 0 --> 100',
      '  bar [10, 0]',
      '```',
    ].join('\n'),
  );
});

test('the chart follows the color traffic moved to (blue when green was live)', () => {
  const toBlue = (report.traffic ?? []).map((r) => ({
    ...r,
    weights: { blue: r.weights.green, green: r.weights.blue },
  }));
  const md = renderSummary({
    ...report,
    traffic: toBlue,
    before: [
      {
        name: 'green',
        group: 'app-green',
        targetGroupArn: 'tg',
        launchTemplateVersion: '1',
        capacity: '2/2/2',
        health: '2/2 healthy',
        traffic: 100,
        live: true,
      },
    ],
  });
  expect(md).toContain('  title "Traffic on blue, % (green serves the rest)"');
  expect(md).toContain('  bar [10, 0]');
});

test('no traffic section when traffic did not move', () => {
  expect(renderSummary({ ...report, traffic: [] })).not.toContain('### Traffic');
  expect(renderSummary({ ...report, traffic: undefined })).not.toContain('mermaid');
});
