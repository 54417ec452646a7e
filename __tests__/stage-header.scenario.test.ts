import { deployOnSim } from '../sim/run-on-sim.js';
import { shortArn } from '../src/aws/arn.js';
import { renderSummary } from '../src/report/summary.js';
import { shellQuote } from '../src/strategies/stage.js';
import { blueGreenInputs, snapshot, trafficTargets } from './helpers/blue-green.js';
import {
  abortInputs,
  PREVIEW_BEFORE,
  promoteInputs,
  stagedTagsOf,
  stagedWorld,
  stageInputs,
  type StagedWorld,
} from './helpers/staged.js';

/**
 * `preview-header`: a rule on each production listener sends requests with the
 * header to the staged color only; promote and abort delete it; everything
 * else of the production listeners stays byte-identical.
 */
const HEADER = 'X-Preview: 7f3c';

const world = (opts: Parameters<typeof stagedWorld>[0] = {}) =>
  stagedWorld({ listeners: 2, rules: 1, ...opts });

/** A header-only stage: no preview listener. */
const headerOnly = (f: StagedWorld, extra: Record<string, string> = {}) =>
  stageInputs(f, { 'preview-listener-arns': '', 'preview-header': HEADER, ...extra });

/** Every rule of every production listener, and their default actions. */
const production = (f: StagedWorld) => ({
  defaults: f.listenerArns.map((arn) => f.sim.listenerActions(arn)),
  rules: f.listenerArns.map((arn) => f.sim.listenerRules(arn)),
});

/** The production rules other than those matching the preview header. */
const otherRules = (f: StagedWorld) =>
  f.listenerArns.map((arn) =>
    f.sim.listenerRules(arn).filter((r) => !JSON.stringify(r.conditions).includes('X-Preview')),
  );

const previewRules = (f: StagedWorld) =>
  f.listenerArns.map((arn) =>
    f.sim.listenerRules(arn).filter((r) => JSON.stringify(r.conditions).includes('X-Preview')),
  );

