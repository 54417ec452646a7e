import { describeChange, restoreKeepingTheirs, sameActions } from '../src/strategies/route-recheck.js';
import { trafficTo } from '../src/strategies/route-check.js';

const colors = { blue: 'tg-blue', green: 'tg-green' };
const weighted = (blue: number, green: number, sticky?: number) => [
  {
    Type: 'forward' as const,
    ForwardConfig: {
      TargetGroups: [
        { TargetGroupArn: 'tg-blue', Weight: blue },
        { TargetGroupArn: 'tg-green', Weight: green },
      ],
      TargetGroupStickinessConfig:
        sticky === undefined ? { Enabled: false } : { Enabled: true, DurationSeconds: sticky },
    },
  },
];

describe('what changed in a route, and what undoing this run then means', () => {
  test('describes each field that changed, from and to', () => {
    expect(describeChange(weighted(0, 100), weighted(100, 0, 600), colors)).toBe(
      'weights blue 0 → 100, green 100 → 0; stickiness off → on (600 s)',
    );
    expect(
      describeChange(
        weighted(0, 100),
        [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } }],
        colors,
      ),
    ).toBe('actions forward → fixed-response; weights green 100 → 0');
  });

  test('same actions compare equal after a JSON round trip (runner state), different weights do not', () => {
    expect(sameActions(weighted(0, 100), JSON.parse(JSON.stringify(weighted(0, 100))) as never)).toBe(true);
    expect(sameActions(weighted(0, 100), weighted(1, 99))).toBe(false);
  });

  test('the pre-flight weights on top of their change: stickiness kept; a bare TargetGroupArn becomes weight 1', () => {
    expect(restoreKeepingTheirs(weighted(100, 0), weighted(10, 90, 600), colors)).toEqual(
      weighted(100, 0, 600),
    );
    expect(
      restoreKeepingTheirs([{ Type: 'forward', TargetGroupArn: 'tg-blue' }], weighted(0, 100, 60), colors),
    ).toEqual([
      {
        Type: 'forward',
        TargetGroupArn: 'tg-blue',
        ForwardConfig: {
          TargetGroups: [{ TargetGroupArn: 'tg-blue', Weight: 1 }],
          TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 60 },
        },
      },
    ]);
  });

  test('a route that now forwards elsewhere keeps what they made of it', () => {
    const theirs = [{ Type: 'forward' as const, TargetGroupArn: 'tg-other' }];
    expect(restoreKeepingTheirs(weighted(100, 0), theirs, colors)).toBe(theirs);
  });

  test('traffic is a weight above 0; a bare forward is all of it', () => {
    expect(trafficTo(weighted(100, 0), ['tg-green'])).toEqual([]);
    expect(trafficTo(weighted(100, 0), ['tg-blue'])).toEqual([
      { targetGroupArn: 'tg-blue', weight: 100, total: 100 },
    ]);
    expect(trafficTo([{ Type: 'forward', TargetGroupArn: 'tg-blue' }], ['tg-blue'])).toEqual([
      { targetGroupArn: 'tg-blue', weight: 1, total: 1 },
    ]);
  });
});
