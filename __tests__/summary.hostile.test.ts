import { blueGreenFixture } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { codeSpan, escape } from '../src/report/markdown.js';
import { renderSummary } from '../src/report/summary.js';
import { blueGreenInputs } from './helpers/blue-green.js';

/**
 * Labels come from branch names and PR titles, which anyone who opens a PR
 * chooses: in the job summary they must render as the text they are.
 */
const HOSTILE = [
  '![pwned](https://evil.example/x.png)',
  '[click me](https://evil.example)',
  '<!-- the rest of the summary is hidden',
  '</details><h1>Deployed to prod</h1>',
  'a | b | c',
  '`code` and ``more``',
  '**bold** _em_ ~~strike~~ $x^2$',
  '<img src=x onerror=alert(1)>',
  'line one\nline two\r\n## heading',
  '\\[not a link\\](x)',
];

/** Tags and markup that would be live HTML or Markdown after `text` passed through escape(). */
function markupIn(escaped: string): string[] {
  const found: string[] = [];
  if (/<[a-zA-Z!/]/.test(escaped)) found.push('html tag or comment');
  if (/(^|[^\\])\[[^\]]*(^|[^\\])\]\(/.test(escaped)) found.push('link');
  if (/(^|[^\\])`/.test(escaped)) found.push('code span');
  if (/(^|[^\\])\|/.test(escaped)) found.push('cell break');
  if (/(^|[^\\])(\*|_|~|\$)/.test(escaped)) found.push('emphasis, strike or math');
  if (/[\r\n]/.test(escaped)) found.push('line break');
  return found;
}

/** What a Markdown reader shows for escaped text: entities decoded, backslash escapes removed. */
function shown(escaped: string): string {
  return escaped
    .replace(/\\([\\`*_[\]|~$])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

describe('the job summary escapes what comes from inputs and AWS', () => {
  test.each(HOSTILE)('escape(%j) leaves no markup and shows the text itself', (label) => {
    const escaped = escape(label);
    expect(markupIn(escaped)).toEqual([]);
    expect(shown(escaped)).toBe(label.replace(/[\r\n]+/g, ' '));
  });

  test('a code span holds backticks of any length', () => {
    expect(codeSpan('a ``b`` c')).toBe('```a ``b`` c```');
    expect(codeSpan('`edge`')).toBe('`` `edge` ``');
  });

  test('a hostile version-label renders as literal text in the heading, the facts and the tables of a real run', async () => {
    const label = '</details><h1>x</h1> ![i](https://e.example/i.png) [l](https://e.example) <!-- | `c`';
    const f = blueGreenFixture({ instances: 2 });
    const { report } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '2', 'version-label': label }),
    );
    expect(report.result).toBe('deployed');
    const summary = renderSummary(report);
    for (const raw of ['</details><h1>', '![i](', '[l](', '<!--', '| `c`'])
      expect(summary).not.toContain(raw);
    const escaped = escape(label);
    expect(summary).toContain(`## ✅ Deployed: ${escaped}`);
    expect(summary).toContain(`version **${escaped}**`);
    // every <details> the summary opens is its own, and closed
    expect(summary.split('<details>').length).toBe(summary.split('</details>').length);
  });
});
