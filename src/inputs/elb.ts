/** Elastic Load Balancing ARN inputs: kind, partition, region and account checked; one load balancer. */
import { ACCOUNT, describeKind, loadBalancerOf, parseElbArn, partitionOf } from './arn.js';
import type { ElbArn, ElbResourceKind } from './arn.js';
import { parseList } from './list.js';
import { quote } from './quote.js';
import type { InputReader } from './reader.js';
import type { InputName } from './spec.js';

/** What an ARN input must hold, and where the other kinds belong. */
const EXPECTED_ARN: Record<'alb-listener' | 'alb-listener-rule' | 'target-group', string> = {
  'alb-listener':
    'an Application Load Balancer listener ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/NAME/ID/ID)',
  'alb-listener-rule':
    'an Application Load Balancer listener rule ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener-rule/app/NAME/ID/ID/ID)',
  'target-group': 'a target group ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID)',
};
const WHERE_IT_BELONGS: Partial<Record<ElbResourceKind, string>> = {
  'alb-listener': 'listener ARNs go in listener-arns',
  'alb-listener-rule': 'listener rule ARNs go in listener-rule-arns',
  'target-group': 'target group ARNs go in blue-target-group-arn and green-target-group-arn',
  'nlb-listener': 'asg-deploy moves traffic on Application Load Balancers only',
  'gwlb-listener': 'asg-deploy moves traffic on Application Load Balancers only',
  'other-listener-rule': 'asg-deploy moves traffic on Application Load Balancers only',
};

/** Reads ELB ARNs, checking each against the region, and the accounts against each other. */
export class ArnReader {
  private readonly accounts: { input: InputName; arn: ElbArn }[] = [];

  constructor(
    private readonly r: InputReader,
    private readonly region: string | undefined,
  ) {}

  list(name: InputName, text: string, kind: keyof typeof EXPECTED_ARN): string[] {
    const { items, duplicates } = parseList(text);
    for (const duplicate of duplicates) {
      this.r.problem(name, `must list each ARN once, got ${quote(duplicate)} more than once`);
    }
    for (const item of items) this.one(name, item, kind);
    return [...new Set(items)];
  }

  one(name: InputName, text: string, kind: keyof typeof EXPECTED_ARN): ElbArn | undefined {
    if (text === '') return undefined;
    const expected = EXPECTED_ARN[kind];
    const parsed = parseElbArn(text);
    if ('error' in parsed) {
      this.r.problem(name, `must be ${expected}, got ${quote(text)}: ${parsed.error}`);
      return undefined;
    }
    const { arn } = parsed;
    if (arn.kind !== kind) {
      const where = WHERE_IT_BELONGS[arn.kind];
      this.r.problem(
        name,
        `must be ${expected}, got ${describeKind(arn.kind)} ${quote(text)}${where ? `: ${where}` : ''}`,
      );
      return undefined;
    }
    const wrong: string[] = [];
    if (this.region !== undefined && arn.partition !== partitionOf(this.region)) {
      wrong.push(
        `partition ${quote(arn.partition)}, but region ${this.region} is in partition ${partitionOf(this.region)}`,
      );
    }
    if (this.region !== undefined && arn.region !== this.region) {
      wrong.push(`region ${quote(arn.region)}, but aws-region is ${this.region}`);
    }
    if (!ACCOUNT.test(arn.account)) wrong.push(`account ${quote(arn.account)}, not a 12-digit account id`);
    if (wrong.length > 0) {
      this.r.problem(
        name,
        `must be ${expected} in region ${this.region ?? '(aws-region)'}, got ${quote(text)}: ${wrong.join('; ')}`,
      );
      return undefined;
    }
    this.accounts.push({ input: name, arn });
    return arn;
  }

  /** Listeners, rules and target groups of one deployment live in one account. */
  checkSameAccount(): void {
    const first = this.accounts[0];
    if (first === undefined) return;
    for (const { input, arn } of this.accounts) {
      if (arn.account === first.arn.account) continue;
      this.r.problem(
        input,
        `must be in the same AWS account as the other ARNs (${first.arn.account}, as in ${first.input}), got account ${arn.account} in ${quote(arn.text)}`,
      );
    }
  }
}

/**
 * A target group serves one load balancer only, so every rule that moves blue
 * and green must be on the load balancer of the listeners.
 */
export function checkOneLoadBalancer(r: InputReader, listenerArns: string[], ruleArns: string[]): void {
  const listenerLbs = new Set(listenerArns.map(loadBalancerOf).filter((lb) => lb !== undefined));
  const expected = listenerLbs.size > 0 ? listenerLbs : new Set([loadBalancerOf(ruleArns[0] ?? '')]);
  for (const rule of ruleArns) {
    const lb = loadBalancerOf(rule);
    if (lb === undefined || expected.has(lb)) continue;
    r.problem(
      'listener-rule-arns',
      `must be rules of the load balancer of ${listenerLbs.size > 0 ? 'listener-arns' : 'the first rule'} (${[...expected].join(', ')}), got ${quote(rule)} on load balancer ${lb}: a target group serves one load balancer only`,
    );
  }
}
