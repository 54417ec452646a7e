import { ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { blueGreenFixture } from '../sim/index.js';
import { deployOnSim } from '../sim/run-on-sim.js';
import { blueGreenInputs } from './helpers/blue-green.js';

/** Unsafe states are refused before the first write, naming what is wrong. */
describe('blue/green pre-flight refusals (zero writes)', () => {
  async function refused(
    setup: (f: ReturnType<typeof blueGreenFixture>) => Promise<void> | void,
    extra: (f: ReturnType<typeof blueGreenFixture>) => Record<string, string>,
  ) {
    const f = blueGreenFixture({ instances: 2, listeners: 2 });
    await setup(f);
    const writesBefore = f.sim.writes().length;
    const { report } = await deployOnSim(
      f.sim,
      blueGreenInputs(f, { 'launch-template-version': '2', ...extra(f) }),
    );
    expect(report.result).toBe('failed');
    expect(f.sim.writes().length).toBe(writesBefore);
    return { f, report, problems: report.problems.join('\n') };
  }
  const setListener = async (f: ReturnType<typeof blueGreenFixture>, weights: [string, number][]) => {
    await f.sim.clients().elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: f.listenerArns[1],
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: weights.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })),
            },
          },
        ],
      }),
    );
  };

  test('a half-shifted listener (both colors weighted) asks for mode: rollback', async () => {
    const { problems } = await refused(
      (f) =>
        setListener(f, [
          [f.blueTargetGroupArn, 90],
          [f.greenTargetGroupArn, 10],
        ]),
      () => ({}),
    );
    expect(problems).toMatch(/both colors \(blue 90 %, green 10 %\).*mode: rollback/);
  });

  test('listeners that disagree on the live color', async () => {
    const { problems } = await refused(
      (f) => setListener(f, [[f.greenTargetGroupArn, 1]]),
      () => ({}),
    );
    expect(problems).toContain('disagree on the live color');
  });

  test('a listener that forwards to a target group of neither color', async () => {
    const { problems } = await refused(
      (f) => {
        const other = f.sim.createTargetGroup({ name: 'someone-else' });
        return setListener(f, [
          [f.blueTargetGroupArn, 1],
          [other, 1],
        ]);
      },
      () => ({}),
    );
    expect(problems).toMatch(
      /listener-arns: listener .* forwards to target groups other than blue and green \(targetgroup\/someone-else/,
    );
  });

  test('an Auto Scaling group that does not exist, and a launch template version that does not', async () => {
    const { problems } = await refused(
      () => {},
      () => ({ 'green-auto-scaling-group': 'no-such-group' }),
    );
    expect(problems).toContain('green-auto-scaling-group: no Auto Scaling group named "no-such-group"');
    const missing = await refused(
      () => {},
      () => ({ 'launch-template-version': '42' }),
    );
    expect(missing.problems).toMatch(/launch-template-version: .* has no version 42/);
  });

  test('a target group input that is not attached to its group', async () => {
    const { problems } = await refused(
      () => {},
      (f) => ({ 'green-target-group-arn': f.blueTargetGroupArn }),
    );
    expect(problems).toMatch(/green-target-group-arn: app-green is not attached to targetgroup\/app-blue/);
  });

  test('an instance refresh in progress on either group', async () => {
    let id = '';
    const { problems } = await refused(
      (f) => {
        id = f.sim.startInstanceRefreshForTest(f.greenGroup);
      },
      () => ({}),
    );
    expect(problems).toContain(`instance refresh ${id} is`);
  });

  test('a listener that does not exist', async () => {
    const { problems } = await refused(
      () => {},
      (f) => ({
        'listener-arns': `${f.listenerArns[0]!}\n${f.listenerArns[0]!.replace(/\/[0-9a-f]+$/, '/00000000000000ff')}`,
      }),
    );
    expect(problems).toMatch(/listener-arns/);
  });
});
