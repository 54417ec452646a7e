/**
 * iam/policy.json is the least-privilege policy users attach to the role the action runs
 * as. It must track the code exactly: this test reads every `.ts` file under src/ (except
 * sim/, the simulator, which never talks to AWS), finds each AWS SDK command the code
 * constructs (`new XxxCommand(` imported from `@aws-sdk/client-<service>`), turns it into
 * its IAM action and checks both directions:
 *   - every action the code sends is allowed by an Allow statement of the policy;
 *   - every action the policy allows is sent by the code, or listed below in IMPLIED
 *     (AWS checks it on our behalf).
 * Adding `new DeleteAutoScalingGroupCommand(...)` to src/aws/ without touching the policy
 * fails the first check; removing the last call of a command fails the second.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const srcDir = join(repoRoot, 'src');
const policyPath = join(repoRoot, 'iam', 'policy.json');

/** SDK v3 client package → IAM service prefix. A new client must be added here on purpose. */
const IAM_PREFIX: Record<string, string> = {
  '@aws-sdk/client-auto-scaling': 'autoscaling',
  '@aws-sdk/client-cloudwatch': 'cloudwatch',
  '@aws-sdk/client-ec2': 'ec2',
  '@aws-sdk/client-elastic-load-balancing-v2': 'elasticloadbalancing',
};

/**
 * Actions the code never sends but AWS evaluates against the caller's identity when the
 * code sends something else. Each needs the reason, from the AWS documentation.
 */
const IMPLIED: Record<string, string> = {
  // Amazon EC2 Auto Scaling User Guide, "Control Amazon EC2 launch template usage in Auto
  // Scaling groups" (ec2-auto-scaling-launch-template-permissions): "`ec2:RunInstances` are
  // checked when an Auto Scaling group is created or updated using a launch template."
  // UpdateAutoScalingGroup with LaunchTemplate (blue/green, recreate) and
  // StartInstanceRefresh with DesiredConfiguration.LaunchTemplate (rolling) are such updates:
  // without it AWS answers "You are not authorized to use launch template".
  'ec2:RunInstances':
    'checked by Auto Scaling when UpdateAutoScalingGroup / StartInstanceRefresh set a launch template',
  // Same page, "Permissions required to tag instances and volumes": "This policy is needed
  // if there are tags specified in the launch template" (ec2:CreateTags, scoped by
  // ec2:CreateAction = RunInstances). The API permissions page (ec2-auto-scaling-api-
  // permissions) lists it too: "ec2:CreateTags – To tag instances and volumes on launch when
  // a launch template with a tag specification is provided."
  'ec2:CreateTags':
    'checked with RunInstances when the launch template has TagSpecifications (only ec2:CreateAction = RunInstances)',
  // Same page, "Additional permissions": "users who create or update Auto Scaling groups with
  // a launch template that specifies an instance profile (a container for an IAM role)
  // require the `iam:PassRole` permission". Scoped with iam:PassedToService = ec2.amazonaws.com.
  'iam:PassRole': 'checked when the launch template that a group is updated to names an instance profile',
  // ELBv2 authorizes tags given at creation as AddTags on the new resource ("tag on
  // create"), narrowed here with elasticloadbalancing:CreateAction = CreateRule.
  'elasticloadbalancing:AddTags':
    'checked when CreateRule carries Tags (the health-check rule of recreate, the preview-header rules of a stage)',
};

interface SentCommand {
  action: string;
  file: string;
  line: number;
}

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

interface PolicyDocument {
  Version: string;
  Statement: Statement[];
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path === join(srcDir, 'sim')) continue;
      out.push(...sourceFiles(path));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      out.push(path);
    }
  }
  return out.sort();
}

/**
 * The SDK commands one source file constructs. A `new …Command(` whose class does not come
 * from a known `@aws-sdk/client-*` import is reported as unresolved rather than skipped,
 * so a re-export or a new client cannot slip past the check.
 */
