import { AutoScalingGateway } from './auto-scaling.js';
import type { AwsClients } from './clients.js';
import { CloudWatchGateway } from './cloudwatch.js';
import { Ec2Gateway } from './ec2.js';
import { Elbv2Gateway } from './elbv2.js';

export type { AwsClients } from './clients.js';
export { recordAllWrites, recordWrites, type SentWrite, type WriteSink } from './write-log.js';
export * from './auto-scaling.js';
export * from './lifecycle-hooks.js';
export * from './mixed-instances.js';
export * from './cloudwatch.js';
export * from './ec2.js';
export * from './elbv2.js';
export { sameRouteActions } from './route-actions.js';

/** Every AWS effect of the action goes through these gateways. */
export interface Aws {
  autoScaling: AutoScalingGateway;
  elbv2: Elbv2Gateway;
  ec2: Ec2Gateway;
  cloudWatch: CloudWatchGateway;
}

export function gateways(clients: AwsClients): Aws {
  return {
    autoScaling: new AutoScalingGateway(clients.autoScaling, clients.autoScalingOnce),
    elbv2: new Elbv2Gateway(clients.elbv2),
    ec2: new Ec2Gateway(clients.ec2),
    cloudWatch: new CloudWatchGateway(clients.cloudWatch),
  };
}