function expectPreviewRules(f: StagedWorld, priority: number) {
  const rules = previewRules(f);
  expect(rules.map((r) => r.length)).toEqual(f.listenerArns.map(() => 1));
  for (const [rule] of rules) {
    expect(rule?.priority).toBe(priority);
    expect(rule?.conditions).toEqual([
      { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Preview', Values: ['7f3c'] } },
    ]);
    // as ALB returns a forward to one target group: both forms
    expect(rule?.actions).toEqual([
      {
        Type: 'forward',
        TargetGroupArn: f.greenTargetGroupArn,
        ForwardConfig: {
          TargetGroups: [{ TargetGroupArn: f.greenTargetGroupArn, Weight: 1 }],
          TargetGroupStickinessConfig: { Enabled: false },
        },
      },
    ]);
  }
}

describe('stage with preview-header', () => {
  test('header only: a rule on each production listener sends the header to green only; everything else byte-identical', async () => {
    const f = world();
    const before = production(f);
    const groupsBefore = snapshot(f).blue;
    const { report } = await deployOnSim(f.sim, headerOnly(f));
    expect(report.result).toBe('staged');

    expect(production(f).defaults).toEqual(before.defaults);
    expect(otherRules(f)).toEqual(before.rules);
    // the fixture's rule has priority 10: the lowest free one is 1, evaluated before it
    expectPreviewRules(f, 1);
    expect(snapshot(f).blue).toEqual(groupsBefore);
    expect(f.sim.listenerActions(f.previewArn)).toEqual(PREVIEW_BEFORE);
    const elbWrites = report.writesSent.filter((w) => w.service === 'elbv2');
    expect(elbWrites.map((w) => `${w.action} ${w.target}`)).toEqual(
      f.listenerArns.map((arn) => `CreateRule ${arn}`),
    );
    // tagged at creation, as iam/policy.json requires for CreateRule and DeleteRule
    for (const call of f.sim.calls.filter((c) => c.command === 'CreateRule'))
      expect((call.input as { Tags?: unknown }).Tags).toEqual([{ Key: 'asg-deploy:managed', Value: 'true' }]);
    expect(report.outputs['preview-url']).toBe('');
    const tags = stagedTagsOf(f, f.blueGroup);
    expect(tags['asg-deploy:staged-preview-header']).toBe(HEADER);
    expect([tags['asg-deploy:staged-preview-rule-1'], tags['asg-deploy:staged-preview-rule-2']]).toEqual(
      previewRules(f).map(([r]) => r?.arn),
    );
    expect(tags['asg-deploy:staged-preview-1']).toBeUndefined();
    // the summary says how to reach it
    const summary = renderSummary(report);
    expect(summary).toMatch(
      /> curl -H 'X-Preview: 7f3c' http:\/\/app-\d+\.us-east-1\.elb\.amazonaws\.com\/\n/,
    );
    expect(summary).toContain(
      'requests with header X-Preview: 7f3c go to green only (a rule at the lowest free priority, 1 at pre-flight, evaluated before every other rule)',
    );
  });

  test('header and preview listener: both routes to green only; preview-url is the listener', async () => {
    const f = world();
    const before = production(f);
    const { report } = await deployOnSim(f.sim, stageInputs(f, { 'preview-header': HEADER }));
    expect(report.result).toBe('staged');
    expect(production(f).defaults).toEqual(before.defaults);
    expect(otherRules(f)).toEqual(before.rules);
    expectPreviewRules(f, 1);
    expect(f.sim.listenerActions(f.previewArn)[0]?.ForwardConfig?.TargetGroups).toEqual([
      { TargetGroupArn: f.greenTargetGroupArn, Weight: 1 },
    ]);
    expect(report.outputs['preview-url']).toMatch(/^http:\/\/app-\d+\.us-east-1\.elb\.amazonaws\.com:8443$/);
    const summary = renderSummary(report);
    expect(summary).toContain(`> curl ${report.outputs['preview-url'] ?? ''}/`);
    expect(summary).toContain("> curl -H 'X-Preview: 7f3c'");

    // mode: status names both preview routes of the staged release
    const status = await deployOnSim(f.sim, blueGreenInputs(f, { mode: 'status' }));
    const [rule1, rule2] = previewRules(f).map(([r]) => r?.arn ?? '');
    expect(status.report.status?.staged?.preview).toEqual([
      `listener ${shortArn(f.previewArn)}`,
      `header X-Preview: 7f3c: rule ${shortArn(rule1 ?? '')}`,
      `header X-Preview: 7f3c: rule ${shortArn(rule2 ?? '')}`,
    ]);
    expect(renderSummary(status.report)).toContain('; preview: listener ');
  });

  test('takes the lowest free priority; a priority taken meanwhile (PriorityInUse) is chosen again', async () => {
    const f = world({ listeners: 1, rules: 0 });
    const [listener] = f.listenerArns;
    const other = { Type: 'fixed-response' as const, FixedResponseConfig: { StatusCode: '418' } };
    for (const priority of [1, 2, 4])
      f.sim.createRule({
        listenerArn: listener ?? '',
        priority,
        conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [`/p${priority}`] } }],
        actions: [other],
      });
    // someone adds a rule at 3 just before our CreateRule
    let raced = false;
    f.sim.beforeCall(
      (call) => call.command === 'CreateRule' && !raced,
      () => {
        raced = true;
        f.sim.createRule({
          listenerArn: listener ?? '',
          priority: 3,
          conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/p3'] } }],
          actions: [other],
        });
      },
    );
    const { report, log } = await deployOnSim(f.sim, headerOnly(f));
    expect(report.result).toBe('staged');
    expect(log.lines.join('\n')).toContain('priorities 1-2 of listener');
    expect(report.preview?.routes.join('\n')).toContain(
      'a rule at the lowest free priority, 3 at pre-flight: the 2 rule(s) with lower numbers are evaluated first',
    );
    expect(
      f.sim.calls
        .filter((c) => c.command === 'CreateRule')
        .map((c) => (c.input as { Priority?: number }).Priority),
    ).toEqual([3, 5]);
    expect(log.lines.join('\n')).toContain('priority 3 of listener');
    expect(log.lines.join('\n')).toContain('is currently in use');
    expectPreviewRules(f, 5);
  });

  test('a listener that already has a rule for that header is refused before any write', async () => {
    const f = world({ listeners: 1, rules: 0 });
    f.sim.createRule({
      listenerArn: f.listenerArns[0] ?? '',
      priority: 7,
      conditions: [
        { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'x-preview', Values: ['7F3C'] } },
      ],
      actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '418' } }],
    });
    const { report } = await deployOnSim(f.sim, headerOnly(f));
    expect(report.result).toBe('failed');
    expect(report.reason).toContain('already has a rule at priority 7');
    expect(f.sim.writes()).toEqual([]);
  });

  test('a failed stage (health timeout) deletes the rule with everything else', async () => {
    const f = world();
    const before = { ...production(f), groups: snapshot(f) };
    f.sim.markVersionUnhealthy(f.launchTemplateId, f.newVersion);
    const { report } = await deployOnSim(f.sim, headerOnly(f, { 'health-timeout': '2m' }));
    expect(report.result).toBe('rolled-back');
    expect({ ...production(f), groups: snapshot(f) }).toEqual(before);
  });

  test('plan mode lists the CreateRule writes and sends none', async () => {
    const f = world();
    const planned = await deployOnSim(f.sim, headerOnly(f, { 'dry-run': 'true' }));
    expect(planned.report.result).toBe('planned');
    expect(f.sim.writes()).toEqual([]);
    const creates = planned.report.plannedWrites.filter((w) => w.action === 'CreateRule');
    expect(creates.map((w) => w.target)).toEqual(f.listenerArns);
    expect(creates[0]?.detail).toContain('priority 1 (lowest free): requests with header X-Preview: 7f3c');

    // staged: a planned promote deletes the rules after the production moves, a planned abort deletes them too
    await deployOnSim(f.sim, headerOnly(f));
    const writes = f.sim.writes().length;
    const promote = await deployOnSim(f.sim, promoteInputs(f, { 'dry-run': 'true' }));
    const abort = await deployOnSim(f.sim, abortInputs(f, { 'dry-run': 'true' }));
    expect(f.sim.writes().length).toBe(writes);
    const rules = previewRules(f).map(([r]) => r?.arn);
    const promoteWrites = promote.report.plannedWrites.map((w) => w.action);
    expect(promoteWrites.filter((a) => a === 'DeleteRule')).toHaveLength(2);
    expect(promoteWrites.indexOf('DeleteRule')).toBeGreaterThan(promoteWrites.lastIndexOf('ModifyListener'));
    expect(abort.report.plannedWrites.filter((w) => w.action === 'DeleteRule').map((w) => w.target)).toEqual(
      rules,
    );
  });
});