function commandsIn(fileName: string, text: string): { sent: SentCommand[]; unresolved: string[] } {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const named = new Map<string, { prefix: string; command: string }>(); // local name → command
  const namespaces = new Map<string, string>(); // namespace alias → IAM prefix
  const unresolved: string[] = [];

  for (const stmt of source.statements) {
    if (!ts.isImportDeclaration(stmt) || !ts.isStringLiteral(stmt.moduleSpecifier)) continue;
    const pkg = stmt.moduleSpecifier.text;
    if (!pkg.startsWith('@aws-sdk/client-')) continue;
    const prefix = IAM_PREFIX[pkg];
    const bindings = stmt.importClause?.namedBindings;
    if (!bindings) continue;
    if (ts.isNamespaceImport(bindings)) {
      if (prefix) namespaces.set(bindings.name.text, prefix);
      else unresolved.push(`${fileName}: namespace import of ${pkg}, which has no IAM prefix in IAM_PREFIX`);
      continue;
    }
    for (const el of bindings.elements) {
      const imported = (el.propertyName ?? el.name).text;
      if (!imported.endsWith('Command')) continue;
      if (!prefix) {
        unresolved.push(`${fileName}: ${imported} from ${pkg}, which has no IAM prefix in IAM_PREFIX`);
        continue;
      }
      named.set(el.name.text, { prefix, command: imported });
    }
  }

  const sent: SentCommand[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node)) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      const callee = node.expression;
      let hit: { prefix: string; command: string } | undefined;
      let shown = callee.getText(source);
      if (ts.isIdentifier(callee)) {
        hit = named.get(callee.text);
      } else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
        const prefix = namespaces.get(callee.expression.text);
        if (prefix) hit = { prefix, command: callee.name.text };
        shown = callee.name.text;
      }
      if (hit) {
        sent.push({ action: `${hit.prefix}:${hit.command.replace(/Command$/, '')}`, file: fileName, line });
      } else if (shown.endsWith('Command')) {
        unresolved.push(
          `${fileName}:${line}: new ${callee.getText(source)}( is not imported from a known @aws-sdk client`,
        );
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { sent, unresolved };
}

function collectSent(): { sent: SentCommand[]; unresolved: string[] } {
  const sent: SentCommand[] = [];
  const unresolved: string[] = [];
  for (const path of sourceFiles(srcDir)) {
    const rel = relative(repoRoot, path).split(sep).join('/');
    const found = commandsIn(rel, readFileSync(path, 'utf8'));
    sent.push(...found.sent);
    unresolved.push(...found.unresolved);
  }
  return { sent, unresolved };
}

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** IAM action matching: case-insensitive, `*` and `?` wildcards. */
function actionMatches(pattern: string, action: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(action);
}

function allowedActions(policy: PolicyDocument): string[] {
  return policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => list(s.Action));
}

const policy = JSON.parse(readFileSync(policyPath, 'utf8')) as PolicyDocument;
const { sent, unresolved } = collectSent();
const sentActions = [...new Set(sent.map((s) => s.action))].sort();

