/**
 * Two regions from one moto server (moto keeps them apart by the signing
 * region), the same groups and listeners in each, driven as the multi-region
 * example drives them: the bundled action once per region and run.
 *
 * Deploy v2 to both, v3 to the first only; a clean-up rollback with
 * `expected-version-label: v3` on both puts the first back on v2 and leaves
 * the second untouched (zero writes, `result=unchanged`); `mode: status` in
 * each region reports what serves with zero writes, and reports the lock of a
 * deploy running at the same time.
 */
import { CreateLaunchTemplateVersionCommand } from '@aws-sdk/client-ec2';
import { DescribeTagsCommand } from '@aws-sdk/client-auto-scaling';
import { awsClients, buildInfrastructure, type Infrastructure, readListenerForwards } from './fixture.js';
import { startRecordingProxy } from './recording-proxy.js';
import { runAction, type ActionRun } from './run-action.js';
import { describeWithMoto, useMoto } from './use-moto.js';

const E2E_TIMEOUT = 180_000;
const RUN_TIMEOUT = 60_000;
const FIRST = 'us-east-1';
const SECOND = 'us-west-2';
const describeE2E = describeWithMoto('multi-region');

function expectSucceeded(run: ActionRun): void {
  if (run.code !== 0 || run.post?.code) {
    throw new Error(
      `action exited ${run.code} (post: ${run.post?.code ?? 'none'})\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`,
    );
  }
}

const serving = (shares: Record<string, number> | undefined) =>
  Object.keys(shares ?? {}).filter((arn) => (shares?.[arn] ?? 0) > 0);

