/**
 * The world changes during a deploy (issue 15): routes edited by an operator,
 * stickiness toggled, capacity set by hand or by scaling, a rule added last
 * month. Each change is injected at a chosen moment of the run (just before a
 * chosen call of the action, in virtual time); the run must never leave traffic
 * on a fleet of zero, never scale down a fleet that serves and never overwrite
 * a change it did not make.
 */
import { blueGreenFixture, type BlueGreenFixture } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { blueGreenInputs, trafficTargets } from './helpers/blue-green.js';

const forward = (weights: [string, number][], stickiness = false) => [
  {
    Type: 'forward' as const,
    ForwardConfig: {
      TargetGroups: weights.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })),
      TargetGroupStickinessConfig: stickiness ? { Enabled: true, DurationSeconds: 600 } : { Enabled: false },
    },
  },
];

describe('every route that reaches a fleet is known before any write', () => {
  test('an /api/* rule to blue that the inputs do not name is refused before any write, with the line that names it', async () => {
    const f = blueGreenFixture({ instances: 2 });
    const api = f.sim.createRule({
      listenerArn: f.listenerArns[0]!,
      priority: 5,
      conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }],
      actions: forward([[f.blueTargetGroupArn, 1]]),
    });

    const { report } = await deployOnSim(f.sim, blueGreenInputs(f, { 'launch-template-version': '2' }));

    expect(report.result).toBe('failed');
    expect(f.sim.writes()).toEqual([]);
    const problem = report.problems.find((p) => p.includes('/api/*'));
    expect(problem).toMatch(
      /^listener-rule-arns: rule .*\(priority 5, path-pattern \/api\/\*, on listener port 80\)/,
    );
    expect(problem).toContain('blue (app-blue) weight 1 of 1');
    expect(problem).toContain(`Add this line to listener-rule-arns: ${api}`);
    expect(trafficTargets(f)).toEqual([[f.blueTargetGroupArn]]);

    // named, it moves with the listener
    const named = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '2', 'listener-rule-arns': api }),
    );
    expect(named.report.result).toBe('deployed');
    expect(f.sim.ruleActions(api)[0]?.ForwardConfig?.TargetGroups).toEqual([
      { TargetGroupArn: f.blueTargetGroupArn, Weight: 0 },
      { TargetGroupArn: f.greenTargetGroupArn, Weight: 100 },
    ]);
  });

  test('a listener of the same load balancer not named in listener-arns is refused too; weight 0 references are not traffic', async () => {
    const f = blueGreenFixture({ instances: 2, listeners: 3 });
    const inputs = blueGreenInputs(f, { 'launch-template-version': '2' });
    inputs['listener-arns'] = f.listenerArns.slice(0, 2).join('\n');
    // a rule that only references green at weight 0 (and serves another group) is no route to the fleets
    const other = f.sim.createTargetGroup({ name: 'other' });
    f.sim.createRule({
      listenerArn: f.listenerArns[0]!,
      priority: 7,
      conditions: [{ Field: 'host-header', Values: ['admin.example.com'] }],
      actions: forward([
        [other, 1],
        [f.greenTargetGroupArn, 0],
      ]),
    });

    const { report } = await deployOnSim(f.sim, inputs);

    expect(report.result).toBe('failed');
    expect(f.sim.writes()).toEqual([]);
    expect(report.problems).toEqual([
      expect.stringMatching(
        new RegExp(
          `^listener-arns: listener .*\\(HTTP:8081\\) default action forwards to blue \\(app-blue\\) weight 100 of 100 .*Add this line to listener-arns: ${f.listenerArns[2]}$`,
        ),
      ),
    ]);
  });
});

export type { BlueGreenFixture };
