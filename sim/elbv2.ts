/**
 * Elastic Load Balancing v2: load balancers, listeners, rules, target groups and
 * target health. Actions are validated and normalised as AWS does, so writing back
 * what Describe returned is a no-op.
 */
import {
  ListenerNotFoundException,
  LoadBalancerNotFoundException,
  PriorityInUseException,
  RuleNotFoundException,
  TargetGroupAssociationLimitException,
  TargetGroupNotFoundException,
  InvalidLoadBalancerActionException,
  type Action,
  type DescribeListenersCommandInput,
  type DescribeLoadBalancersCommandInput,
  type CreateRuleCommandInput,
  type DeleteRuleCommandInput,
  type DescribeRulesCommandInput,
  type DescribeTargetGroupAttributesCommandInput,
  type DescribeTargetGroupsCommandInput,
  type DescribeTargetHealthCommandInput,
  type Listener as SdkListener,
  type LoadBalancer as SdkLoadBalancer,
  type ModifyListenerCommandInput,
  type ModifyRuleCommandInput,
  type ModifyTargetGroupAttributesCommandInput,
  type Rule as SdkRule,
  type RuleCondition,
  type TargetGroup as SdkTargetGroup,
  type TargetGroupTuple,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { clientError, modeled } from './errors.js';
import type { Handlers } from './handlers.js';
import {
  clone,
  type Listener,
  type LoadBalancer,
  type Rule,
  type SimState,
  type TargetGroup,
} from './state.js';
import { forwardedTargetGroups, refreshInUse } from './targets.js';

const validation = (message: string): Error => clientError('elbv2', 'ValidationError', message);
const TERMINAL = new Set(['forward', 'fixed-response', 'redirect']);
const KNOWN = new Set([...TERMINAL, 'authenticate-oidc', 'authenticate-cognito', 'jwt-validation']);
const VPC = 'vpc-00000000000000001';

// ---------- builders ----------

export interface TargetGroupParams {
  name: string;
  port?: number;
  healthCheckIntervalSeconds?: number;
  healthyThreshold?: number;
  unhealthyThreshold?: number;
  deregistrationDelaySeconds?: number;
}

export function createTargetGroup(sim: SimState, p: TargetGroupParams): string {
  for (const tg of sim.targetGroups.values()) {
    if (tg.name === p.name) throw new Error(`SimAws: target group ${p.name} already exists`);
  }
  const arn = sim.arn('elasticloadbalancing', `targetgroup/${p.name}/${sim.hexId('tg', 16)}`);
  sim.targetGroups.set(arn, {
    arn,
    name: p.name,
    port: p.port ?? 80,
    intervalSeconds: p.healthCheckIntervalSeconds ?? sim.timing.defaultHealthCheckIntervalSeconds,
    healthyThreshold: p.healthyThreshold ?? sim.timing.defaultHealthyThreshold,
    unhealthyThreshold: p.unhealthyThreshold ?? sim.timing.defaultUnhealthyThreshold,
    deregistrationDelaySeconds: p.deregistrationDelaySeconds ?? sim.timing.defaultDeregistrationDelaySeconds,
    stickiness: false,
    targets: new Map(),
  });
  return arn;
}

export function createLoadBalancer(
  sim: SimState,
  p: { name: string; type?: 'application' | 'network' },
): string {
  const type = p.type ?? 'application';
  const id = sim.hexId('lb', 16);
  const arn = sim.arn(
    'elasticloadbalancing',
    `loadbalancer/${type === 'application' ? 'app' : 'net'}/${p.name}/${id}`,
  );
  sim.loadBalancers.set(arn, { arn, name: p.name, id, type, createdAt: sim.now() });
  return arn;
}

export function createListener(
  sim: SimState,
  p: { loadBalancerArn: string; port: number; protocol?: string; defaultActions: Action[] },
): string {
  const lb = getLoadBalancer(sim, p.loadBalancerArn);
  const defaultActions = normalizeActions(sim, p.defaultActions, lb);
  const prefix = `listener/${lb.type === 'application' ? 'app' : 'net'}/${lb.name}/${lb.id}`;
  const listenerId = sim.hexId('listener', 16);
  const arn = sim.arn('elasticloadbalancing', `${prefix}/${listenerId}`);
  const defaultRuleArn = sim.arn(
    'elasticloadbalancing',
    `listener-rule/${prefix.slice(9)}/${listenerId}/${sim.hexId('rule', 16)}`,
  );
  const protocol = p.protocol ?? (lb.type === 'application' ? 'HTTP' : 'TCP');
  sim.listeners.set(arn, {
    arn,
    loadBalancerArn: lb.arn,
    port: p.port,
    protocol,
    defaultActions,
    defaultRuleArn,
  });
  refreshInUse(sim);
  return arn;
}

export function createRule(
  sim: SimState,
  p: { listenerArn: string; priority: number; conditions?: RuleCondition[]; actions: Action[] },
): string {
  const listener = getListener(sim, p.listenerArn);
  for (const r of sim.rules.values()) {
    if (r.listenerArn === listener.arn && r.priority === p.priority) {
      throw modeled(PriorityInUseException, `Priority '${p.priority}' is currently in use`);
    }
  }
  const lb = getLoadBalancer(sim, listener.loadBalancerArn);
  const actions = normalizeActions(sim, p.actions, lb);
  const listenerPath = listener.arn.split(':listener/')[1] ?? '';
  const arn = sim.arn('elasticloadbalancing', `listener-rule/${listenerPath}/${sim.hexId('rule', 16)}`);
  const conditions = clone(p.conditions ?? [{ Field: 'path-pattern', Values: ['/*'] }]);
  sim.rules.set(arn, { arn, listenerArn: listener.arn, priority: p.priority, conditions, actions });
  refreshInUse(sim);
  return arn;
}

// ---------- lookups ----------

function getLoadBalancer(sim: SimState, arn: string | undefined): LoadBalancer {
  const lb = arn === undefined ? undefined : sim.loadBalancers.get(arn);
  if (!lb) throw modeled(LoadBalancerNotFoundException, 'One or more load balancers not found');
  return lb;
}

export function getListener(sim: SimState, arn: string | undefined): Listener {
  const l = arn === undefined ? undefined : sim.listeners.get(arn);
  if (!l) throw modeled(ListenerNotFoundException, 'One or more listeners not found');
  return l;
}

export function getTargetGroup(sim: SimState, arn: string | undefined): TargetGroup {
  const tg = arn === undefined ? undefined : sim.targetGroups.get(arn);
  if (!tg) throw modeled(TargetGroupNotFoundException, 'One or more target groups not found');
  return tg;
}

/** A rule, or the listener's default rule (priority 'default'). */
function findRule(sim: SimState, arn: string | undefined): { rule?: Rule; defaultOf?: Listener } {
  if (arn !== undefined) {
    const rule = sim.rules.get(arn);
    if (rule) return { rule };
    for (const l of sim.listeners.values()) if (l.defaultRuleArn === arn) return { defaultOf: l };
  }
  throw modeled(RuleNotFoundException, 'One or more rules not found');
}

/** Load balancers whose listeners or rules forward to the target group. */
function loadBalancersOf(sim: SimState, tgArn: string): string[] {
  const out = new Set<string>();
  for (const l of sim.listeners.values()) {
    if (forwardedTargetGroups(l.defaultActions).includes(tgArn)) out.add(l.loadBalancerArn);
  }
  for (const r of sim.rules.values()) {
    if (forwardedTargetGroups(r.actions).includes(tgArn)) {
      const l = sim.listeners.get(r.listenerArn);
      if (l) out.add(l.loadBalancerArn);
    }
  }
  return [...out];
}

// ---------- actions ----------

function normalizeForward(sim: SimState, a: Action, lb: LoadBalancer): Action {
  const tuples = a.ForwardConfig?.TargetGroups ?? [];
  if (a.TargetGroupArn === undefined && tuples.length === 0) {
    throw validation('A target group ARN must be specified for a forward action');
  }
  if (a.TargetGroupArn !== undefined && tuples.length > 0) {
    if (tuples.length !== 1 || tuples[0]?.TargetGroupArn !== a.TargetGroupArn) {
      throw validation(
        'You can specify both a top-level target group ARN and a target group ARN within the forward action ' +
          'config only if the ARNs match and the forward action config contains a single target group',
      );
    }
  }
  if (tuples.length > 5) throw validation('A forward action can have at most 5 target groups');
  const normalized: TargetGroupTuple[] =
    tuples.length > 0
      ? tuples.map((t) => ({ TargetGroupArn: t.TargetGroupArn, Weight: t.Weight ?? 1 }))
      : [{ TargetGroupArn: a.TargetGroupArn, Weight: 1 }];
  const seen = new Set<string>();
  for (const t of normalized) {
    if (t.TargetGroupArn === undefined)
      throw validation('A target group ARN must be specified for each target group');
    if (seen.has(t.TargetGroupArn))
      throw validation(`Target group '${t.TargetGroupArn}' is specified more than once`);
    seen.add(t.TargetGroupArn);
    const w = t.Weight ?? 1;
    if (!Number.isInteger(w) || w < 0 || w > 999) {
      throw validation(`Target group weight '${w}' is not valid: it must be an integer between 0 and 999`);
    }
    getTargetGroup(sim, t.TargetGroupArn);
    const elsewhere = loadBalancersOf(sim, t.TargetGroupArn).filter((arn) => arn !== lb.arn);
    if (elsewhere.length > 0) {
      throw modeled(
        TargetGroupAssociationLimitException,
        `The following target groups cannot be associated with more than one load balancer: ${t.TargetGroupArn}`,
      );
    }
  }
  const stickiness = a.ForwardConfig?.TargetGroupStickinessConfig;
  if (stickiness?.Enabled && stickiness.DurationSeconds === undefined) {
    throw validation('A stickiness duration must be specified when target group stickiness is enabled');
  }
  if (
    stickiness?.DurationSeconds !== undefined &&
    (stickiness.DurationSeconds < 1 || stickiness.DurationSeconds > 604800)
  ) {
    throw validation('Target group stickiness duration must be between 1 and 604800 seconds');
  }
  const out: Action = {
    Type: 'forward',
    ForwardConfig: {
      TargetGroups: normalized,
      TargetGroupStickinessConfig: stickiness ? clone(stickiness) : { Enabled: false },
    },
  };
  if (normalized.length === 1) out.TargetGroupArn = normalized[0]?.TargetGroupArn;
  if (a.Order !== undefined) out.Order = a.Order;
  return out;
}

function normalizeAction(sim: SimState, a: Action, lb: LoadBalancer): Action {
  switch (a.Type) {
    case 'forward':
      return normalizeForward(sim, a, lb);
    case 'fixed-response': {
      const code = a.FixedResponseConfig?.StatusCode;
      if (code === undefined || !/^[245][0-9][0-9]$/.test(code)) {
        throw validation(`Fixed response status code '${code ?? ''}' must be 2XX, 4XX or 5XX`);
      }
      return { Type: a.Type, FixedResponseConfig: clone(a.FixedResponseConfig), ...orderOf(a) };
    }
    case 'redirect': {
      const code = a.RedirectConfig?.StatusCode;
      if (code !== 'HTTP_301' && code !== 'HTTP_302')
        throw validation('Redirect status code must be HTTP_301 or HTTP_302');
      return { Type: a.Type, RedirectConfig: clone(a.RedirectConfig), ...orderOf(a) };
    }
    default:
      return clone(a);
  }
}

function orderOf(a: Action): Pick<Action, 'Order'> {
  return a.Order === undefined ? {} : { Order: a.Order };
}

export function normalizeActions(sim: SimState, actions: Action[] | undefined, lb: LoadBalancer): Action[] {
  if (!actions || actions.length === 0) throw validation('At least one action must be specified');
  for (const a of actions) {
    if (!KNOWN.has(a.Type ?? '')) throw validation(`Action type '${a.Type ?? ''}' is not valid`);
  }
  const orders = actions.map((a) => a.Order).filter((o): o is number => o !== undefined);
  if (orders.length > 0 && orders.length !== actions.length) {
    throw validation('An order must be specified for every action or for none');
  }
  if (new Set(orders).size !== orders.length) throw validation('Action orders must be unique');
  for (const o of orders)
    if (!Number.isInteger(o) || o < 1 || o > 50000) throw validation(`Action order '${o}' is not valid`);
  const terminal = actions.filter((a) => TERMINAL.has(a.Type ?? ''));
  if (terminal.length !== 1) {
    throw modeled(
      InvalidLoadBalancerActionException,
      'Exactly one forward, redirect or fixed-response action must be specified',
    );
  }
  const sorted = orders.length > 0 ? [...actions].sort((x, y) => (x.Order ?? 0) - (y.Order ?? 0)) : actions;
  if (!TERMINAL.has(sorted[sorted.length - 1]?.Type ?? '')) {
    throw modeled(
      InvalidLoadBalancerActionException,
      'The forward, redirect or fixed-response action must be last',
    );
  }
  return sorted.map((a) => normalizeAction(sim, a, lb));
}

// ---------- describe shapes ----------

function describeListener(l: Listener): SdkListener {
  return {
    ListenerArn: l.arn,
    LoadBalancerArn: l.loadBalancerArn,
    Port: l.port,
    Protocol: l.protocol as SdkListener['Protocol'],
    DefaultActions: clone(l.defaultActions),
  };
}

function describeRule(r: Rule): SdkRule {
  return {
    RuleArn: r.arn,
    Priority: String(r.priority),
    Conditions: clone(r.conditions),
    Actions: clone(r.actions),
    IsDefault: false,
  };
}

function describeDefaultRule(l: Listener): SdkRule {
  return {
    RuleArn: l.defaultRuleArn,
    Priority: 'default',
    Conditions: [],
    Actions: clone(l.defaultActions),
    IsDefault: true,
  };
}

function describeLoadBalancer(sim: SimState, lb: LoadBalancer): SdkLoadBalancer {
  return {
    LoadBalancerArn: lb.arn,
    DNSName: `${lb.name}-${parseInt(lb.id, 16)}.${sim.region}.elb.amazonaws.com`,
    CanonicalHostedZoneId: 'Z35SXDOTRQ7X7K',
    CreatedTime: new Date(lb.createdAt),
    LoadBalancerName: lb.name,
    Scheme: 'internet-facing',
    VpcId: VPC,
    State: { Code: 'active' },
    Type: lb.type,
    AvailabilityZones: [
      { ZoneName: `${sim.region}a`, SubnetId: 'subnet-00000000000000001' },
      { ZoneName: `${sim.region}b`, SubnetId: 'subnet-00000000000000002' },
    ],
    SecurityGroups: lb.type === 'application' ? ['sg-00000000000000001'] : [],
    IpAddressType: 'ipv4',
  };
}

function describeTargetGroup(sim: SimState, tg: TargetGroup): SdkTargetGroup {
  return {
    TargetGroupArn: tg.arn,
    TargetGroupName: tg.name,
    Protocol: 'HTTP',
    Port: tg.port,
    VpcId: VPC,
    HealthCheckProtocol: 'HTTP',
    HealthCheckPort: 'traffic-port',
    HealthCheckEnabled: true,
    HealthCheckIntervalSeconds: tg.intervalSeconds,
    HealthCheckTimeoutSeconds: 5,
    HealthyThresholdCount: tg.healthyThreshold,
    UnhealthyThresholdCount: tg.unhealthyThreshold,
    HealthCheckPath: '/',
    Matcher: { HttpCode: '200' },
    LoadBalancerArns: loadBalancersOf(sim, tg.arn),
    TargetType: 'instance',
    ProtocolVersion: 'HTTP1',
    IpAddressType: 'ipv4',
  };
}

function targetGroupAttributes(tg: TargetGroup): { Key: string; Value: string }[] {
  return [
    { Key: 'deregistration_delay.timeout_seconds', Value: String(tg.deregistrationDelaySeconds) },
    { Key: 'stickiness.enabled', Value: String(tg.stickiness) },
    { Key: 'stickiness.type', Value: 'lb_cookie' },
    { Key: 'stickiness.lb_cookie.duration_seconds', Value: '86400' },
    { Key: 'load_balancing.algorithm.type', Value: 'round_robin' },
    { Key: 'slow_start.duration_seconds', Value: '0' },
  ];
}

// ---------- operations ----------

function describeLoadBalancers(sim: SimState, input: DescribeLoadBalancersCommandInput): object {
  let lbs: LoadBalancer[];
  if (input.LoadBalancerArns?.length) lbs = input.LoadBalancerArns.map((arn) => getLoadBalancer(sim, arn));
  else if (input.Names?.length) {
    lbs = input.Names.map((n) => {
      const lb = [...sim.loadBalancers.values()].find((x) => x.name === n);
      if (!lb) throw modeled(LoadBalancerNotFoundException, `Load balancers '[${n}]' not found`);
      return lb;
    });
  } else lbs = [...sim.loadBalancers.values()];
  return { LoadBalancers: lbs.map((lb) => describeLoadBalancer(sim, lb)) };
}

function describeListeners(sim: SimState, input: DescribeListenersCommandInput): object {
  let listeners: Listener[];
  if (input.ListenerArns?.length) listeners = input.ListenerArns.map((arn) => getListener(sim, arn));
  else if (input.LoadBalancerArn !== undefined) {
    const lb = getLoadBalancer(sim, input.LoadBalancerArn);
    listeners = [...sim.listeners.values()].filter((l) => l.loadBalancerArn === lb.arn);
  } else throw validation('Either a load balancer ARN or listener ARNs must be specified');
  return { Listeners: listeners.map(describeListener) };
}

function modifyListener(sim: SimState, input: ModifyListenerCommandInput): object {
  const listener = getListener(sim, input.ListenerArn);
  const lb = getLoadBalancer(sim, listener.loadBalancerArn);
  const actions =
    input.DefaultActions === undefined ? undefined : normalizeActions(sim, input.DefaultActions, lb);
  if (input.Port !== undefined) {
    if (input.Port < 1 || input.Port > 65535) throw validation(`Port '${input.Port}' is not valid`);
    listener.port = input.Port;
  }
  if (input.Protocol !== undefined) listener.protocol = input.Protocol;
  if (actions) listener.defaultActions = actions;
  refreshInUse(sim);
  return { Listeners: [describeListener(listener)] };
}

function describeRules(sim: SimState, input: DescribeRulesCommandInput): object {
  if (input.RuleArns?.length) {
    return {
      Rules: input.RuleArns.map((arn) => {
        const { rule, defaultOf } = findRule(sim, arn);
        return rule ? describeRule(rule) : describeDefaultRule(defaultOf as Listener);
      }),
    };
  }
  if (input.ListenerArn === undefined)
    throw validation('Either a listener ARN or rule ARNs must be specified');
  const listener = getListener(sim, input.ListenerArn);
  const rules = [...sim.rules.values()]
    .filter((r) => r.listenerArn === listener.arn)
    .sort((a, b) => a.priority - b.priority)
    .map(describeRule);
  return { Rules: [...rules, describeDefaultRule(listener)] };
}

function createRuleCommand(sim: SimState, input: CreateRuleCommandInput): object {
  if (!input.Conditions?.length) throw validation('A rule must have at least one condition');
  if (input.Priority === undefined || input.Priority < 1 || input.Priority > 50000)
    throw validation('Priority must be between 1 and 50000');
  for (const c of input.Conditions) checkHeaderCondition(c);
  const arn = createRule(sim, {
    listenerArn: input.ListenerArn ?? '',
    priority: input.Priority,
    conditions: input.Conditions,
    actions: input.Actions ?? [],
  });
  return { Rules: [describeRule(sim.rules.get(arn) as Rule)] };
}

/**
 * An http-header condition as HttpHeaderConditionConfig documents it: a name of
 * at most 40 RFC 7230 token characters, not Host; values of at most 128
 * characters. The length messages are moto's (AWS's own wording is not verified).
 */
function checkHeaderCondition(c: NonNullable<CreateRuleCommandInput['Conditions']>[number]): void {
  if (c.Field !== 'http-header') return;
  const name = c.HttpHeaderConfig?.HttpHeaderName ?? '';
  const values = c.HttpHeaderConfig?.Values ?? [];
  if (name.length > 40) throw validation("The 'HttpHeaderName' value is too long; the limit is '40'");
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name))
    throw validation(`HTTP header name '${name}' is not valid`);
  if (name.toLowerCase() === 'host')
    throw validation('Use a host-header condition instead of an http-header condition for the Host header');
  if (values.length === 0) throw validation('An http-header condition needs at least one value');
  for (const v of values)
    if (v.length > 128) throw validation("The 'http-header' value is too long; the limit is '128'");
}

