/**
 * The bundled action on moto while traffic moves by steps, and when the run is
 * cancelled:
 * - canary with alarm-names: the test sets an alarm to ALARM (SetAlarmState,
 *   straight to moto) while the canary holds → rolled back at the next poll,
 *   every route's actions exactly as before (stickiness included), the idle
 *   group back to 0, the summary and rollback-reason name the alarm;
 * - linear: the weights written to every route, in order, up to 100 % (the
 *   ModifyListener/ModifyRule bodies in the recording proxy's log), each
 *   step held for its interval;
 * - cancel: SIGINT to `node dist/index.js` during the bake (what the runner
 *   sends first) and SIGKILL (what it sends when the step does not stop in
 *   time), then the post step (`node dist/index.js` with the state main saved) → every route
 *   exactly as before, the idle group back to 0, no `asg-deploy:lock` tag.
 *
 * One moto server and one recording proxy for the file, reset before each test.
 * Moto reports targets healthy at once, so every wait for health passes on the
 * first poll: the gates that fail on target health are covered on the simulator.
 */
import type { ChildProcess } from 'node:child_process';
import { SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  buildInfrastructure,
  groupShape,
  lockTagValues,
  readColorGroups,
  readRouteActions,
  type Infrastructure,
} from './fixture.js';
import { describeWithMoto, useMoto } from './use-moto.js';
import { now, type RecordedCall } from './recording-proxy.js';
import { runAction, type ActionRun } from './run-action.js';

const E2E_TIMEOUT = 90_000;
const RUN_TIMEOUT = 60_000;
const describeE2E = describeWithMoto('canary/linear/cancel');

/** The action's own output, which says why far better than a diff of outputs. */
function transcript(run: ActionRun): string {
  return (
    `main exited ${run.code} (post: ${run.post?.code ?? 'none'})\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}` +
    (run.post ? `\n--- post stdout\n${run.post.stdout}\n--- post stderr\n${run.post.stderr}` : '')
  );
}

