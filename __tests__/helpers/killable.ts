import type { InitializeMiddleware, MetadataBearer } from '@smithy/types';
import { gateways } from '../../src/aws/index.js';
import type { BlueGreenFixture } from '../../sim/index.js';

/** Gateways main uses, which a test can cut off like a killed process: every later call never answers. */
export function killable(f: BlueGreenFixture, killAfterWrite?: number) {
  const clients = f.sim.clients();
  const control = { killed: false, writes: 0, onKill: () => {} };
  const kill = () => {
    if (control.killed) return;
    control.killed = true;
    control.onKill();
  };
  const killSwitch: InitializeMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
    if (control.killed) return new Promise<never>(() => {});
    const out = await next(args);
    const mutating = !/^(Describe|Get)/.test(context.commandName ?? '');
    if (mutating && ++control.writes === killAfterWrite) {
      kill(); // the write landed; its answer never reaches main
      return new Promise<never>(() => {});
    }
    return out;
  };
  const options = { step: 'initialize', name: 'killSwitch' } as const;
  clients.autoScaling.middlewareStack.add(killSwitch as never, options);
  clients.autoScalingOnce.middlewareStack.add(killSwitch as never, options);
  clients.elbv2.middlewareStack.add(killSwitch as never, options);
  clients.ec2.middlewareStack.add(killSwitch as never, options);
  return { aws: gateways(clients), kill, control };
}
