/** CloudWatch metric alarms: just enough state for alarm gates. */
import {
  InvalidParameterValueException,
  ResourceNotFound,
  type DescribeAlarmsCommandInput,
  type DescribeAlarmsCommandOutput,
  type MetricAlarm,
  type SetAlarmStateCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { modeled } from './errors.js';
import type { Handlers } from './handlers.js';
import type { Alarm, AlarmState, SimState } from './state.js';

const STATES: readonly AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

export function createAlarm(sim: SimState, name: string, state: AlarmState = 'OK'): void {
  if (sim.alarms.has(name)) throw new Error(`SimAws: alarm ${name} already exists`);
  sim.alarms.set(name, { name, state, reason: 'Created by the simulator', updatedAt: sim.now() });
}

export function changeAlarmState(sim: SimState, name: string, state: AlarmState, reason: string): void {
  const alarm = sim.alarms.get(name);
  if (!alarm) throw modeled(ResourceNotFound, `Alarm ${name} does not exist`);
  if (!STATES.includes(state)) throw modeled(InvalidParameterValueException, `Invalid state value ${state}`);
  alarm.state = state;
  alarm.reason = reason;
  alarm.updatedAt = sim.now();
}

function describeAlarm(sim: SimState, a: Alarm): MetricAlarm {
  return {
    AlarmName: a.name,
    AlarmArn: sim.arn('cloudwatch', `alarm:${a.name}`),
    ActionsEnabled: true,
    OKActions: [],
    AlarmActions: [],
    InsufficientDataActions: [],
    StateValue: a.state,
    StateReason: a.reason,
    StateUpdatedTimestamp: new Date(a.updatedAt),
    StateTransitionedTimestamp: new Date(a.updatedAt),
    MetricName: 'HTTPCode_Target_5XX_Count',
    Namespace: 'AWS/ApplicationELB',
    Statistic: 'Sum',
    Dimensions: [],
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'notBreaching',
  };
}

function describeAlarms(
  sim: SimState,
  input: DescribeAlarmsCommandInput,
): Omit<DescribeAlarmsCommandOutput, '$metadata'> {
  if ((input.AlarmNames?.length ?? 0) > 100) {
    throw modeled(
      InvalidParameterValueException,
      'The collection AlarmNames must not have a size greater than 100.',
    );
  }
  let alarms = [...sim.alarms.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (input.AlarmNames?.length) alarms = alarms.filter((a) => input.AlarmNames?.includes(a.name));
  if (input.AlarmNamePrefix !== undefined)
    alarms = alarms.filter((a) => a.name.startsWith(input.AlarmNamePrefix ?? ''));
  if (input.StateValue !== undefined) alarms = alarms.filter((a) => a.state === input.StateValue);
  const metric = !input.AlarmTypes?.length || input.AlarmTypes.includes('MetricAlarm');
  return { MetricAlarms: metric ? alarms.map((a) => describeAlarm(sim, a)) : [], CompositeAlarms: [] };
}

function setAlarmState(sim: SimState, input: SetAlarmStateCommandInput): object {
  changeAlarmState(sim, input.AlarmName ?? '', input.StateValue as AlarmState, input.StateReason ?? '');
  return {};
}

export const cloudWatchHandlers: Handlers = {
  DescribeAlarms: (sim, input) => describeAlarms(sim, input as DescribeAlarmsCommandInput),
  SetAlarmState: (sim, input) => setAlarmState(sim, input as SetAlarmStateCommandInput),
};