function expectExit(run: ActionRun, main: (code: number) => boolean, post = 0): void {
  if (!main(run.code) || run.post?.code !== post) throw new Error(transcript(run));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The route a ModifyListener / ModifyRule writes. */
const routeOf = (call: RecordedCall) => {
  const form = new URLSearchParams(call.body);
  return form.get('ListenerArn') ?? form.get('RuleArn') ?? '?';
};

/** The weight each target group gets in a ModifyListener / ModifyRule body (Query protocol). */
function weightsIn(call: RecordedCall): Record<string, number> {
  const form = new URLSearchParams(call.body);
  const weights: Record<string, number> = {};
  for (const [name, value] of form) {
    if (!/\.ForwardConfig\.TargetGroups\.member\.\d+\.TargetGroupArn$/.test(name)) continue;
    const weight = form.get(name.replace(/TargetGroupArn$/, 'Weight'));
    weights[value] = weight === null ? 1 : Number(weight);
  }
  return weights;
}

const ROUTE_WRITES = new Set(['ModifyListener', 'ModifyRule']);

describeE2E('canary, linear and cancel of the bundled action on moto', () => {
  const world = useMoto();

  const inputsFor = (infra: Infrastructure) => ({
    strategy: 'blue-green',
    'listener-arns': infra.listenerArns.join('\n'),
    'listener-rule-arns': infra.listenerRuleArn,
    'blue-auto-scaling-group': infra.autoScalingGroups.blue,
    'green-auto-scaling-group': infra.autoScalingGroups.green,
    'launch-template-version': '2',
    'poll-interval': '1s',
    'health-timeout': '1m',
  });

  const groups = (infra: Infrastructure) => readColorGroups(world.aws, infra);

  /** Everything a rollback must put back exactly. */
  const snapshot = async (infra: Infrastructure) => {
    const { blue, green } = await groups(infra);
    return {
      routes: await readRouteActions(world.moto.endpoint, infra),
      blue: groupShape(blue),
      green: groupShape(green),
    };
  };

  /** Polls the proxy log until `found` holds; fails if the run ends first or after `timeoutMs`. */
  const waitForCall = async (
    what: string,
    found: (calls: readonly RecordedCall[]) => boolean,
    run: { ended: boolean; result?: Promise<ActionRun> },
    timeoutMs = 30_000,
  ) => {
    const deadline = Date.now() + timeoutMs;
    while (!found(world.proxy.calls)) {
      if (run.ended) throw new Error(`the action ended before ${what}:\n${transcript(await run.result!)}`);
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
      await sleep(50);
    }
  };
  /** Starts the action without waiting for it. */
  const start = (inputs: Record<string, string>, onMainSpawn?: (main: ChildProcess) => void) => {
    const run: { ended: boolean; result?: Promise<ActionRun> } = { ended: false };
    run.result = runAction(inputs, {
      endpoint: world.proxy.endpoint,
      timeoutMs: RUN_TIMEOUT,
      ...(onMainSpawn ? { onMainSpawn } : {}),
    }).finally(() => (run.ended = true));
    return run as { ended: boolean; result: Promise<ActionRun> };
  };
  /** A route write, answered, that gives `targetGroupArn` exactly `weight` on `route`. */
  const wrote = (route: string, targetGroupArn: string, weight: number) => (calls: readonly RecordedCall[]) =>
    calls.some(
      (call) =>
        ROUTE_WRITES.has(call.action) &&
        call.status === 200 &&
        routeOf(call) === route &&
        weightsIn(call)[targetGroupArn] === weight,
    );

  it(
    'canary 10 %: an alarm set to ALARM during the hold rolls back at the next poll; routes and groups exactly as before',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint, { name: 'canary' });
      const before = await snapshot(infra);
      const [alarm, otherAlarm] = infra.alarmNames;

      const run = start({
        ...inputsFor(infra),
        'traffic-shift': 'canary:10:30s',
        'alarm-names': `${alarm}\n${otherAlarm}`,
        'version-label': 'v2-canary',
      });
      // The canary holds once the last route (the rule) carries green 10 %.
      await waitForCall(
        'the canary weight on the rule',
        wrote(infra.listenerRuleArn, infra.targetGroupArns.green, 10),
        run,
      );
      await world.aws.cloudWatch.send(
        new SetAlarmStateCommand({
          AlarmName: alarm,
          StateValue: 'ALARM',
          StateReason: 'e2e: 5xx above threshold on the canary',
        }),
      );
      const alarmedAt = now();
      const result = await run.result;

      expectExit(result, (code) => code === 1);
      expect(result.outputs).toMatchObject({ result: 'rolled-back', 'active-color': 'blue' });
      expect(result.outputs['rollback-reason']).toContain(alarm);
      expect(result.outputs['rollback-reason']).toContain('ALARM');
      expect(result.outputs['rollback-reason']).not.toContain(otherAlarm);
      expect(result.summary).toMatch(/^## ↩️ Rolled back/);
      expect(result.summary).toContain(alarm);
      // At the next poll, not at the end of the 30 s hold.
      expect(result.endedAt - alarmedAt).toBeLessThan(15_000);

      // Traffic never went past the canary: no route write gives green more than 10.
      const greenWeights = world.proxy.calls
        .filter((call) => ROUTE_WRITES.has(call.action))
        .map((call) => weightsIn(call)[infra.targetGroupArns.green] ?? 0);
      expect(Math.max(...greenWeights)).toBe(10);

      const after = await snapshot(infra);
      expect(after.routes).toEqual(before.routes);
      expect(after.blue).toEqual(before.blue);
      expect(after.green).toEqual({ ...before.green, Instances: [] });
      const { blue, green } = await groups(infra);
      expect([...lockTagValues(blue), ...lockTagValues(green)]).toEqual([]);
    },
    E2E_TIMEOUT,
  );

  it(
    'linear 25 %: every route gets 25, 50, 75, 100 % in order, each step held for its interval, stickiness kept',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint, { name: 'linear' });
      const result = await runAction(
        { ...inputsFor(infra), 'traffic-shift': 'linear:25:1s', 'version-label': 'v2-linear' },
        { endpoint: world.proxy.endpoint, timeoutMs: RUN_TIMEOUT },
      );
      expectExit(result, (code) => code === 0);
      expect(result.outputs).toMatchObject({ result: 'deployed', 'active-color': 'green' });

      const { blue: blueTg, green: greenTg } = infra.targetGroupArns;
      const routes = [...infra.listenerArns, infra.listenerRuleArn];
      const writes = world.proxy.calls.filter((call) => ROUTE_WRITES.has(call.action));
      expect(writes.every((call) => call.status === 200)).toBe(true);
      // Green is first listed at weight 0 (so that it is health-checked), then moved by 25 % a step; the
      // routes are written one after the other at each step, never one route ahead by two steps.
      const written = writes.map((call) => {
        const weights = weightsIn(call);
        return [routes.indexOf(routeOf(call)), weights[blueTg], weights[greenTg]];
      });
      const expected: (number | undefined)[][] = [];
      for (const green of [0, 25, 50, 75, 100])
        for (const route of [0, 1, 2]) expected.push([route, 100 - green, green]);
      expect(written).toEqual(expected);

      // Each step is held (and watched) for 1 s before the next one is written.
      const firstOf = (green: number) =>
        writes.find((call) => weightsIn(call)[greenTg] === green)?.receivedAt ?? Number.NaN;
      for (const [from, to] of [
        [25, 50],
        [50, 75],
        [75, 100],
      ] as const) {
        expect(firstOf(to) - firstOf(from)).toBeGreaterThanOrEqual(1_000);
      }
      // The sticky listener keeps its stickiness in every write; the others keep none.
      for (const call of writes) {
        const form = new URLSearchParams(call.body);
        const sticky = routeOf(call) === infra.listenerArns[1];
        const prefix = call.action === 'ModifyRule' ? 'Actions' : 'DefaultActions';
        const stickiness = `${prefix}.member.1.ForwardConfig.TargetGroupStickinessConfig`;
        // A route without stickiness may send Enabled=false or no stickiness at all (the default).
        expect([
          form.get(`${stickiness}.Enabled`) ?? 'false',
          form.get(`${stickiness}.DurationSeconds`),
        ]).toEqual(sticky ? ['true', '300'] : ['false', null]);
      }

      const forward = (stickiness: { Enabled: boolean; DurationSeconds?: number }): Action[] => [
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: blueTg, Weight: 0 },
              { TargetGroupArn: greenTg, Weight: 100 },
            ],
            TargetGroupStickinessConfig: stickiness,
          },
        },
      ];
      expect(await readRouteActions(world.moto.endpoint, infra)).toEqual([
        forward({ Enabled: false }),
        forward({ Enabled: true, DurationSeconds: 300 }),
        forward({ Enabled: false }),
      ]);
      const { blue, green } = await groups(infra);
      expect(green).toMatchObject({ DesiredCapacity: 2, LaunchTemplate: { Version: '2' } });
      expect(blue).toMatchObject({ DesiredCapacity: 0, Instances: [] });
    },
    E2E_TIMEOUT,
  );

  describe.each([
    ['SIGINT', 'main restores before it exits'],
    ['SIGKILL', 'post restores from the state main saved'],
  ] as const)('cancelled with %s during the bake', (signal, who) => {
    it(
      `${who}: every route exactly as before, green back to 0, no lock left`,
      async () => {
        const infra = await buildInfrastructure(world.moto.endpoint, {
          name: `cancel-${signal.toLowerCase()}`,
        });
        const before = await snapshot(infra);
        let main: ChildProcess | undefined;
        const run = start({ ...inputsFor(infra), 'bake-time': '40s' }, (child) => (main = child));

        // The bake starts once every route serves green; wait for one gate poll of it as well.
        await waitForCall(
          'the bake',
          (calls) => {
            const switched = calls.findIndex(
              (call) =>
                call.action === 'ModifyRule' &&
                call.status === 200 &&
                weightsIn(call)[infra.targetGroupArns.green] === 100,
            );
            return (
              switched >= 0 && calls.slice(switched).some((call) => call.action === 'DescribeTargetHealth')
            );
          },
          run,
        );
        expect(main?.kill(signal)).toBe(true);
        const cancelledAt = now();
        const result = await run.result;

        // Main stopped well before the 40 s bake would have ended.
        expect(result.endedAt - result.startedAt).toBeLessThan(30_000);
        if (signal === 'SIGINT') {
          expectExit(result, (code) => code === 1);
          expect(result.stdout).toMatch(/^::warning::received SIGINT/m);
          expect(result.outputs.result).toBe('rolled-back');
          expect(result.outputs['rollback-reason']).toMatch(/cancel/);
          expect(result.state.finished).toBe('true');
        } else {
          expectExit(result, (code) => code === -1);
          // Killed mid-bake: main undid nothing and left its journal and lock; post made every restoring write.
          const postStart = result.post?.startedAt ?? Infinity;
          const restoring = world.proxy.writes().filter((call) => call.receivedAt > cancelledAt);
          expect(restoring.length).toBeGreaterThan(0);
          expect(restoring.filter((call) => call.receivedAt < postStart)).toEqual([]);
          expect(result.state.finished ?? '').toBe('');
          expect(result.post?.stdout).toMatch(/the deployment was interrupted/);
        }
        expect(result.post?.code).toBe(0);

        const after = await snapshot(infra);
        expect(after.routes).toEqual(before.routes);
        expect(after.blue).toEqual(before.blue);
        expect(after.green).toEqual({ ...before.green, Instances: [] });
        const { blue, green } = await groups(infra);
        expect([...lockTagValues(blue), ...lockTagValues(green)]).toEqual([]);
      },
      E2E_TIMEOUT,
    );
  });
});
