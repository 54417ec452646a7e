/**
 * src/inputs/spec.ts is the one list of inputs: action.yml must declare exactly
 * its inputs, in its order, with its defaults and descriptions.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { InputReader } from '../src/inputs/reader.js';
import { ACTION_DEFAULTS, applies, INPUT_NAMES, INPUTS, type InputSpec } from '../src/inputs/spec.js';

const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { description?: string; default?: unknown; required?: boolean }>;
};
const rows: readonly InputSpec[] = INPUTS;

describe('the input spec and action.yml', () => {
  test('declare the same inputs, in the same order', () => {
    expect(Object.keys(action.inputs)).toEqual([...INPUT_NAMES]);
  });

  test.each(rows.map((row) => [row.name, row] as const))('%s: same default and description', (name, row) => {
    const declared = action.inputs[name];
    expect(declared?.default).toBe(row.default);
    expect(declared?.description).toBe(row.description);
    expect(declared?.required).toBeUndefined();
  });

  test('the runner defaults are the defaults of the table', () => {
    expect(ACTION_DEFAULTS).toEqual(
      Object.fromEntries(
        rows.filter((row) => row.default !== undefined).map((row) => [row.name, row.default]),
      ),
    );
  });

  test('strategies and modes, when listed, are known ones', () => {
    for (const row of rows) {
      for (const strategy of row.strategies ?? [])
        expect(['blue-green', 'rolling', 'recreate']).toContain(strategy);
      for (const mode of row.modes ?? [])
        expect(['deploy', 'rollback', 'plan', 'status', 'stage', 'promote', 'abort', 'retire']).toContain(
          mode,
        );
    }
  });
});

describe('applies', () => {
  const stageOnly: InputSpec = { name: 'x', description: 'x', strategies: ['blue-green'], modes: ['plan'] };

  test('an input applies to the strategies and modes of its row, and to all when none are listed', () => {
    expect(applies(stageOnly, 'blue-green', 'plan')).toBe(true);
    expect(applies(stageOnly, 'rolling', 'plan')).toBe(false);
    expect(applies(stageOnly, 'blue-green', 'deploy')).toBe(false);
    expect(applies({ name: 'y', description: 'y' }, 'recreate', 'rollback')).toBe(true);
  });

  test('an unknown strategy or mode (already a problem) excludes nothing', () => {
    expect(applies(stageOnly, undefined, undefined)).toBe(true);
  });
});

describe('InputReader', () => {
  test('refuses to read an input whose row excludes the strategy: the readers follow the table', () => {
    const reader = new InputReader(() => 'canary:10:5m');
    reader.strategy = 'rolling';
    expect(() => reader.text('traffic-shift')).toThrow(/traffic-shift is read for strategy rolling/);
    expect(reader.text('timeout')).toBe('canary:10:5m');
  });

  test('warns about a mode-only input set in another mode, naming the modes it applies to', () => {
    const reader = new InputReader((name) => (name === 'checkpoint-delay' ? '5m' : ''));
    reader.warnInapplicable('blue-green', 'deploy');
    expect(reader.warningMessages()).toEqual([
      'checkpoint-delay: is set but does not apply to strategy blue-green (only to rolling); ignored',
    ]);
  });
});