function deleteRule(sim: SimState, input: DeleteRuleCommandInput): object {
  const { rule, defaultOf } = findRule(sim, input.RuleArn);
  if (defaultOf) throw validation('A default rule cannot be deleted');
  sim.rules.delete((rule as Rule).arn);
  refreshInUse(sim);
  return {};
}

function modifyRule(sim: SimState, input: ModifyRuleCommandInput): object {
  const { rule, defaultOf } = findRule(sim, input.RuleArn);
  const listener = defaultOf ?? getListener(sim, rule?.listenerArn);
  const lb = getLoadBalancer(sim, listener.loadBalancerArn);
  const actions = input.Actions === undefined ? undefined : normalizeActions(sim, input.Actions, lb);
  if (defaultOf) {
    if (input.Conditions !== undefined)
      throw validation('The conditions of a default rule cannot be modified');
    if (actions) defaultOf.defaultActions = actions;
    refreshInUse(sim);
    return { Rules: [describeDefaultRule(defaultOf)] };
  }
  const r = rule as Rule;
  if (input.Conditions !== undefined) {
    if (input.Conditions.length === 0) throw validation('A rule must have at least one condition');
    r.conditions = clone(input.Conditions);
  }
  if (actions) r.actions = actions;
  refreshInUse(sim);
  return { Rules: [describeRule(r)] };
}

