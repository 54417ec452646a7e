/**
 * Restore every route (issue 15), through the bundled action on moto: a canary
 * on two listeners and a rule is rolled back by an alarm while AWS refuses
 * every ModifyListener on one listener (test/moto's `failingWrites` switch:
 * AccessDenied, as an IAM deny answers). The other listener and the rule are
 * restored exactly, the summary says what was and was not restored, main exits
 * non-zero; once the denial is lifted, the post step restores the last route
 * and the idle group, and everything is as before the deploy.
 */
import { SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import {
  buildInfrastructure,
  groupShape,
  lockTagValues,
  readColorGroups,
  readRouteActions,
  summarizeForward,
  type Infrastructure,
} from './fixture.js';
import type { RecordedCall } from './recording-proxy.js';
import { runAction, type ActionRun } from './run-action.js';
import { describeWithMoto, useMoto } from './use-moto.js';

const E2E_TIMEOUT = 120_000;
const RUN_TIMEOUT = 60_000;
const describeE2E = describeWithMoto('restore-routes');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function transcript(run: ActionRun): string {
  return (
    `main exited ${run.code} (post: ${run.post?.code ?? 'none'})\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}` +
    (run.post ? `\n--- post stdout\n${run.post.stdout}\n--- post stderr\n${run.post.stderr}` : '')
  );
}

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

describeE2E('one route whose restore AWS refuses, on moto through dist/index.js', () => {
  const world = useMoto();

  const groups = (infra: Infrastructure) => readColorGroups(world.aws, infra);

  it(
    'canary on two listeners and a rule, alarm → rollback: the listener AWS refuses stays on the canary, the other listener and the rule are restored exactly; the post step restores it once the denial is lifted',
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint, { name: 'restore' });
      const routesBefore = await readRouteActions(world.moto.endpoint, infra);
      const { blue: blueBefore, green: greenBefore } = await groups(infra);
      const [listener80, deniedListener] = infra.listenerArns;
      const { blue: blueTg, green: greenTg } = infra.targetGroupArns;
      const [alarm] = infra.alarmNames;

      const main = { ended: false };
      let atPost = 0;
      let betweenSteps:
        | {
            routes: Awaited<ReturnType<typeof readRouteActions>>;
            green: Awaited<ReturnType<typeof readColorGroups>>['green'];
            locks: (string | undefined)[];
          }
        | undefined;
      const running = runAction(
        {
          strategy: 'blue-green',
          'listener-arns': infra.listenerArns.join('\n'),
          'listener-rule-arns': infra.listenerRuleArn,
          'blue-auto-scaling-group': infra.autoScalingGroups.blue,
          'green-auto-scaling-group': infra.autoScalingGroups.green,
          'launch-template-version': '2',
          'traffic-shift': 'canary:10:30s',
          'alarm-names': alarm,
          'poll-interval': '1s',
          'health-timeout': '1m',
        },
        {
          endpoint: world.proxy.endpoint,
          timeoutMs: RUN_TIMEOUT,
          // Between the steps: what main left, then the denial is lifted (an operator fixed the policy).
          beforePost: async () => {
            atPost = world.proxy.calls.length;
            const { blue, green } = await groups(infra);
            betweenSteps = {
              routes: await readRouteActions(world.moto.endpoint, infra),
              green,
              locks: [...lockTagValues(blue), ...lockTagValues(green)],
            };
            await world.moto.setSwitches({ failingWrites: [] });
          },
        },
      ).finally(() => (main.ended = true));

      // the canary holds once the last route (the rule) carries green 10 %
      const canaryOnRule = () =>
        world.proxy.calls.some(
          (call) => call.action === 'ModifyRule' && call.status === 200 && weightsIn(call)[greenTg] === 10,
        );
      for (let i = 0; i < 600 && !canaryOnRule() && !main.ended; i++) await sleep(50);
      if (!canaryOnRule()) throw new Error(transcript(await running));
      // from now on AWS refuses every ModifyListener on the port-8080 listener; then the alarm fires
      const faultFrom = world.proxy.calls.length;
      await world.moto.setSwitches({
        failingWrites: [{ action: 'ModifyListener', resource: deniedListener }],
      });
      await world.aws.cloudWatch.send(
        new SetAlarmStateCommand({
          AlarmName: alarm,
          StateValue: 'ALARM',
          StateReason: 'e2e: 5xx on the canary',
        }),
      );
      const run = await running;
      if (run.code !== 1 || run.post?.code !== 0 || !betweenSteps) throw new Error(transcript(run));

      // --- main: rolled back what it could, and says what it could not
      expect(run.outputs.result).toBe('failed');
      expect(run.outputs['rollback-reason']).toContain(`alarm "${alarm}" is in ALARM`);
      const [after80, after8080, afterRule] = betweenSteps.routes;
      expect(after80).toEqual(routesBefore[0]);
      expect(afterRule).toEqual(routesBefore[2]);
      expect(summarizeForward(after8080).shares).toEqual({ [blueTg]: 90, [greenTg]: 10 });
      // green still serves 10 % of that listener: its capacity is left as it is
      expect(betweenSteps.green).toMatchObject({ MinSize: 2, DesiredCapacity: 2, MaxSize: 2 });
      expect(betweenSteps.locks).toEqual([]);

      // every restore of the denied listener was refused (each undo tried it 3 times), and the routes
      // after it were still restored: the rule's restore was sent after the first refusal
      const mainRouteWrites = world.proxy.calls
        .slice(faultFrom, atPost)
        .filter((call) => call.action === 'ModifyListener' || call.action === 'ModifyRule');
      const denied = mainRouteWrites.filter((call) => routeOf(call) === deniedListener);
      expect(denied.map((call) => call.status)).toEqual([403, 403, 403, 403, 403, 403]);
      const firstRefusal = mainRouteWrites.indexOf(denied[0]!);
      const ruleRestore = mainRouteWrites.findIndex(
        (call) => routeOf(call) === infra.listenerRuleArn && (weightsIn(call)[greenTg] ?? 0) === 0,
      );
      expect(ruleRestore).toBeGreaterThan(firstRefusal);
      expect(mainRouteWrites[ruleRestore]?.status).toBe(200);
      expect(
        mainRouteWrites
          .filter((call) => routeOf(call) === listener80)
          .map((call) => [call.status, weightsIn(call)[greenTg] ?? 0]),
      ).toEqual([[200, 0]]);

      const shortListener = (arn: string) => {
        const [, name, id] = /:listener\/app\/([^/]+)\/[^/]+\/([^/]+)$/.exec(arn) ?? ['', '?', '?'];
        return `listener/${name}/…/${id}`;
      };
      const deny = `User: arn:aws:sts::123456789012:assumed-role/deploy/asg-deploy is not authorized to perform: elasticloadbalancing:ModifyListener on resource: ${deniedListener} with an explicit deny in an identity-based policy`;
      expect(run.summary).toContain('> **The rollback did not finish**');
      expect(run.summary).toContain('> Restored: 1 listener, 1 rule back on blue, not every route.');
      expect(run.summary).toContain(
        `> - **Not restored:** listener ${shortListener(deniedListener)} (${deny})`,
      );
      expect(run.summary).toContain(
        `> - **Not restored:** ${infra.autoScalingGroups.green} (back to 0/0/0) (not attempted: an undo before it failed (a route may still send traffic to this fleet))`,
      );
      const error = run.stdout.split('\n').find((line) => line.startsWith('::error::'));
      expect(error).toContain(`NOT restored: listener ${shortListener(deniedListener)}`);
      expect(error).toContain('The post step tries again');

      // --- post: tries again what main could not; everything is as before the deploy
      expect(run.post.stdout).toContain(
        'the main step could not restore everything: trying again what it could not',
      );
      expect(run.summary).toContain('## ↩️ Interrupted deployment restored by the post step');
      const postWrites = world.proxy.calls.slice(atPost).filter((call) => call.write);
      expect(
        postWrites.filter((call) => routeOf(call) === deniedListener).map((call) => call.status),
      ).toEqual([200]);
      expect(await readRouteActions(world.moto.endpoint, infra)).toEqual(routesBefore);
      const { blue, green } = await groups(infra);
      expect(groupShape(blue)).toEqual(groupShape(blueBefore));
      expect(groupShape(green)).toEqual({ ...groupShape(greenBefore), Instances: [] });
      expect([...lockTagValues(blue), ...lockTagValues(green)]).toEqual([]);
    },
    E2E_TIMEOUT,
  );
});
