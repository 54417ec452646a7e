/**
 * `mode: stage`: everything a blue/green deploy does up to the cut-over (the
 * idle color on the new version at live's size, healthy), then the preview
 * listeners forward to it only, and the stage record is written. Production
 * listeners and rules are not written at all.
 */
import type { Aws, Route } from '../aws/index.js';
import { shortArn } from '../aws/arn.js';
import type { BlueGreenConfig, PreviewHeader } from '../inputs/config.js';
import type { Step, StepContext } from '../engine/plan.js';
import { formatPreviewHeader } from '../inputs/preview-header.js';
import { chunksOf, type StagedRelease } from '../state/staged.js';
import { errorMessage } from '../util/errors.js';
import { type BlueGreenState, observeBlueGreen } from './blue-green-preflight.js';
import { blueGreenOutputs, blueGreenRowsAfter, blueGreenRowsBefore } from './blue-green-report.js';
import { idleSize, readyIdleSteps, waitHealthyStep } from './blue-green.js';
import { describeWhat, versionMarker } from './deploy-target.js';
import { type Prepare, type PreparedDeployment, PreflightError } from './prepared.js';
import {
  createPreviewRulesStep,
  isPreviewRule,
  planPreviewRules,
  type PreviewRulePlan,
} from './preview-rule.js';
import {
  forwardOnly,
  previewStep,
  type PreviewChange,
  recordStageStep,
  stagedSnapshot,
} from './staged-steps.js';

export const prepareStage: Prepare<BlueGreenConfig> = async (config, options) => {
  const state = await observeBlueGreen(config, options.aws, options.staged);
  const problems: string[] = [];
  const previews = await readPreviewListeners(config, state, options.aws, problems);
  const idle = state.fleets[state.idle];
  const groups = [state.fleets.blue.group.name, state.fleets.green.group.name];
  // Over an expired stage, a preview listener's original is what that stage recorded.
  const original = (route: Route) =>
    options.takeover?.previewListeners.find((l) => l.arn === route.arn)?.actions ?? route.actions;
  const changes: PreviewChange[] = previews.map((route) => ({
    arn: route.arn,
    current: original(route),
    next: forwardOnly(idle.targetGroupArn),
  }));
  for (const change of changes) {
    try {
      chunksOf(JSON.stringify(change.current));
    } catch (error) {
      problems.push(
        `preview-listener-arns: the default actions of listener ${shortArn(change.arn)} cannot be recorded (${errorMessage(error)}); use a listener with a simpler default action`,
      );
    }
  }
  const header = config.previewHeader;
  const rulePlans = header
    ? await planPreviewRules(
        options.aws,
        { listeners: state.routes, header, replaced: options.takeover?.previewRules ?? [] },
        problems,
        (m) => options.log.warning(m),
      )
    : [];
  if (problems.length > 0) throw new PreflightError(problems);

  const what = describeWhat(state.target);
  options.log.info(`live: ${state.live}; staging ${what} on ${state.idle} (${idle.group.name})`);
  const size = idleSize(state, { runToken: options.runToken, runLabel: options.runLabel });
  const staged = (version: string, now: number): StagedRelease => ({
    versionLabel: config.versionLabel,
    runUrl: options.runLabel,
    stagedAt: now,
    expiresAt: now + config.stageExpiresAfterMs,
    color: state.idle,
    group: idle.group.name,
    launchTemplate: { id: state.target.launchTemplateId, version },
    before: {
      min: idle.group.min,
      max: idle.group.max,
      desired: idle.group.desired,
      ...(idle.group.launchTemplate && { launchTemplate: idle.group.launchTemplate }),
    },
    previewListeners: changes.map((c) => ({ arn: c.arn, actions: c.current })),
    ...(header && { previewHeader: header }),
    previewRules: [],
    ...(state.target.kind === 'image' && { createdVersionMarker: versionMarker(options.runToken) }),
  });
  const snapshot = options.takeover
    ? Object.fromEntries(groups.map((g) => [g, {}]))
    : stagedSnapshot(groups, options.tags ?? new Map<string, Record<string, string>>());
  const steps: Step[] = [
    ...readyIdleSteps(
      config,
      state,
      { runToken: options.runToken, runLabel: options.runLabel },
      {
        referenceIdle: false,
      },
    ),
    ...previewListenerSteps(changes, state),
    ...(header && rulePlans.length > 0
      ? [
          createPreviewRulesStep({
            plans: rulePlans,
            header,
            color: state.idle,
            targetGroupArn: idle.targetGroupArn,
          }),
        ]
      : []),
    waitHealthyStep(config, state, size.desired),
    recordStageLater(groups, staged, snapshot, options.now, {
      plans: rulePlans,
      header,
      targetGroupArn: idle.targetGroupArn,
    }),
  ];
  const first = previews[0];
  const dns = await dnsOf(options.aws, previews, state);
  const previewUrl = first && dns ? urlOf(first, dns) : '';
  const preview = describePreview({ previews, rulePlans, header, dns, color: state.idle });
  return {
    headline: `${config.versionLabel ? `${config.versionLabel}, ` : ''}${what}, staged on ${state.idle} (${idle.group.name})`,
    plan: { steps },
    before: blueGreenRowsBefore(state),
    unchanged: false,
    succeeded: 'staged',
    outputs: (result) => ({
      ...blueGreenOutputs(config, state, result),
      ...(result === 'staged' && { 'version-label': config.versionLabel, 'preview-url': previewUrl }),
    }),
    readAfter: () => blueGreenRowsAfter(options.aws, state),
    preview,
  };
};

