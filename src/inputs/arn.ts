/**
 * Regions, partitions and Elastic Load Balancing ARNs
 * (`arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:RESOURCE`).
 */

/** `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, `us-iso-east-1`. */
const REGION = /^[a-z]{2}(?:-[a-z]+){1,2}-\d{1,2}$/;
const AVAILABILITY_ZONE = /^[a-z]{2}(?:-[a-z]+){1,2}-\d{1,2}[a-z]$/;

/**
 * The region names of every AWS partition, as the SDK's partitions table has
 * them (@aws-sdk/util-endpoints `regionRegex`): a name of another shape is no region.
 */
export const PARTITION_REGIONS: readonly (readonly [partition: string, pattern: RegExp, shown: string])[] = [
  ['aws', /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/, 'us|eu|ap|sa|ca|me|af|il|mx-NAME-N'],
  ['aws-cn', /^cn-\w+-\d+$/, 'cn-NAME-N'],
  ['aws-us-gov', /^us-gov-\w+-\d+$/, 'us-gov-NAME-N'],
  ['aws-iso', /^us-iso-\w+-\d+$/, 'us-iso-NAME-N'],
  ['aws-iso-b', /^us-isob-\w+-\d+$/, 'us-isob-NAME-N'],
  ['aws-iso-e', /^eu-isoe-\w+-\d+$/, 'eu-isoe-NAME-N'],
  ['aws-iso-f', /^us-isof-\w+-\d+$/, 'us-isof-NAME-N'],
  ['aws-eusc', /^eusc-(de)-\w+-\d+$/, 'eusc-de-NAME-N'],
];

/** Shaped like a region (`xx-name-1`), whether or not a partition has it. */
export function looksLikeRegion(text: string): boolean {
  return REGION.test(text) || /^eusc-de-[a-z]+-\d{1,2}$/.test(text);
}

/** A region name some AWS partition has. */
export function isRegion(text: string): boolean {
  return looksLikeRegion(text) && PARTITION_REGIONS.some(([, pattern]) => pattern.test(text));
}

export function isAvailabilityZone(text: string): boolean {
  return AVAILABILITY_ZONE.test(text);
}

/** The partition a region belongs to; longest prefix first. */
const PARTITIONS: readonly (readonly [prefix: string, partition: string])[] = [
  ['us-gov-', 'aws-us-gov'],
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['us-iso-', 'aws-iso'],
  ['eu-isoe-', 'aws-iso-e'],
  ['eusc-', 'aws-eusc'],
  ['cn-', 'aws-cn'],
];

export function partitionOf(region: string): string {
  return PARTITIONS.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}

export interface ElbArn {
  /** The ARN as given. */
  text: string;
  partition: string;
  region: string;
  account: string;
  resource: string;
  kind: ElbResourceKind;
}

export type ElbResourceKind =
  | 'alb-listener'
  | 'alb-listener-rule'
  | 'target-group'
  | 'nlb-listener'
  | 'gwlb-listener'
  | 'other-listener-rule'
  | 'load-balancer'
  | 'unknown';

const NAME = '[A-Za-z0-9-]{1,32}';
const ID = '[0-9a-f]{1,32}';
const KINDS: readonly (readonly [ElbResourceKind, RegExp])[] = [
  ['alb-listener', new RegExp(`^listener/app/${NAME}/${ID}/${ID}$`)],
  ['alb-listener-rule', new RegExp(`^listener-rule/app/${NAME}/${ID}/${ID}/${ID}$`)],
  ['target-group', new RegExp(`^targetgroup/${NAME}/${ID}$`)],
  ['nlb-listener', /^listener\/net\//],
  ['gwlb-listener', /^listener\/gwy\//],
  ['other-listener-rule', /^listener-rule\/(?:net|gwy)\//],
  ['load-balancer', /^loadbalancer\//],
];

export const ACCOUNT = /^\d{12}$/;

/**
 * Splits an Elastic Load Balancing ARN into its fields, or says why it is not
 * one. Field values are checked by the caller, which knows the region expected.
 */
export function parseElbArn(text: string): { arn: ElbArn } | { error: string } {
  const fields = text.split(':');
  if (fields.length !== 6 || fields[0] !== 'arn') {
    return { error: 'not an ARN (arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:RESOURCE)' };
  }
  const [, partition = '', service = '', region = '', account = '', resource = ''] = fields;
  if (service !== 'elasticloadbalancing') {
    return { error: `an ARN of service "${service.slice(0, 40)}", not of elasticloadbalancing` };
  }
  const kind = KINDS.find(([, pattern]) => pattern.test(resource))?.[0] ?? 'unknown';
  return { arn: { text, partition, region, account, resource, kind } };
}

/** What a resource kind is, for messages: "a target group ARN". */
export function describeKind(kind: ElbResourceKind): string {
  switch (kind) {
    case 'alb-listener':
      return 'an Application Load Balancer listener ARN';
    case 'alb-listener-rule':
      return 'an Application Load Balancer listener rule ARN';
    case 'target-group':
      return 'a target group ARN';
    case 'nlb-listener':
      return 'a Network Load Balancer listener ARN (listener/net/…)';
    case 'gwlb-listener':
      return 'a Gateway Load Balancer listener ARN (listener/gwy/…)';
    case 'other-listener-rule':
      return 'a listener rule ARN of a load balancer that is not an Application Load Balancer';
    case 'load-balancer':
      return 'a load balancer ARN, not one of its listeners';
    case 'unknown':
      return 'an Elastic Load Balancing ARN of an unexpected form';
  }
}

/**
 * The load balancer a listener or listener rule ARN belongs to, as
 * `app/NAME/ID`; undefined for other ARNs.
 */
export function loadBalancerOf(text: string): string | undefined {
  const parsed = parseElbArn(text);
  if ('error' in parsed) return undefined;
  const { kind, resource } = parsed.arn;
  if (kind !== 'alb-listener' && kind !== 'alb-listener-rule') return undefined;
  return resource.split('/').slice(1, 4).join('/');
}
