import {
  type Action,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyRuleCommand,
  CreateRuleCommand,
  DeleteRuleCommand,
  RuleNotFoundException,
  type RuleCondition,
} from '@aws-sdk/client-elastic-load-balancing-v2';

export type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';

/**
 * Something that routes traffic with a list of actions: a listener's default
 * actions or a listener rule's actions. Blue/green moves traffic by rewriting them.
 */
export interface Route {
  kind: 'listener' | 'rule';
  arn: string;
  /** The listener's load balancer (rules: undefined; the ARN names it). */
  loadBalancerArn?: string;
  protocol?: string;
  port?: number;
  actions: Action[];
  /** Rules read with their listener (a whole load balancer's routes): where they are and what they match. */
  listenerArn?: string;
  priority?: string;
  conditions?: RuleCondition[];
}

export interface ListenerRule {
  arn: string;
  priority: number;
  conditions: RuleCondition[];
  actions: Action[];
}

export interface TargetHealth {
  state: string;
  reason?: string;
  description?: string;
}

/** Thin gateway over the ELBv2 API. */
export class Elbv2Gateway {
  constructor(private readonly client: ElasticLoadBalancingV2Client) {}

  /** Listeners and rules in the order asked (one call each kind). Missing ARNs throw the AWS error. */
  async describeRoutes(listenerArns: string[], ruleArns: string[]): Promise<Route[]> {
    const routes: Route[] = [];
    if (listenerArns.length > 0) {
      const out = await this.client.send(new DescribeListenersCommand({ ListenerArns: listenerArns }));
      const byArn = new Map((out.Listeners ?? []).map((l) => [l.ListenerArn ?? '', l]));
      for (const arn of listenerArns) {
        const l = byArn.get(arn);
        if (!l) throw new Error(`Listener ${arn} was not returned by DescribeListeners`);
        routes.push({
          kind: 'listener',
          arn,
          loadBalancerArn: l.LoadBalancerArn,
          protocol: l.Protocol,
          port: l.Port,
          actions: l.DefaultActions ?? [],
        });
      }
    }
    if (ruleArns.length > 0) {
      const out = await this.client.send(new DescribeRulesCommand({ RuleArns: ruleArns }));
      const byArn = new Map((out.Rules ?? []).map((r) => [r.RuleArn ?? '', r]));
      for (const arn of ruleArns) {
        const r = byArn.get(arn);
        if (!r) throw new Error(`Listener rule ${arn} was not returned by DescribeRules`);
        routes.push({ kind: 'rule', arn, actions: r.Actions ?? [] });
      }
    }
    return routes;
  }