/** The record step; the staged version and the preview rules are read when the step runs (an image stage creates the version). */
function recordStageLater(
  groups: string[],
  staged: (version: string, now: number) => StagedRelease,
  snapshot: Record<string, Record<string, string>>,
  plannedAt: number,
  rules: { plans: PreviewRulePlan[]; header: PreviewHeader | undefined; targetGroupArn: string },
): Step {
  const planned = recordStageStep(
    groups,
    { ...staged('(new)', plannedAt), previewRules: rules.plans.map((p) => `(rule on ${p.listener.arn})`) },
    snapshot,
  );
  return {
    ...planned,
    run: async (ctx) => {
      const release = staged('', ctx.clock.now());
      const group = await ctx.aws.autoScaling.describeGroup(release.group);
      const lt = group?.launchTemplate;
      if (!lt) throw new Error(`${release.group} has no launch template to record`);
      const previewRules = await findPreviewRules(ctx, rules);
      return recordStageStep(groups, { ...release, launchTemplate: lt, previewRules }, snapshot).run(ctx);
    },
  };
}

/** The ARNs of the rules the preview step made (one per listener). */
async function findPreviewRules(
  ctx: StepContext,
  rules: { plans: PreviewRulePlan[]; header: PreviewHeader | undefined; targetGroupArn: string },
): Promise<string[]> {
  const header = rules.header;
  if (!header) return [];
  const arns: string[] = [];
  for (const plan of rules.plans) {
    const found = (await ctx.aws.elbv2.listenerRules(plan.listener.arn)).filter((r) =>
      isPreviewRule(r, header, rules.targetGroupArn),
    );
    if (found.length !== 1)
      throw new Error(
        `listener ${shortArn(plan.listener.arn)} has ${found.length} preview rule(s) for ${formatPreviewHeader(header)}, expected 1`,
      );
    arns.push(...found.map((r) => r.arn));
  }
  return arns;
}

function previewListenerSteps(changes: PreviewChange[], state: BlueGreenState): Step[] {
  if (changes.length === 0) return [];
  const idle = state.fleets[state.idle];
  return [
    previewStep({
      id: 'preview-listeners',
      title: `Point ${changes.length} preview listener(s) at ${state.idle} only`,
      phase: 'deploy',
      changes,
      detail: `forward to ${state.idle} (${shortArn(idle.targetGroupArn)}) only`,
      verify: { onlyTo: idle.targetGroupArn },
    }),
  ];
}

async function dnsOf(aws: Aws, previews: Route[], state: BlueGreenState): Promise<string> {
  const lbArn = previews[0]?.loadBalancerArn ?? state.routes.find((r) => r.loadBalancerArn)?.loadBalancerArn;
  return lbArn ? aws.elbv2.loadBalancerDnsName(lbArn) : '';
}

function urlOf(route: Route, dns: string): string {
  return `${(route.protocol ?? 'HTTP').toLowerCase()}://${dns}${portSuffix(route)}`;
}

/** The preview routes for the summary, and a command that reaches each. */
function describePreview(p: {
  previews: Route[];
  rulePlans: PreviewRulePlan[];
  header: PreviewHeader | undefined;
  dns: string;
  color: string;
}): PreparedDeployment['preview'] {
  const routes: string[] = [];
  const commands: string[] = [];
  for (const route of p.previews) {
    routes.push(
      `${shortArn(route.arn)}${where(route)}, preview listener: every request goes to ${p.color} only`,
    );
    if (p.dns) commands.push(`curl ${urlOf(route, p.dns)}/`);
  }
  const header = p.header;
  if (header) {
    const shown = formatPreviewHeader(header);
    for (const plan of p.rulePlans) {
      routes.push(
        `${shortArn(plan.listener.arn)}${where(plan.listener)}, production listener: requests with header ${shown} go to ${p.color} only (a rule at the lowest free priority, ${plan.priority} at pre-flight${plan.before > 0 ? `: the ${plan.before} rule(s) with lower numbers are evaluated first` : ', evaluated before every other rule'}); all others as before`,
      );
      if (p.dns) commands.push(`curl -H ${shellQuote(shown)} ${urlOf(plan.listener, p.dns)}/`);
    }
  }
  return { routes, commands };
}

function where(route: Route): string {
  return route.port === undefined ? '' : ` (${route.protocol ?? 'HTTP'}:${route.port})`;
}

/** One shell word: single quotes, an inner single quote as '\''. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function portSuffix(route: Route): string {
  const port = route.port;
  if (port === undefined) return '';
  const scheme = (route.protocol ?? 'HTTP').toUpperCase();
  return (scheme === 'HTTP' && port === 80) || (scheme === 'HTTPS' && port === 443) ? '' : `:${port}`;
}

/** The preview listeners: HTTP(S) listeners of the production load balancer, none of them a production route. */
async function readPreviewListeners(
  config: BlueGreenConfig,
  state: BlueGreenState,
  aws: Parameters<Prepare>[1]['aws'],
  problems: string[],
): Promise<Route[]> {
  let routes: Route[];
  try {
    routes = await aws.elbv2.describeRoutes(config.previewListenerArns, []);
  } catch (error) {
    problems.push(`preview-listener-arns: ${errorMessage(error)}`);
    return [];
  }
  const lbs = new Set(state.routes.map((r) => r.loadBalancerArn).filter((a) => a !== undefined));
  for (const route of routes) {
    const name = `listener ${shortArn(route.arn)}`;
    if (route.protocol && !['HTTP', 'HTTPS'].includes(route.protocol)) {
      problems.push(
        `preview-listener-arns: ${name} is a ${route.protocol} listener; only Application Load Balancer listeners are supported`,
      );
    }
    if (route.loadBalancerArn && lbs.size > 0 && !lbs.has(route.loadBalancerArn)) {
      problems.push(
        `preview-listener-arns: ${name} is on another load balancer than listener-arns: a target group serves one load balancer only`,
      );
    }
  }
  return routes;
}
