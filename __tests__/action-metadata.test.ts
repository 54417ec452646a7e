/**
 * action.yml is the public contract of the action: input and output names come from the
 * Interface tables of DESIGN.md and are hard-coded here on purpose, so renaming one is a
 * visible, deliberate change. The metadata and the workflows are also validated against
 * the SchemaStore schemas kept in test/schemas (copied from SchemaStore, see its README).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const schemasDir = join(repoRoot, 'test', 'schemas');
const workflowsDir = join(repoRoot, '.github', 'workflows');

/** DESIGN.md, Interface, inputs table (with `checkpoint-delay` from the `checkpoints` row). */
const CONTRACT_INPUTS = [
  'strategy',
  'mode',
  'aws-region',
  'listener-arns',
  'listener-rule-arns',
  'blue-auto-scaling-group',
  'green-auto-scaling-group',
  'blue-target-group-arn',
  'green-target-group-arn',
  'auto-scaling-group',
  'launch-template-version',
  'image-id',
  'version-label',
  'expected-version-label',
  'traffic-shift',
  'bake-time',
  'alarm-names',
  'previous-fleet',
  'protected-instances',
  'standby-instances',
  'preview-listener-arns',
  'preview-header',
  'stage-expires-after',
  'min-healthy-percent',
  'max-healthy-percent',
  'instance-warmup',
  'checkpoints',
  'checkpoint-delay',
  'maintenance-response',
  'auto-rollback',
  'health-timeout',
  'timeout',
  'poll-interval',
  'suspend-processes',
  'dry-run',
];

/** DESIGN.md, Interface, literal defaults; every other input has none. */
const CONTRACT_DEFAULTS: Record<string, string> = {
  strategy: 'blue-green',
  mode: 'deploy',
  'traffic-shift': 'all-at-once',
  'bake-time': '0',
  'previous-fleet': 'scale-down',
  'protected-instances': 'ignore',
  'standby-instances': 'ignore',
  'stage-expires-after': '24h',
  'dry-run': 'false',
  'min-healthy-percent': '90',
  'max-healthy-percent': '100',
  'maintenance-response': '503',
  'auto-rollback': 'true',
  'health-timeout': '10m',
  timeout: '30m',
  'poll-interval': '10s',
  'suspend-processes': 'AlarmNotification, ScheduledActions, AZRebalance',
};

/** DESIGN.md, Interface, outputs table. */
const CONTRACT_OUTPUTS = [
  'result',
  'active-color',
  'active-auto-scaling-group',
  'active-target-group-arn',
  'previous-color',
  'previous-auto-scaling-group',
  'version-label',
  'previous-version-label',
  'launch-template-version',
  'instance-refresh-id',
  'rollback-reason',
  'duration-seconds',
  'locked',
  'staged',
  'preview-url',
];

interface ActionInput {
  description?: string;
  required?: boolean;
  default?: unknown;
}

interface ActionMetadata {
  name: string;
  description: string;
  runs: { using: string; main: string; post?: string };
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description?: string }>;
}

function readYaml(path: string): unknown {
  return parse(readFileSync(path, 'utf8'));
}

const action = readYaml(join(repoRoot, 'action.yml')) as ActionMetadata;
const workflowFiles = readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f));

const sorted = (names: string[]) => [...names].sort();

describe('action.yml', () => {
  it('runs the bundle on node24', () => {
    expect(action.runs.using).toBe('node24');
    expect(action.runs.main).toBe('dist/index.js');
  });

  it('runs the post step always, from the same bundle: it restores a cancelled deploy and releases the lock', () => {
    expect(action.runs.post).toBe('dist/index.js');
    expect((action.runs as { 'post-if'?: string })['post-if']).toBe('always()');
  });

  it('declares exactly the inputs of the interface contract', () => {
    expect(sorted(Object.keys(action.inputs))).toEqual(sorted(CONTRACT_INPUTS));
  });

  it('declares exactly the outputs of the interface contract', () => {
    expect(sorted(Object.keys(action.outputs))).toEqual(sorted(CONTRACT_OUTPUTS));
  });

  it('marks no input required: what is needed depends on the strategy, and the action validates it', () => {
    const required = Object.entries(action.inputs)
      .filter(([, input]) => input.required === true)
      .map(([name]) => name);
    expect(required).toEqual([]);
  });

  it('gives the contract defaults as strings, and no default elsewhere', () => {
    const defaults = Object.fromEntries(
      Object.entries(action.inputs)
        .filter(([, input]) => input.default !== undefined)
        .map(([name, input]) => [name, input.default]),
    );
    expect(defaults).toEqual(CONTRACT_DEFAULTS);
  });

  it('describes every input and output', () => {
    const undescribed = [
      ...Object.entries(action.inputs).map(([name, i]) => [`inputs.${name}`, i.description] as const),
      ...Object.entries(action.outputs).map(([name, o]) => [`outputs.${name}`, o.description] as const),
    ]
      .filter(([, description]) => !description?.trim())
      .map(([name]) => name);
    expect(undescribed).toEqual([]);
  });
});

describe('workflows', () => {
  it.each(workflowFiles)('%s pins every third-party action by full commit SHA', (file) => {
    const text = readFileSync(join(workflowsDir, file), 'utf8');
    const uses = [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)];
    for (const [, ref = '', comment = ''] of uses) {
      if (ref.startsWith('./')) continue;
      expect(ref).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
      expect(comment).toMatch(/#\s*v\d/);
    }
  });
});

describe('SchemaStore schemas (test/schemas)', () => {
  // The SchemaStore schemas are draft-07 (ajv's default draft) and use no `format`.
  // strict: false because they carry editor keywords ajv does not know.
  const ajv = new Ajv({ allErrors: true, strict: false });
  const compiled = new Map<string, ValidateFunction>();
  const compile = (file: string): ValidateFunction => {
    let validate = compiled.get(file);
    if (!validate) {
      validate = ajv.compile(JSON.parse(readFileSync(join(schemasDir, file), 'utf8')));
      compiled.set(file, validate);
    }
    return validate;
  };

  it('action.yml is valid against github-action.json', () => {
    const validate = compile('github-action.json');
    validate(action);
    expect(validate.errors ?? []).toEqual([]);
  });

  it.each(workflowFiles)('.github/workflows/%s is valid against github-workflow.json', (file) => {
    const validate = compile('github-workflow.json');
    validate(readYaml(join(workflowsDir, file)));
    expect(validate.errors ?? []).toEqual([]);
  });
});