describe('iam/policy.json', () => {
  it('is a valid identity policy document', () => {
    expect(policy.Version).toBe('2012-10-17');
    expect(Array.isArray(policy.Statement)).toBe(true);
    expect(policy.Statement.length).toBeGreaterThan(0);
    const sids = policy.Statement.map((s) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    for (const s of policy.Statement) {
      expect(s.Sid).toMatch(/^[A-Za-z0-9]+$/);
      expect(['Allow', 'Deny']).toContain(s.Effect);
      // Action and Resource, never their Not… forms: those grant everything not listed.
      expect(s.NotAction).toBeUndefined();
      expect(s.NotResource).toBeUndefined();
      expect(list(s.Action).length).toBeGreaterThan(0);
      expect(list(s.Resource).length).toBeGreaterThan(0);
      for (const action of list(s.Action)) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
    }
  });

  it('has no `*` action and no wildcard actions at all', () => {
    for (const s of policy.Statement) {
      for (const action of list(s.Action)) {
        expect(action).not.toBe('*');
        expect(action).not.toContain('*');
        expect(action).not.toContain('?');
      }
    }
  });

  it('grants Resource "*" only to Describe actions, and conditions every other statement', () => {
    for (const s of policy.Statement.filter((st) => st.Effect === 'Allow')) {
      const describeOnly = list(s.Action).every((a) => /^[a-z0-9-]+:Describe[A-Za-z]+$/.test(a));
      if (list(s.Resource).includes('*')) {
        expect({ sid: s.Sid, describeOnly }).toEqual({ sid: s.Sid, describeOnly: true });
      } else {
        expect({ sid: s.Sid, condition: s.Condition !== undefined }).toEqual({ sid: s.Sid, condition: true });
      }
    }
  });

  it('restricts tag writes to `asg-deploy:` keys and protects the `asg-deploy:managed` marker', () => {
    const tagWriters = policy.Statement.filter((s) =>
      list(s.Action).some((a) => /^autoscaling:(CreateOrUpdateTags|DeleteTags)$/.test(a)),
    );
    expect(tagWriters.length).toBeGreaterThan(0);
    for (const s of tagWriters) {
      expect(s.Condition?.['ForAllValues:StringLike']?.['aws:TagKeys']).toEqual(['asg-deploy:*']);
      expect(s.Condition?.['ForAllValues:StringNotEquals']?.['aws:TagKeys']).toEqual(['asg-deploy:managed']);
      expect(s.Condition?.['Null']?.['aws:TagKeys']).toBe('false');
    }
  });
});

describe('iam/policy.json against the AWS calls in src/', () => {
  it('finds the SDK commands the gateways send (the scan works)', () => {
    expect(unresolved).toEqual([]);
    // A few anchors: if the scan silently found nothing, every check below would pass.
    expect(sentActions).toEqual(
      expect.arrayContaining([
        'autoscaling:DescribeAutoScalingGroups',
        'autoscaling:StartInstanceRefresh',
        'cloudwatch:DescribeAlarms',
        'ec2:CreateLaunchTemplateVersion',
        'elasticloadbalancing:ModifyListener',
      ]),
    );
  });

  it('allows every action the code sends', () => {
    const allowed = allowedActions(policy);
    const missing = sent
      .filter((c) => !allowed.some((pattern) => actionMatches(pattern, c.action)))
      .map((c) => `${c.action} (sent at ${c.file}:${c.line})`);
    expect(missing).toEqual([]);
  });

  it('allows nothing the code does not send, apart from IMPLIED', () => {
    const exempt = new Set(Object.keys(IMPLIED));
    const unused = [...new Set(allowedActions(policy))].filter(
      (action) => !exempt.has(action) && !sentActions.some((a) => actionMatches(action, a)),
    );
    expect(unused).toEqual([]);
  });

  it('keeps IMPLIED honest: each is in the policy and never sent by the code itself', () => {
    const allowed = allowedActions(policy);
    for (const action of Object.keys(IMPLIED)) {
      expect({ action, inPolicy: allowed.includes(action) }).toEqual({ action, inPolicy: true });
      expect({ action, sent: sentActions.includes(action) }).toEqual({ action, sent: false });
    }
  });
});

describe('the command scan', () => {
  it('reports a command the policy lacks, through named, aliased and namespace imports', () => {
    const fake = [
      "import { DeleteAutoScalingGroupCommand, TerminateInstanceInAutoScalingGroupCommand as Kill } from '@aws-sdk/client-auto-scaling';",
      "import * as elb from '@aws-sdk/client-elastic-load-balancing-v2';",
      'export async function f(c: { send(x: unknown): Promise<void> }) {',
      "  await c.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'g' }));",
      "  await c.send(new Kill({ InstanceId: 'i', ShouldDecrementDesiredCapacity: true }));",
      "  await c.send(new elb.DeleteListenerCommand({ ListenerArn: 'a' }));",
      '}',
    ].join('\n');
    const { sent: found, unresolved: odd } = commandsIn('fake.ts', fake);
    expect(odd).toEqual([]);
    expect(found.map((c) => c.action)).toEqual([
      'autoscaling:DeleteAutoScalingGroup',
      'autoscaling:TerminateInstanceInAutoScalingGroup',
      'elasticloadbalancing:DeleteListener',
    ]);
    const allowed = allowedActions(policy);
    for (const c of found) expect(allowed.some((p) => actionMatches(p, c.action))).toBe(false);
  });

  it('refuses a command it cannot trace to a known client', () => {
    const fake = [
      "import { PutObjectCommand } from '@aws-sdk/client-s3';",
      "import { SomethingCommand } from './elsewhere.js';",
      "new PutObjectCommand({ Bucket: 'b', Key: 'k' });",
      'new SomethingCommand();',
    ].join('\n');
    const { sent: found, unresolved: odd } = commandsIn('fake.ts', fake);
    expect(found).toEqual([]);
    expect(odd).toHaveLength(3);
  });
});