  /** The load balancers that route to each target group (DescribeTargetGroups), in the order asked. */
  async loadBalancersOf(targetGroupArns: string[]): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>();
    if (targetGroupArns.length === 0) return found;
    const out = await this.client.send(new DescribeTargetGroupsCommand({ TargetGroupArns: targetGroupArns }));
    for (const tg of out.TargetGroups ?? [])
      if (tg.TargetGroupArn) found.set(tg.TargetGroupArn, tg.LoadBalancerArns ?? []);
    return found;
  }

  /**
   * Every route of a load balancer: each listener's default actions and each
   * of its non-default rules (with listener, priority and conditions), all pages.
   */
  async loadBalancerRoutes(loadBalancerArn: string): Promise<Route[]> {
    const routes: Route[] = [];
    let marker: string | undefined;
    do {
      const out = await this.client.send(
        new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn, Marker: marker }),
      );
      for (const l of out.Listeners ?? []) {
        if (!l.ListenerArn) continue;
        routes.push({
          kind: 'listener',
          arn: l.ListenerArn,
          loadBalancerArn,
          protocol: l.Protocol,
          port: l.Port,
          actions: l.DefaultActions ?? [],
        });
        for (const rule of await this.listenerRules(l.ListenerArn)) {
          routes.push({
            kind: 'rule',
            arn: rule.arn,
            loadBalancerArn,
            listenerArn: l.ListenerArn,
            port: l.Port,
            priority: String(rule.priority),
            conditions: rule.conditions,
            actions: rule.actions,
          });
        }
      }
      marker = out.NextMarker;
    } while (marker);
    return routes;
  }

  /** The DNS name of a load balancer ('' when AWS gives none). */
  async loadBalancerDnsName(loadBalancerArn: string): Promise<string> {
    const out = await this.client.send(
      new DescribeLoadBalancersCommand({ LoadBalancerArns: [loadBalancerArn] }),
    );
    return out.LoadBalancers?.[0]?.DNSName ?? '';
  }

  /** Replaces a listener's default actions or a rule's actions. */
  async writeRoute(route: Pick<Route, 'kind' | 'arn'>, actions: Action[]): Promise<void> {
    const writable = actions.map(writableAction);
    if (route.kind === 'listener') {
      await this.client.send(new ModifyListenerCommand({ ListenerArn: route.arn, DefaultActions: writable }));
    } else {
      await this.client.send(new ModifyRuleCommand({ RuleArn: route.arn, Actions: writable }));
    }
  }

  /** Every non-default rule of a listener: priority and conditions (to find a free priority, or rules a run made). */
  async listenerRules(listenerArn: string): Promise<ListenerRule[]> {
    const rules: ListenerRule[] = [];
    let marker: string | undefined;
    do {
      const out = await this.client.send(
        new DescribeRulesCommand({ ListenerArn: listenerArn, Marker: marker }),
      );
      for (const r of out.Rules ?? []) {
        if (r.IsDefault || !r.RuleArn) continue;
        rules.push({
          arn: r.RuleArn,
          priority: Number(r.Priority),
          conditions: r.Conditions ?? [],
          actions: r.Actions ?? [],
        });
      }
      marker = out.NextMarker;
    } while (marker);
    return rules;
  }

  async createRule(p: {
    listenerArn: string;
    priority: number;
    conditions: RuleCondition[];
    actions: Action[];
  }): Promise<string> {
    const out = await this.client.send(
      new CreateRuleCommand({
        ListenerArn: p.listenerArn,
        Priority: p.priority,
        Conditions: p.conditions,
        Actions: p.actions,
        // iam/policy.json allows CreateRule only with this tag, and DeleteRule only on rules that carry it.
        Tags: [{ Key: 'asg-deploy:managed', Value: 'true' }],
      }),
    );
    const arn = out.Rules?.[0]?.RuleArn;
    if (!arn) throw new Error('CreateRule returned no rule');
    return arn;
  }

  /** Deletes a rule; one that is already gone counts as deleted. */
  async deleteRule(ruleArn: string): Promise<void> {
    try {
      await this.client.send(new DeleteRuleCommand({ RuleArn: ruleArn }));
    } catch (error) {
      if (!(error instanceof RuleNotFoundException)) throw error;
    }
  }

  /** Health of every registered target of a group (one call whatever the fleet size). */
  async targetHealth(targetGroupArn: string): Promise<Map<string, TargetHealth>> {
    const out = await this.client.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
    const health = new Map<string, TargetHealth>();
    for (const d of out.TargetHealthDescriptions ?? []) {
      const id = d.Target?.Id;
      if (!id) continue;
      health.set(id, {
        state: d.TargetHealth?.State ?? 'unknown',
        reason: d.TargetHealth?.Reason,
        description: d.TargetHealth?.Description,
      });
    }
    return health;
  }
}

/**
 * Describe* never returns an OIDC client secret, and Modify* demands one unless
 * told to keep the existing secret: write actions back so that it is kept.
 */
function writableAction(action: Action): Action {
  if (
    action.Type === 'authenticate-oidc' &&
    action.AuthenticateOidcConfig &&
    !action.AuthenticateOidcConfig.ClientSecret
  ) {
    return {
      ...action,
      AuthenticateOidcConfig: { ...action.AuthenticateOidcConfig, UseExistingClientSecret: true },
    };
  }
  return action;
}