describe('promote and abort of a header stage', () => {
  test('promote moves production, then deletes the rules: every production route as a deploy leaves it', async () => {
    const f = world();
    const before = production(f);
    await deployOnSim(f.sim, headerOnly(f));
    const { report } = await deployOnSim(f.sim, promoteInputs(f, { 'preview-header': 'x-preview: 7F3C' }));
    expect(report.result).toBe('deployed');
    expect(previewRules(f)).toEqual([[], []]);
    expect(trafficTargets(f)).toEqual([
      [f.greenTargetGroupArn],
      [f.greenTargetGroupArn],
      [f.greenTargetGroupArn],
    ]);
    // the fixture's other rules: same priority and conditions as before (only their forward moved)
    expect(otherRules(f).map((rules) => rules.map((r) => [r.priority, r.conditions]))).toEqual(
      before.rules.map((rules) => rules.map((r) => [r.priority, r.conditions])),
    );
    expect(stagedTagsOf(f, f.blueGroup)).toEqual({});
    const deletes = report.writesSent.filter((w) => w.action === 'DeleteRule').map((w) => w.target);
    expect(deletes).toHaveLength(2);
    // deleted after the last production move
    const actions = report.writesSent.map((w) => w.action);
    expect(actions.indexOf('DeleteRule')).toBeGreaterThan(actions.lastIndexOf('ModifyListener'));
  });

  test('an alarm during promote puts production back and keeps the rules and the stage', async () => {
    const f = world();
    f.sim.createAlarm('app-5xx');
    await deployOnSim(f.sim, headerOnly(f));
    const staged = { ...production(f), tags: stagedTagsOf(f, f.blueGroup) };
    f.sim.setAlarmState('app-5xx', 'ALARM', f.sim.clock.now() + 90_000);
    const { report } = await deployOnSim(
      f.sim,
      promoteInputs(f, { 'traffic-shift': 'canary:10:5m', 'alarm-names': 'app-5xx' }),
    );
    expect(report.result).toBe('rolled-back');
    expect({ ...production(f), tags: stagedTagsOf(f, f.blueGroup) }).toEqual(staged);
    expectPreviewRules(f, 1);
  });

  test('a preview-header other than the staged one is refused with zero writes', async () => {
    const f = world();
    await deployOnSim(f.sim, headerOnly(f));
    const writes = f.sim.writes().length;
    for (const inputs of [
      promoteInputs(f, { 'preview-header': 'X-Preview: other' }),
      abortInputs(f, { 'preview-header': 'X-Other: 7f3c' }),
    ]) {
      const { report } = await deployOnSim(f.sim, inputs);
      expect(report.result).toBe('failed');
      expect(report.reason).toContain(
        'preview-header: must be the preview header of the stage (X-Preview: 7f3c)',
      );
    }
    expect(f.sim.writes().length).toBe(writes);
  });

  test('abort deletes the rules and takes green back; production byte-identical throughout', async () => {
    const f = world();
    const before = { ...production(f), groups: snapshot(f) };
    await deployOnSim(f.sim, headerOnly(f));
    const { report } = await deployOnSim(f.sim, abortInputs(f));
    expect(report.result).toBe('aborted');
    expect({ ...production(f), groups: snapshot(f) }).toEqual(before);
    expect(stagedTagsOf(f, f.blueGroup)).toEqual({});
    expect(report.writesSent.filter((w) => w.service === 'elbv2').map((w) => w.action)).toEqual([
      'DeleteRule',
      'DeleteRule',
    ]);
  });

  test('an expired header stage is taken over by a deploy: its rules deleted first', async () => {
    const f = world();
    await deployOnSim(f.sim, headerOnly(f, { 'stage-expires-after': '1h' }));
    f.sim.clock.advance(2 * 3_600_000);
    const { report } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': String(f.newVersion) }),
    );
    expect(report.result).toBe('deployed');
    expect(previewRules(f)).toEqual([[], []]);
    expect(stagedTagsOf(f, f.blueGroup)).toEqual({});
  });

  test('a new stage over an expired header stage replaces its rules', async () => {
    const f = world();
    await deployOnSim(f.sim, headerOnly(f, { 'stage-expires-after': '1h' }));
    const old = previewRules(f).map(([r]) => r?.arn);
    f.sim.clock.advance(2 * 3_600_000);
    const { report } = await deployOnSim(f.sim, headerOnly(f, { 'version-label': 'v3' }));
    expect(report.result).toBe('staged');
    expectPreviewRules(f, 1);
    expect(previewRules(f).map(([r]) => r?.arn)).not.toEqual(old);
    expect(stagedTagsOf(f, f.blueGroup)['asg-deploy:staged-preview-rule-1']).toBe(
      previewRules(f)[0]?.[0]?.arn,
    );
  });
});

