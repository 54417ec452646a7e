import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  InvalidLoadBalancerActionException,
  ListenerNotFoundException,
  ModifyListenerCommand,
  ModifyRuleCommand,
  RuleNotFoundException,
  TargetGroupNotFoundException,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { blueGreenFixture } from '../../sim/index.js';

describe('ELBv2 listeners and rules', () => {
  it('describes the fixture listener as AWS does: weighted ForwardConfig only', async () => {
    const f = blueGreenFixture({ stickiness: true });
    const { elbv2 } = f.sim.clients();
    const out = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: f.loadBalancerArn }));
    expect(out.Listeners).toEqual([
      {
        ListenerArn: f.listenerArns[0],
        LoadBalancerArn: f.loadBalancerArn,
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: f.blueTargetGroupArn, Weight: 100 },
                { TargetGroupArn: f.greenTargetGroupArn, Weight: 0 },
              ],
              TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 },
            },
          },
        ],
      },
    ]);
    expect(f.listenerArns[0]).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:123456789012:listener\/app\/app\/[0-9a-f]{16}\/[0-9a-f]{16}$/,
    );
  });

  it('a forward to one target group comes back with TargetGroupArn and a ForwardConfig of weight 1', async () => {
    const f = blueGreenFixture();
    const { elbv2 } = f.sim.clients();
    const listenerArn = f.listenerArns[0];
    const res = await elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: listenerArn,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: f.greenTargetGroupArn }],
      }),
    );
    const expected: Action[] = [
      {
        Type: 'forward',
        TargetGroupArn: f.greenTargetGroupArn,
        ForwardConfig: {
          TargetGroups: [{ TargetGroupArn: f.greenTargetGroupArn, Weight: 1 }],
          TargetGroupStickinessConfig: { Enabled: false },
        },
      },
    ];
    expect(res.Listeners?.[0]?.DefaultActions).toEqual(expected);
    expect(f.sim.listenerActions(listenerArn as string)).toEqual(expected);
  });

  it('writing back exactly what Describe returned changes nothing (round-trip identity)', async () => {
    const f = blueGreenFixture({ listeners: 2, rules: 1, stickiness: true });
    const { elbv2 } = f.sim.clients();
    const shapes: Action[][] = [
      [{ Type: 'forward', TargetGroupArn: f.blueTargetGroupArn }],
      [
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: f.blueTargetGroupArn, Weight: 90 },
              { TargetGroupArn: f.greenTargetGroupArn, Weight: 10 },
            ],
            TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 },
          },
        },
      ],
      [
        {
          Type: 'fixed-response',
          FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'maintenance' },
        },
      ],
    ];
    for (const actions of shapes) {
      await elbv2.send(
        new ModifyListenerCommand({ ListenerArn: f.listenerArns[1], DefaultActions: actions }),
      );
      const first = await elbv2.send(
        new DescribeListenersCommand({ ListenerArns: [f.listenerArns[1] as string] }),
      );
      const described = first.Listeners?.[0]?.DefaultActions;
      await elbv2.send(
        new ModifyListenerCommand({ ListenerArn: f.listenerArns[1], DefaultActions: described }),
      );
      const second = await elbv2.send(
        new DescribeListenersCommand({ ListenerArns: [f.listenerArns[1] as string] }),
      );
      expect(second.Listeners).toEqual(first.Listeners);
    }
    // Same for a rule.
    const ruleArn = f.ruleArns[0] as string;
    const r1 = await elbv2.send(new DescribeRulesCommand({ RuleArns: [ruleArn] }));
    await elbv2.send(new ModifyRuleCommand({ RuleArn: ruleArn, Actions: r1.Rules?.[0]?.Actions }));
    const r2 = await elbv2.send(new DescribeRulesCommand({ RuleArns: [ruleArn] }));
    expect(r2.Rules).toEqual(r1.Rules);
  });

  it('fixed-response actions are stored and returned as given', async () => {
    const f = blueGreenFixture();
    const { elbv2 } = f.sim.clients();
    const maintenance: Action = {
      Type: 'fixed-response',
      FixedResponseConfig: { StatusCode: '503', ContentType: 'text/html', MessageBody: '<h1>Back soon</h1>' },
    };
    await elbv2.send(
      new ModifyListenerCommand({ ListenerArn: f.listenerArns[0], DefaultActions: [maintenance] }),
    );
    expect(f.sim.listenerActions(f.listenerArns[0] as string)).toEqual([maintenance]);
  });

  it('validates actions like AWS, with the SDK exception classes, and does not retry them', async () => {
    const f = blueGreenFixture();
    const { elbv2 } = f.sim.clients();
    const ListenerArn = f.listenerArns[0];
    const before = f.sim.listenerActions(ListenerArn as string);
    const bogusTg = f.blueTargetGroupArn.replace(/[0-9a-f]{16}$/, 'ffffffffffffffff');

    const cases: [Action[], unknown, RegExp][] = [
      [
        [{ Type: 'forward', TargetGroupArn: bogusTg }],
        TargetGroupNotFoundException,
        /target groups not found/,
      ],
      [
        [
          {
            Type: 'forward',
            ForwardConfig: { TargetGroups: [{ TargetGroupArn: f.blueTargetGroupArn, Weight: 1000 }] },
          },
        ],
        'ValidationError',
        /between 0 and 999/,
      ],
      [
        [
          {
            Type: 'forward',
            TargetGroupArn: f.blueTargetGroupArn,
            ForwardConfig: { TargetGroups: [{ TargetGroupArn: f.greenTargetGroupArn, Weight: 1 }] },
          },
        ],
        'ValidationError',
        /only if the ARNs match/,
      ],
      [
        [
          { Type: 'forward', TargetGroupArn: f.blueTargetGroupArn },
          { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } },
        ],
        InvalidLoadBalancerActionException,
        /Exactly one/,
      ],
      [
        [
          { Type: 'authenticate-oidc', Order: 1, AuthenticateOidcConfig: undefined },
          { Type: 'forward', TargetGroupArn: f.blueTargetGroupArn, Order: 1 },
        ],
        'ValidationError',
        /unique/,
      ],
      [[], 'ValidationError', /At least one action/],
    ];
    for (const [DefaultActions, expected, message] of cases) {
      const before = f.sim.calls.length;
      const err = await elbv2
        .send(new ModifyListenerCommand({ ListenerArn, DefaultActions }))
        .catch((e: unknown) => e);
      if (typeof expected === 'string') expect(err).toMatchObject({ name: expected });
      else expect(err).toBeInstanceOf(expected as new () => Error);
      expect(err).toMatchObject({
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: expect.stringMatching(message),
      });
      expect(f.sim.calls.length - before).toBe(1);
    }
    expect(f.sim.listenerActions(ListenerArn as string)).toEqual(before);

    await expect(
      elbv2.send(new ModifyListenerCommand({ ListenerArn: `${ListenerArn!}0`, DefaultActions: before })),
    ).rejects.toBeInstanceOf(ListenerNotFoundException);
    await expect(
      elbv2.send(new ModifyRuleCommand({ RuleArn: 'arn:nope', Actions: before })),
    ).rejects.toBeInstanceOf(RuleNotFoundException);
  });

  it('DescribeRules lists rules by priority, then the default rule', async () => {
    const f = blueGreenFixture({ rules: 2 });
    const { elbv2 } = f.sim.clients();
    const out = await elbv2.send(new DescribeRulesCommand({ ListenerArn: f.listenerArns[0] }));
    expect(out.Rules?.map((r) => [r.RuleArn, r.Priority, r.IsDefault])).toEqual([
      [f.ruleArns[0], '10', false],
      [f.ruleArns[1], '20', false],
      [expect.stringContaining(':listener-rule/app/app/'), 'default', true],
    ]);
    expect(out.Rules?.[0]?.Conditions).toEqual([{ Field: 'path-pattern', Values: ['/app1/*'] }]);
    expect(out.Rules?.[2]?.Actions).toEqual(f.sim.listenerActions(f.listenerArns[0] as string));
  });

  it('ModifyRule switches a rule and leaves its conditions alone', async () => {
    const f = blueGreenFixture({ rules: 1 });
    const { elbv2 } = f.sim.clients();
    const ruleArn = f.ruleArns[0] as string;
    const res = await elbv2.send(
      new ModifyRuleCommand({
        RuleArn: ruleArn,
        Actions: [{ Type: 'forward', TargetGroupArn: f.greenTargetGroupArn }],
      }),
    );
    expect(res.Rules?.[0]?.Actions?.[0]?.TargetGroupArn).toBe(f.greenTargetGroupArn);
    expect(res.Rules?.[0]?.Conditions).toEqual([{ Field: 'path-pattern', Values: ['/app1/*'] }]);
    expect(f.sim.ruleActions(ruleArn)).toEqual(res.Rules?.[0]?.Actions);
  });

  it('target groups report the load balancers that forward to them, and their attributes', async () => {
    const f = blueGreenFixture();
    const { elbv2 } = f.sim.clients();
    const out = await elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: f.loadBalancerArn }));
    expect(out.TargetGroups?.map((t) => [t.TargetGroupName, t.LoadBalancerArns])).toEqual([
      ['app-blue', [f.loadBalancerArn]],
      ['app-green', [f.loadBalancerArn]],
    ]);
    expect(out.TargetGroups?.[0]).toMatchObject({
      Port: 80,
      HealthCheckIntervalSeconds: 10,
      HealthyThresholdCount: 3,
      UnhealthyThresholdCount: 2,
      TargetType: 'instance',
    });
    const attrs = await elbv2.send(
      new DescribeTargetGroupAttributesCommand({ TargetGroupArn: f.blueTargetGroupArn }),
    );
    expect(attrs.Attributes).toEqual(
      expect.arrayContaining([
        { Key: 'deregistration_delay.timeout_seconds', Value: '30' },
        { Key: 'stickiness.enabled', Value: 'false' },
      ]),
    );
    await expect(
      elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [`${f.blueTargetGroupArn}x`] })),
    ).rejects.toBeInstanceOf(TargetGroupNotFoundException);
    const lbs = await elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [f.loadBalancerArn] }));
    expect(lbs.LoadBalancers?.[0]).toMatchObject({
      LoadBalancerName: 'app',
      Type: 'application',
      State: { Code: 'active' },
    });
  });

  it('DescribeTargetHealth with explicit targets reports unregistered ones as unused', async () => {
    const f = blueGreenFixture({ instances: 1 });
    const { elbv2 } = f.sim.clients();
    const out = await elbv2.send(
      new DescribeTargetHealthCommand({
        TargetGroupArn: f.blueTargetGroupArn,
        Targets: [{ Id: 'i-0000000000000001' }, { Id: 'i-00000000000000ff' }],
      }),
    );
    expect(
      out.TargetHealthDescriptions?.map((d) => [d.Target?.Id, d.TargetHealth?.State, d.TargetHealth?.Reason]),
    ).toEqual([
      ['i-0000000000000001', 'healthy', undefined],
      ['i-00000000000000ff', 'unused', 'Target.NotRegistered'],
    ]);
  });

  it('a target group that stops being referenced goes unused, and re-checks from initial when referenced again', async () => {
    const f = blueGreenFixture({ instances: 1 });
    const { elbv2 } = f.sim.clients();
    const ListenerArn = f.listenerArns[0];
    await elbv2.send(
      new ModifyListenerCommand({
        ListenerArn,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: f.greenTargetGroupArn }],
      }),
    );
    expect(f.sim.targetStates(f.blueTargetGroupArn)).toEqual({ 'i-0000000000000001': 'unused' });
    await elbv2.send(
      new ModifyListenerCommand({
        ListenerArn,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: f.blueTargetGroupArn }],
      }),
    );
    const out = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: f.blueTargetGroupArn }));
    expect(out.TargetHealthDescriptions?.[0]?.TargetHealth).toEqual({
      State: 'initial',
      Reason: 'Elb.InitialHealthChecking',
      Description: 'Initial health checks in progress',
    });
    f.sim.clock.advance(30_000);
    expect(f.sim.targetStates(f.blueTargetGroupArn)).toEqual({ 'i-0000000000000001': 'healthy' });
  });
});
