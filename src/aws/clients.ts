import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { recordAllWrites, recordWrites, type WriteSink } from './write-log.js';

/** The SDK clients every gateway is built on. Tests hand in the simulator's. */
export interface AwsClients {
  autoScaling: AutoScalingClient;
  elbv2: ElasticLoadBalancingV2Client;
  ec2: EC2Client;
  cloudWatch: CloudWatchClient;
  /**
   * Auto Scaling with a single attempt per call, for the lock's write: an SDK
   * retry would deliver it late, after another run's read-back (see state/lock.ts).
   * Without it the lock is written through `autoScaling`.
   */
  autoScalingOnce?: AutoScalingClient;
}

export interface ClientOptions {
  region: string;
  /** Appended to the SDK user agent, so CloudTrail shows which run changed what. */
  userAgentSuffix?: string;
  /** Attempts per call (SDK standard retries: throttling and 5xx are retried). */
  maxAttempts?: number;
  /** Receives every mutating command sent (service, action, target), for the job summary. */
  onWrite?: WriteSink;
}

/**
 * The SDK's standard retry mode with ten attempts (jittered exponential backoff,
 * a longer base for throttling, capped at 20 s) rides out the sustained
 * throttling a deploy polling several groups can meet. Endpoints come from the
 * SDK itself (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>).
 */
export function createClients(options: ClientOptions): AwsClients {
  const common = {
    region: options.region,
    retryMode: 'standard',
    maxAttempts: options.maxAttempts ?? 10,
    ...(options.userAgentSuffix ? { customUserAgent: userAgentPairs(options.userAgentSuffix) } : {}),
  };
  const clients = {
    autoScaling: new AutoScalingClient(common),
    autoScalingOnce: new AutoScalingClient({ ...common, maxAttempts: 1 }),
    elbv2: new ElasticLoadBalancingV2Client(common),
    ec2: new EC2Client(common),
    cloudWatch: new CloudWatchClient(common),
  };
  if (!options.onWrite) return clients;
  recordWrites(clients.autoScalingOnce, 'autoscaling', options.onWrite, () => Date.now());
  return recordAllWrites(clients, options.onWrite, () => Date.now());
}

/**
 * `asg-deploy/0.1.0 md/run_id#42` as the SDK's name/version pairs, so each token
 * keeps its `/` and `#` (`asg-deploy/0.1.0 md/run_id#42` in the User-Agent, as
 * configure-aws-credentials sends `md/run_id#…`); a string would be sent as one
 * escaped token.
 */
export function userAgentPairs(suffix: string): [string, string?][] {
  return suffix
    .split(' ')
    .filter((token) => token !== '')
    .map((token) => {
      const slash = token.indexOf('/');
      return slash > 0 ? [token.slice(0, slash), token.slice(slash + 1)] : [token];
    });
}
