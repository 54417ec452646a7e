import { type CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';

/** DescribeAlarms takes at most 100 names per call. */
export const ALARMS_PER_CALL = 100;

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmReading {
  name: string;
  state: AlarmStateValue;
  reason?: string;
}

/** Thin gateway over the CloudWatch API: alarm states for the gates. */
export class CloudWatchGateway {
  constructor(private readonly client: CloudWatchClient) {}

  /**
   * The named alarms (metric and composite) that exist, by name: one call per
   * 100 names. A name missing from the map does not exist.
   */
  async describeAlarms(names: string[]): Promise<Map<string, AlarmReading>> {
    const found = new Map<string, AlarmReading>();
    for (let i = 0; i < names.length; i += ALARMS_PER_CALL) {
      const batch = names.slice(i, i + ALARMS_PER_CALL);
      let token: string | undefined;
      do {
        const out = await this.client.send(
          new DescribeAlarmsCommand({
            AlarmNames: batch,
            AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            NextToken: token,
          }),
        );
        for (const alarm of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]) {
          const name = alarm.AlarmName ?? '';
          found.set(name, {
            name,
            state: alarm.StateValue ?? 'INSUFFICIENT_DATA',
            ...(alarm.StateReason ? { reason: alarm.StateReason } : {}),
          });
        }
        token = out.NextToken;
      } while (token);
    }
    return found;
  }
}
