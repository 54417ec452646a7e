/**
 * The job summary of each demo scenario, run on the simulated AWS in virtual
 * time, compared byte for byte with __tests__/golden/<scenario>.md. After an
 * intended change: `UPDATE_GOLDEN=1 npm test -- summary.golden`, then review the diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryLogger } from '../src/engine/log.js';
import { renderSummary } from '../src/report/summary.js';
import { verdictOf } from '../src/report/verdict.js';
import { SCENARIOS } from '../sim/demo/index.js';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

describe.each(SCENARIOS.map((s) => [s.name, s] as const))('summary of %s', (name, scenario) => {
  test(`matches golden/${name}.md`, async () => {
    const world = await scenario.build();
    const { report } = await world.run(new MemoryLogger());
    expect(report.result).toBe(scenario.expected);

    const summary = renderSummary(report);
    const file = join(GOLDEN, `${name}.md`);
    if (update || !existsSync(file)) writeFileSync(file, summary);
    expect(summary).toBe(readFileSync(file, 'utf8'));
  });
});

test('the same scenario renders the same summary twice (nothing random reaches it)', async () => {
  const render = async () => {
    const world = await SCENARIOS[0]!.build();
    return renderSummary((await world.run(new MemoryLogger())).report);
  };
  expect(await render()).toBe(await render());
});

describe('what the summary never holds', () => {
  test.each(SCENARIOS.map((s) => [s.name, s] as const))(
    '%s: no request body, credential or run token',
    async (_, s) => {
      const world = await s.build();
      const { report, state } = await world.run(new MemoryLogger());
      const summary = renderSummary(report);
      expect(summary).not.toMatch(/AKIA|secretAccessKey|simulated"|DefaultActions|ForwardConfig|MessageBody/);
      // The lock token (random per run) is saved for the post step, never shown.
      const lock = state.get('lock');
      if (lock) expect(summary).not.toContain((JSON.parse(lock) as { token: string }).token);
    },
  );
});

describe('the verdict on the runner', () => {
  const verdict = async (name: string) => {
    const s = SCENARIOS.find((x) => x.name === name)!;
    return verdictOf((await (await s.build()).run(new MemoryLogger())).report);
  };

  test('a deploy ends with a notice naming the version', async () => {
    expect(await verdict('happy')).toEqual({
      notices: ['Deployed v1.1.0 to green (app-green, launch template version 2)'],
      errors: [],
    });
  });

  test('a rollback after a failed gate fails the step with the reason, then what was restored', async () => {
    expect((await verdict('canary-alarm-rollback')).failure).toBe(
      'Watch canary 10 % for 5m: canary 10 %: alarm "app-5xx" is in ALARM (Set by the simulator to ALARM). ' +
        'Restored the state before the run: traffic back on blue (2 listeners restored), ' +
        'green (app-green) restored to 0/0/0, launch template version 1.',
    );
  });

  test('a pre-flight refusal says nothing was changed, one error per further problem', async () => {
    const v = await verdict('preflight-failure');
    expect(v.failure).toMatch(/^pre-flight: .*Nothing was changed\.$/);
    expect(v.errors.length).toBeGreaterThan(0);
  });
});
