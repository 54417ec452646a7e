/** The simulated AWS used by the tests and `npm run demo`; never imported by main.ts. */
export { VirtualClock, DEFAULT_START_MS, abortReason, type Clock } from './clock.js';
export { SimAws, type SimAwsOptions, type SimClients } from './sim-aws.js';
export type { Fault, FaultKind, CallRecord } from './faults.js';
export { DEFAULT_TIMING, type SimTiming, type AlarmState, type TargetState } from './state.js';
export type { Service } from './errors.js';
export type { CreateGroupParams } from './auto-scaling.js';
export type { TargetGroupParams } from './elbv2.js';
export {
  blueGreenFixture,
  mixedPolicy,
  type BlueGreenFixture,
  type BlueGreenFixtureOptions,
} from './fixtures.js';