describeE2E('several regions from one moto server, one run per region', () => {
  const world = useMoto();

  const inputsOf = (infra: Infrastructure, extra: Record<string, string> = {}) => ({
    'aws-region': infra.region,
    'listener-arns': infra.listenerArns.join('\n'),
    'listener-rule-arns': infra.listenerRuleArn,
    'blue-auto-scaling-group': infra.autoScalingGroups.blue,
    'green-auto-scaling-group': infra.autoScalingGroups.green,
    'poll-interval': '1s',
    'health-timeout': '2m',
    ...extra,
  });
  const run = (infra: Infrastructure, extra: Record<string, string>, endpoint = world.proxy.endpoint) =>
    runAction(inputsOf(infra, extra), { endpoint, timeoutMs: RUN_TIMEOUT });
  const writesIn = (region: string) =>
    world.proxy
      .writes()
      .filter((call) => call.region === region)
      .map((call) => call.action);

  async function twoRegions(): Promise<[Infrastructure, Infrastructure]> {
    const name = `mr-${process.pid % 10000}`;
    const first = await buildInfrastructure(world.moto.endpoint, { name, exactName: true, region: FIRST });
    const second = await buildInfrastructure(world.moto.endpoint, { name, exactName: true, region: SECOND });
    // Launch template version 3 in the first region only (v3 is released there alone).
    const aws = awsClients(world.moto.endpoint, FIRST);
    try {
      await aws.ec2.send(
        new CreateLaunchTemplateVersionCommand({
          LaunchTemplateId: first.launchTemplate.id,
          SourceVersion: '2',
          VersionDescription: 'v3',
          LaunchTemplateData: { ImageId: first.imageIds.v1 },
        }),
      );
    } finally {
      aws.destroy();
    }
    return [first, second];
  }

  it(
    'v3 released in the first region only: the guarded rollback acts there alone; status reports both with zero writes',
    async () => {
      const [first, second] = await twoRegions();
      // the same names in both regions: only the region tells them apart
      expect(second.autoScalingGroups).toEqual(first.autoScalingGroups);
      expect(second.listenerArns[0]).toContain(`:${SECOND}:`);

      for (const infra of [first, second]) {
        expectSucceeded(await run(infra, { 'launch-template-version': '2', 'version-label': 'v2' }));
      }
      const v3 = await run(first, { 'launch-template-version': '3', 'version-label': 'v3' });
      expectSucceeded(v3);
      expect(v3.outputs).toMatchObject({ result: 'deployed', 'active-color': 'blue', 'version-label': 'v3' });

      world.proxy.clear();
      const [back, untouched] = await Promise.all(
        [first, second].map((infra) =>
          run(infra, { mode: 'rollback', 'expected-version-label': 'v3', 'previous-fleet': 'keep' }),
        ),
      );
      expectSucceeded(back!);
      expectSucceeded(untouched!);
      expect(back!.outputs).toMatchObject({
        result: 'rolled-back',
        'active-color': 'green',
        'version-label': 'v2',
        'previous-version-label': 'v3',
        'launch-template-version': '2',
      });
      expect(untouched!.outputs).toMatchObject({
        result: 'unchanged',
        'active-color': 'green',
        'version-label': 'v2',
        'launch-template-version': '2',
      });
      expect(untouched!.stdout).toContain(
        `::notice::Unchanged: v3 does not serve in ${SECOND}: the deployment record says v2 (green, launch template version 2) serves there. Nothing was rolled back (expected-version-label: v3)`,
      );
      expect(writesIn(SECOND)).toEqual([]);
      expect(writesIn(FIRST)).toContain('ModifyListener');
      expect(world.proxy.calls.filter((c) => c.region !== FIRST && c.region !== SECOND)).toEqual([]);
      for (const infra of [first, second]) {
        const forwards = await readListenerForwards(world.moto.endpoint, infra.listenerArns, infra.region);
        expect(forwards.map((f) => serving(f.shares))).toEqual([
          [infra.targetGroupArns.green],
          [infra.targetGroupArns.green],
        ]);
      }

      world.proxy.clear();
      const status = await Promise.all([first, second].map((infra) => run(infra, { mode: 'status' })));
      for (const [i, infra] of [first, second].entries()) {
        const s = status[i]!;
        expectSucceeded(s);
        expect(s.outputs).toMatchObject({
          result: 'unchanged',
          'active-color': 'green',
          'active-auto-scaling-group': infra.autoScalingGroups.green,
          'active-target-group-arn': infra.targetGroupArns.green,
          'version-label': 'v2',
          'launch-template-version': '2',
          locked: 'false',
          staged: 'false',
        });
        expect(s.summary).toContain(`## 📋 Status in ${infra.region}: v2 on green`);
      }
      expect(status[0]!.outputs['previous-version-label']).toBe('v3');
      expect(world.proxy.writes()).toEqual([]);
      expect(new Set(world.proxy.calls.map((c) => c.region))).toEqual(new Set([FIRST, SECOND]));
    },
    E2E_TIMEOUT,
  );

  it(
    'status during a deploy in the same region reports the held lock, and writes nothing',
    async () => {
      const [first] = await twoRegions();
      const deploying = run(first, {
        'launch-template-version': '2',
        'version-label': 'v2',
        'bake-time': '20s',
      });
      const aws = awsClients(world.moto.endpoint, FIRST);
      try {
        const lockSeen = Date.now() + 30_000;
        for (;;) {
          const { Tags = [] } = await aws.autoScaling.send(
            new DescribeTagsCommand({
              Filters: [{ Name: 'auto-scaling-group', Values: [first.autoScalingGroups.blue] }],
            }),
          );
          if (Tags.some((t) => t.Key === 'asg-deploy:lock')) break;
          if (Date.now() > lockSeen) throw new Error('the deploy never took its lock');
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      } finally {
        aws.destroy();
      }
      // status through a proxy of its own, so its calls are told apart from the deploy's
      const own = await startRecordingProxy(world.moto.endpoint);
      try {
        const status = await run(first, { mode: 'status' }, own.endpoint);
        expectSucceeded(status);
        expect(status.outputs.locked).toBe('true');
        expect(status.summary).toMatch(/- Lock: 🔒 \*\*held\*\* on .* by run 4242/);
        expect(own.calls.length).toBeGreaterThan(0);
        expect(own.writes()).toEqual([]);
      } finally {
        await own.stop();
      }
      const deploy = await deploying;
      expectSucceeded(deploy);
      expect(deploy.outputs.result).toBe('deployed');
    },
    E2E_TIMEOUT,
  );
});