test('the curl command quotes the header for the shell', () => {
  expect(shellQuote('X-Preview: 7f3c')).toBe(`'X-Preview: 7f3c'`);
  expect(shellQuote("X-Preview: it's $HOME")).toBe(`'X-Preview: it'\\''s $HOME'`);
});

describe('abort after an image stage', () => {
  test('deletes the launch template version the stage created and puts green back on what it had', async () => {
    const f = world({ greenDesired: 1 });
    const before = { ...production(f), groups: snapshot(f) };
    const { report: staged } = await deployOnSim(
      f.sim,
      headerOnly(f, { 'launch-template-version': '', 'image-id': 'ami-0123456789abcdef0' }),
    );
    expect(staged.result).toBe('staged');
    const created = Number(f.sim.group(f.greenGroup).launchTemplate.version);
    expect(f.sim.launchTemplateVersions(f.launchTemplateId)).toContain(created);
    expect(before.groups.versions).not.toContain(created);

    const { report } = await deployOnSim(f.sim, abortInputs(f));
    expect(report.result).toBe('aborted');
    expect({ ...production(f), groups: snapshot(f) }).toEqual(before);
    expect(f.sim.group(f.greenGroup).instances.map((i) => i.version)).toEqual([1]);
    expect(report.writesSent.map((w) => w.action)).toContain('DeleteLaunchTemplateVersions');
    const summary = renderSummary(report);
    expect(summary).toContain('> - Preview-header rule(s): 2 preview rule(s) deleted');
    expect(summary).toContain(`> - Launch template version created by the stage: version ${created} deleted`);
  });

  test('an abort of a version stage deletes no version', async () => {
    const f = world();
    const versions = f.sim.launchTemplateVersions(f.launchTemplateId);
    await deployOnSim(f.sim, headerOnly(f));
    const { report } = await deployOnSim(f.sim, abortInputs(f));
    expect(report.result).toBe('aborted');
    expect(f.sim.launchTemplateVersions(f.launchTemplateId)).toEqual(versions);
    expect(report.writesSent.map((w) => w.action)).not.toContain('DeleteLaunchTemplateVersions');
  });
});
