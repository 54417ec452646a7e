import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { blueGreenFixture } from '../../sim/index.js';
import { blueGreenInputs } from './blue-green.js';

/** What the preview listener serves before any stage: a fixed 404. */
export const PREVIEW_BEFORE: Action[] = [
  {
    Type: 'fixed-response',
    FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'no release staged' },
  },
];

/** The blue/green fixture with a preview listener on 8443 of the same load balancer. */
export function stagedWorld(
  opts: { instances?: number; listeners?: number; rules?: number; greenDesired?: number } = {},
) {
  const f = blueGreenFixture({ instances: 2, listeners: 1, ...opts });
  const previewArn = f.sim.createListener({
    loadBalancerArn: f.loadBalancerArn,
    port: 8443,
    protocol: 'HTTP',
    defaultActions: PREVIEW_BEFORE,
  });
  return { ...f, previewArn };
}
export type StagedWorld = ReturnType<typeof stagedWorld>;

export const stageInputs = (f: StagedWorld, extra: Record<string, string> = {}) =>
  blueGreenInputs(f, {
    mode: 'stage',
    'launch-template-version': String(f.newVersion),
    'version-label': 'v2',
    'preview-listener-arns': f.previewArn,
    'health-timeout': '5m',
    ...extra,
  });

export const promoteInputs = (f: StagedWorld, extra: Record<string, string> = {}) =>
  blueGreenInputs(f, { mode: 'promote', 'health-timeout': '5m', ...extra });

export const abortInputs = (f: StagedWorld, extra: Record<string, string> = {}) =>
  blueGreenInputs(f, { mode: 'abort', 'health-timeout': '5m', ...extra });

/** The asg-deploy:staged-* tags of a group. */
export function stagedTagsOf(f: StagedWorld, group: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(f.sim.groupTags(group)).filter(([k]) => k.startsWith('asg-deploy:staged-')),
  );
}