function describeTargetGroups(sim: SimState, input: DescribeTargetGroupsCommandInput): object {
  let tgs: TargetGroup[];
  if (input.TargetGroupArns?.length) tgs = input.TargetGroupArns.map((arn) => getTargetGroup(sim, arn));
  else if (input.Names?.length) {
    tgs = input.Names.map((n) => {
      const tg = [...sim.targetGroups.values()].find((x) => x.name === n);
      if (!tg) throw modeled(TargetGroupNotFoundException, `Target groups '[${n}]' not found`);
      return tg;
    });
  } else if (input.LoadBalancerArn !== undefined) {
    const lb = getLoadBalancer(sim, input.LoadBalancerArn);
    tgs = [...sim.targetGroups.values()].filter((tg) => loadBalancersOf(sim, tg.arn).includes(lb.arn));
  } else tgs = [...sim.targetGroups.values()];
  return { TargetGroups: tgs.map((tg) => describeTargetGroup(sim, tg)) };
}

function describeTargetHealth(sim: SimState, input: DescribeTargetHealthCommandInput): object {
  const tg = getTargetGroup(sim, input.TargetGroupArn);
  const ids = input.Targets?.length ? input.Targets.map((t) => t.Id ?? '') : [...tg.targets.keys()];
  const descriptions: TargetHealthDescription[] = ids.map((id) => {
    const t = tg.targets.get(id);
    const health = t
      ? {
          State: t.state,
          ...(t.reason === undefined ? {} : { Reason: t.reason, Description: t.description }),
        }
      : {
          State: 'unused',
          Reason: 'Target.NotRegistered',
          Description: 'Target is not registered to the target group',
        };
    return {
      Target: { Id: id, Port: tg.port },
      HealthCheckPort: String(tg.port),
      TargetHealth: health as TargetHealthDescription['TargetHealth'],
    };
  });
  return { TargetHealthDescriptions: descriptions };
}

