/**
 * AWS-shaped errors. Modeled exceptions are built from the SDK's own classes so
 * `instanceof` and `.name` match what a real response deserializes to; unmodeled
 * ones (ValidationError, EC2's dotted codes…) use the service's base exception
 * class with the right name, as the SDK does for codes it does not know.
 */
import { AutoScalingServiceException } from '@aws-sdk/client-auto-scaling';
import { CloudWatchServiceException } from '@aws-sdk/client-cloudwatch';
import { EC2ServiceException } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2ServiceException } from '@aws-sdk/client-elastic-load-balancing-v2';

export type Service = 'autoscaling' | 'elbv2' | 'ec2' | 'cloudwatch';

const BASE = {
  autoscaling: AutoScalingServiceException,
  elbv2: ElasticLoadBalancingV2ServiceException,
  ec2: EC2ServiceException,
  cloudwatch: CloudWatchServiceException,
} as const;

let requestSeq = 0;
function metadata(httpStatusCode: number): { httpStatusCode: number; requestId: string } {
  requestSeq++;
  return {
    httpStatusCode,
    requestId: `00000000-0000-4000-8000-${requestSeq.toString(16).padStart(12, '0')}`,
  };
}

/** An unmodeled client error (HTTP 400), e.g. `ValidationError`. */
export function clientError(service: Service, name: string, message: string): Error {
  const err = new BASE[service]({ name, $fault: 'client', $metadata: metadata(400), message });
  return Object.assign(err, { Code: name, Message: message });
}

type ModeledCtor<E extends Error> = new (opts: {
  $metadata: { httpStatusCode: number };
  message: string;
  Message?: string;
}) => E;

/** A modeled client error, e.g. `modeled(ListenerNotFoundException, 'One or more listeners not found')`. */
export function modeled<E extends Error>(ctor: ModeledCtor<E>, message: string): E {
  return new ctor({ $metadata: metadata(400), message, Message: message });
}

/** Throttling as each service names it; the SDK retries it. */
export function throttleError(service: Service): Error {
  const name = service === 'ec2' ? 'RequestLimitExceeded' : 'Throttling';
  const err = new BASE[service]({
    name,
    $fault: 'client',
    $metadata: metadata(400),
    message: 'Rate exceeded',
  });
  return Object.assign(err, { Code: name, Message: 'Rate exceeded' });
}

/** A 500 from the service; the SDK retries it. */
export function serverError(service: Service): Error {
  const name = service === 'ec2' ? 'InternalError' : 'InternalFailure';
  const message = 'We encountered an internal error. Please try again.';
  const err = new BASE[service]({ name, $fault: 'server', $metadata: metadata(500), message });
  return Object.assign(err, { Code: name, Message: message });
}

/** The connection dropped after the request was processed; the SDK retries it. */
export function networkError(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

/** The request timed out before the service got it; the SDK retries it (a transient TimeoutError). */
export function timeoutError(ms: number): Error {
  return Object.assign(new Error(`Connection timed out after ${ms} ms`), {
    name: 'TimeoutError',
    code: 'ETIMEDOUT',
  });
}
