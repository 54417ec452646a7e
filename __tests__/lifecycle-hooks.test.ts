import { healthLine, hookWaits, type LifecycleHook } from '../src/aws/lifecycle-hooks.js';
import { judgeLaunches } from '../src/aws/waits/launches.js';
import type { ScalingActivity } from '../src/aws/index.js';

const boot: LifecycleHook = {
  name: 'boot',
  transition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
  heartbeatSeconds: 300,
  defaultResult: 'ABANDON',
};
const drain: LifecycleHook = {
  name: 'drain',
  transition: 'autoscaling:EC2_INSTANCE_TERMINATING',
  heartbeatSeconds: 60,
  defaultResult: 'CONTINUE',
};

describe('progress lines with lifecycle hooks', () => {
  it('names the launching hook for Pending:Wait and Pending:Proceed, the terminating one for Terminating:Wait', () => {
    expect(
      hookWaits(['Pending:Wait', 'InService', 'Pending:Proceed', 'Terminating:Wait'], [boot, drain]),
    ).toEqual(['2 waiting on hook boot (heartbeat 300s)', '1 waiting on hook drain (heartbeat 60s)']);
    expect(hookWaits(['Pending:Wait'], undefined)).toEqual(['1 waiting on a lifecycle hook']);
    expect(hookWaits(['Pending', 'InService'], [boot])).toEqual([]);
  });

  it('takes the held instances out of the other counts: `2/4 healthy (1 initial), 2 waiting on hook boot (heartbeat 300s)`', () => {
    const counts = new Map([
      ['initial', 1],
      ['pending:wait', 2],
    ]);
    expect(healthLine(2, 4, counts, [boot, drain])).toBe(
      '2/4 healthy (1 initial), 2 waiting on hook boot (heartbeat 300s)',
    );
    expect(healthLine(2, 4, new Map([['pending:wait', 2]]), [boot])).toBe(
      '2/4 healthy, 2 waiting on hook boot (heartbeat 300s)',
    );
    expect(healthLine(4, 4, new Map(), [boot])).toBe('4/4 healthy');
  });
});

describe('launches abandoned by a lifecycle hook (AWS: a Cancelled launch activity)', () => {
  const message =
    "Instance failed to complete user's Lifecycle Action: Lifecycle Action with token 6c2b9f1e-0000-4000-8000-000000000001 was abandoned: Lifecycle Action Completed with ABANDON Result";
  const abandoned: ScalingActivity = {
    id: 'a1',
    description: `Launching a new EC2 instance: i-1.  Status Reason: ${message}`,
    status: 'Cancelled',
    statusMessage: message,
    startedAt: 1_000,
  };
  const replacement = (status: string): ScalingActivity => ({
    id: 'a2',
    description: 'Launching a new EC2 instance: i-2',
    status,
    startedAt: 2_000,
  });

  it('unanswered: the wait fails with AWS message', () => {
    expect(judgeLaunches([abandoned])).toEqual({ failed: abandoned, retried: [] });
  });

  it("answered by AWS's replacement (held by the hook, or launched): a warning, not a failure", () => {
    for (const status of ['MidLifecycleAction', 'Successful']) {
      // newest first, as AWS lists them
      expect(judgeLaunches([replacement(status), abandoned])).toEqual({ retried: [abandoned] });
    }
  });

  it('the replacement abandoned too: the newest unanswered one fails the wait', () => {
    const again = { ...replacement('Cancelled'), statusMessage: message };
    expect(judgeLaunches([again, abandoned]).failed).toBe(again);
  });
});
