import {
  CreateRuleCommand,
  DescribeRulesCommand,
  PriorityInUseException,
  type RuleCondition,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { blueGreenFixture } from '../../sim/index.js';

/** CreateRule with an http-header condition, as HttpHeaderConditionConfig documents it. */
describe('CreateRule with http-header conditions', () => {
  const header = (name: string, values: string[]): RuleCondition[] => [
    { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: name, Values: values } },
  ];

  function setup() {
    const f = blueGreenFixture({ rules: 1 });
    const { elbv2 } = f.sim.clients({ maxAttempts: 1 });
    const create = (priority: number, conditions: RuleCondition[]) =>
      elbv2.send(
        new CreateRuleCommand({
          ListenerArn: f.listenerArns[0],
          Priority: priority,
          Conditions: conditions,
          Actions: [{ Type: 'forward', TargetGroupArn: f.greenTargetGroupArn }],
        }),
      );
    return { f, elbv2, create };
  }

  it('creates the rule; DescribeRules returns its condition as given, by priority', async () => {
    const { f, elbv2, create } = setup();
    const out = await create(1, header('X-Preview', ['7f3c']));
    const arn = out.Rules?.[0]?.RuleArn;
    const rules = await elbv2.send(new DescribeRulesCommand({ ListenerArn: f.listenerArns[0] }));
    expect(rules.Rules?.map((r) => [r.RuleArn === arn, r.Priority])).toEqual([
      [true, '1'],
      [false, '10'],
      [false, 'default'],
    ]);
    expect(rules.Rules?.[0]?.Conditions).toEqual(header('X-Preview', ['7f3c']));
  });

  it('refuses a priority in use with PriorityInUse', async () => {
    const { create } = setup();
    await expect(create(10, header('X-Preview', ['7f3c']))).rejects.toBeInstanceOf(PriorityInUseException);
  });

  it.each([
    [
      'a name of 41 characters',
      header('X'.repeat(41), ['1']),
      "'HttpHeaderName' value is too long; the limit is '40'",
    ],
    [
      'a value of 129 characters',
      header('X-Preview', ['v'.repeat(129)]),
      "'http-header' value is too long; the limit is '128'",
    ],
    ['the Host header', header('Host', ['example.com']), 'host-header'],
    ['no value', header('X-Preview', []), 'at least one value'],
  ])('refuses %s', async (_what, conditions, message) => {
    const { create } = setup();
    await expect(create(2, conditions)).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining(message),
    });
  });

  it('takes the longest name and value', async () => {
    const { create } = setup();
    await expect(create(2, header('X'.repeat(40), ['v'.repeat(128)]))).resolves.toBeDefined();
  });
});
