import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { BlueGreenFixture } from '../../sim/index.js';

export interface WeightChange {
  /** Virtual ms since `since`. */
  t: number;
  route: string;
  blue: number;
  green: number;
}

/**
 * Every weight written to a listener or rule of the fixture, in order, from the
 * simulator's record of applied writes (faulted attempts that were refused left out).
 */
export function weightHistory(f: BlueGreenFixture, since: number): WeightChange[] {
  const name = (arn: string) => {
    const l = f.listenerArns.indexOf(arn);
    return l >= 0 ? `listener ${l + 1}` : `rule ${f.ruleArns.indexOf(arn) + 1}`;
  };
  return f.sim
    .writes()
    .filter((c) => (c.command === 'ModifyListener' || c.command === 'ModifyRule') && applied(c.fault))
    .map((c) => {
      const input = c.input as {
        ListenerArn?: string;
        RuleArn?: string;
        DefaultActions?: Action[];
        Actions?: Action[];
      };
      const actions = input.DefaultActions ?? input.Actions ?? [];
      const groups = actions.find((a) => a.Type === 'forward')?.ForwardConfig?.TargetGroups ?? [];
      const weight = (arn: string) => groups.find((g) => g.TargetGroupArn === arn)?.Weight ?? 0;
      return {
        t: c.at - since,
        route: name(input.ListenerArn ?? input.RuleArn ?? ''),
        blue: weight(f.blueTargetGroupArn),
        green: weight(f.greenTargetGroupArn),
      };
    });
}

/** A faulted attempt that reached the service (its response was lost) applied its write. */
export function applied(fault: string | undefined): boolean {
  return fault === undefined || fault === 'lost-response';
}
