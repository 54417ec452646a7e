/**
 * `npm run docs`: writes the inputs table of README.md from the input spec
 * (src/inputs/spec.ts, which action.yml's inputs must match) and the outputs
 * table from action.yml, between `<!-- inputs:start -->` / `<!-- inputs:end -->` and
 * `<!-- outputs:start -->` / `<!-- outputs:end -->`, then formats the README
 * with the project's Prettier settings. `__tests__/readme-docs.test.ts` runs
 * the same generation in memory and fails when README.md differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { parse } from 'yaml';
import { INPUTS, type InputSpec } from '../src/inputs/spec.js';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const readmePath = join(repoRoot, 'README.md');
export const actionPath = join(repoRoot, 'action.yml');

interface ActionMetadata {
  outputs: Record<string, { description: string }>;
}

/** A table cell: one line, pipes escaped (descriptions are Markdown already). */
function cell(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
}

/** The two tables: inputs in the spec's order (action.yml's), outputs in action.yml's. */
export function renderTables(actionYml: string): { inputs: string; outputs: string } {
  const action = parse(actionYml) as ActionMetadata;
  const inputs = [
    '| Input | Default | Description |',
    '| --- | --- | --- |',
    ...(INPUTS as readonly InputSpec[]).map(
      (input) =>
        `| \`${input.name}\` | ${input.default === undefined ? '' : `\`${cell(input.default)}\``} | ${cell(input.description)} |`,
    ),
  ].join('\n');
  const outputs = [
    '| Output | Description |',
    '| --- | --- |',
    ...Object.entries(action.outputs).map(
      ([name, output]) => `| \`${name}\` | ${cell(output.description)} |`,
    ),
  ].join('\n');
  return { inputs, outputs };
}

/** Replaces what lies between `<!-- NAME:start -->` and `<!-- NAME:end -->`; throws when a marker is missing. */
export function replaceSection(text: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} section`);
  return `${text.slice(0, from + start.length)}\n\n${content}\n\n${text.slice(to)}`;
}

/** README.md as `npm run docs` would write it. */
export async function generateReadme(readme: string, actionYml: string): Promise<string> {
  const tables = renderTables(actionYml);
  const text = replaceSection(replaceSection(readme, 'inputs', tables.inputs), 'outputs', tables.outputs);
  const options = (await prettier.resolveConfig(readmePath)) ?? {};
  return prettier.format(text, { ...options, filepath: readmePath });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const before = readFileSync(readmePath, 'utf8');
  const after = await generateReadme(before, readFileSync(actionPath, 'utf8'));
  writeFileSync(readmePath, after);
  console.log(
    before === after ? 'README.md is up to date' : 'README.md: inputs and outputs tables rewritten',
  );
}
