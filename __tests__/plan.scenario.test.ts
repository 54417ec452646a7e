import type { CallRecord } from '../sim/index.js';
import { blueGreenFixture } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { blueGreenInputs, snapshot } from './helpers/blue-green.js';
import { singleGroupInputs } from './helpers/single-group.js';

/** A write as the plan names it: service, action and target. */
function asPlanned(call: CallRecord): string {
  const input = call.input as Record<string, unknown>;
  const tagged = (input.Tags as { ResourceId?: string }[] | undefined)?.map((t) => t.ResourceId ?? '');
  // a rule made during the run is planned on its listener (its ARN is not known before)
  const ruleOfRun =
    call.command === 'DeleteRule'
      ? (input.RuleArn as string).replace(/listener-rule\/(.*)\/[^/]+$/, 'listener/$1')
      : undefined;
  const target =
    (input.AutoScalingGroupName as string | undefined) ??
    (input.ListenerArn as string | undefined) ??
    ruleOfRun ??
    (input.RuleArn as string | undefined) ??
    (input.LaunchTemplateId as string | undefined) ??
    [...new Set(tagged)].join(', ');
  return `${call.service} ${call.command} ${target}`;
}

type Fixture = ReturnType<typeof blueGreenFixture>;
const CASES: {
  name: string;
  fixture: Parameters<typeof blueGreenFixture>[0];
  inputs: (f: Fixture, extra: Record<string, string>) => Record<string, string>;
}[] = [
  {
    name: 'blue-green, a launch template version',
    fixture: { instances: 3 },
    inputs: (f, extra) => blueGreenInputs(f, { 'launch-template-version': '2', ...extra }),
  },
  {
    name: 'blue-green, an image, two listeners and a rule, bake, old fleet kept',
    fixture: { instances: 2, listeners: 2, rules: 1, greenDesired: 1 },
    inputs: (f, extra) =>
      blueGreenInputs(f, {
        'image-id': 'ami-0123456789abcdef0',
        'bake-time': '1m',
        'previous-fleet': 'keep',
        ...extra,
      }),
  },
  {
    name: 'blue-green, linear traffic shift',
    fixture: { instances: 2, listeners: 2 },
    inputs: (f, extra) =>
      blueGreenInputs(f, { 'launch-template-version': '2', 'traffic-shift': 'linear:50:1m', ...extra }),
  },
  {
    name: 'rolling',
    fixture: { instances: 3 },
    inputs: (f, extra) =>
      singleGroupInputs(f, 'rolling', { 'launch-template-version': '2', 'instance-warmup': '0', ...extra }),
  },
  {
    name: 'recreate with two listeners',
    fixture: { instances: 2, listeners: 2 },
    inputs: (f, extra) => singleGroupInputs(f, 'recreate', { 'launch-template-version': '2', ...extra }),
  },
];

describe('mode: plan', () => {
  test.each(CASES)(
    '$name: zero mutating calls, and the printed plan is the writes a deploy then makes',
    async ({ fixture, inputs }) => {
      const f = blueGreenFixture(fixture);
      const before = snapshot(f);

      const plan = await deployOnSim(f.sim, inputs(f, { mode: 'plan' }));

      expect(plan.report.result).toBe('planned');
      expect(plan.report.outputs.result).toBe('planned');
      expect(f.sim.writes()).toEqual([]);
      expect(snapshot(f)).toEqual(before);
      const printed = plan.log.lines.filter((l) => /^\d+\. /.test(l));
      expect(printed).toHaveLength(plan.report.plannedWrites.length);

      const deploy = await deployOnSim(f.sim, inputs(f, {}));

      expect(deploy.report.result).toBe('deployed');
      const planned = plan.report.plannedWrites.map((w) => `${w.service} ${w.action} ${w.target}`);
      expect(f.sim.writes().map(asPlanned)).toEqual(planned);
      // and with the parameters the plan printed: sizes and versions of every group update
      const updates = f.sim.writes().filter((w) => w.command === 'UpdateAutoScalingGroup');
      const plannedUpdates = plan.report.plannedWrites.filter((w) => w.action === 'UpdateAutoScalingGroup');
      updates.forEach((call, i) => {
        const input = call.input as { MinSize?: number; MaxSize?: number; DesiredCapacity?: number };
        const detail = plannedUpdates[i]?.detail ?? '';
        for (const [name, value] of Object.entries({
          MinSize: input.MinSize,
          MaxSize: input.MaxSize,
          DesiredCapacity: input.DesiredCapacity,
        })) {
          if (value !== undefined) expect(detail).toContain(`${name} ${value}`);
        }
      });
    },
  );

  test('plan refuses what a deploy would refuse, still without a write', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const { report } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { mode: 'plan', 'launch-template-version': '9' }),
    );
    expect(report.result).toBe('failed');
    expect(report.reason).toMatch(/has no version 9/);
    expect(f.sim.writes()).toEqual([]);
  });
});
