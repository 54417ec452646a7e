/**
 * The inputs and outputs tables of README.md are generated from action.yml
 * (`npm run docs`): regenerate them in memory and compare.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { actionPath, generateReadme, readmePath, renderTables } from '../scripts/docs.js';

const readme = readFileSync(readmePath, 'utf8');
const actionYml = readFileSync(actionPath, 'utf8');

describe('README inputs and outputs tables', () => {
  it('are what `npm run docs` generates from action.yml (run it after changing action.yml)', async () => {
    expect(await generateReadme(readme, actionYml)).toBe(readme);
  });

  it('list every input and output of action.yml, in its order', () => {
    const action = parse(actionYml) as { inputs: object; outputs: object };
    const tables = renderTables(actionYml);
    const names = (table: string) => [...table.matchAll(/^\| `([\w-]+)` \|/gm)].map((m) => m[1]);
    expect(names(tables.inputs)).toEqual(Object.keys(action.inputs));
    expect(names(tables.outputs)).toEqual(Object.keys(action.outputs));
  });

  it('fail when a description in action.yml changes', async () => {
    const changed = actionYml.replace(
      "description: 'Wall-clock duration of the deployment in seconds.'",
      "description: 'Something else.'",
    );
    expect(changed).not.toBe(actionYml);
    expect(await generateReadme(readme, changed)).not.toBe(readme);
  });
});