function describeTargetGroupAttributes(
  sim: SimState,
  input: DescribeTargetGroupAttributesCommandInput,
): object {
  return { Attributes: targetGroupAttributes(getTargetGroup(sim, input.TargetGroupArn)) };
}

function modifyTargetGroupAttributes(sim: SimState, input: ModifyTargetGroupAttributesCommandInput): object {
  const tg = getTargetGroup(sim, input.TargetGroupArn);
  for (const a of input.Attributes ?? []) {
    if (a.Key === 'deregistration_delay.timeout_seconds') {
      const n = Number(a.Value);
      if (!Number.isInteger(n) || n < 0 || n > 3600)
        throw validation(`Invalid deregistration delay '${a.Value ?? ''}'`);
      tg.deregistrationDelaySeconds = n;
    } else if (a.Key === 'stickiness.enabled') {
      if (a.Value !== 'true' && a.Value !== 'false')
        throw validation(`Invalid stickiness.enabled '${a.Value ?? ''}'`);
      tg.stickiness = a.Value === 'true';
    }
  }
  return { Attributes: targetGroupAttributes(tg) };
}

export const elbv2Handlers: Handlers = {
  DescribeLoadBalancers: (sim, input) =>
    describeLoadBalancers(sim, input as DescribeLoadBalancersCommandInput),
  DescribeListeners: (sim, input) => describeListeners(sim, input as DescribeListenersCommandInput),
  ModifyListener: (sim, input) => modifyListener(sim, input as ModifyListenerCommandInput),
  DescribeRules: (sim, input) => describeRules(sim, input as DescribeRulesCommandInput),
  ModifyRule: (sim, input) => modifyRule(sim, input as ModifyRuleCommandInput),
  CreateRule: (sim, input) => createRuleCommand(sim, input as CreateRuleCommandInput),
  DeleteRule: (sim, input) => deleteRule(sim, input as DeleteRuleCommandInput),
  DescribeTargetGroups: (sim, input) => describeTargetGroups(sim, input as DescribeTargetGroupsCommandInput),
  DescribeTargetHealth: (sim, input) => describeTargetHealth(sim, input as DescribeTargetHealthCommandInput),
  DescribeTargetGroupAttributes: (sim, input) =>
    describeTargetGroupAttributes(sim, input as DescribeTargetGroupAttributesCommandInput),
  ModifyTargetGroupAttributes: (sim, input) =>
    modifyTargetGroupAttributes(sim, input as ModifyTargetGroupAttributesCommandInput),
};
