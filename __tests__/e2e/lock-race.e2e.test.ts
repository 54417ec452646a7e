/**
 * The deployment lock under delay (issue 15), through the bundled action on
 * moto: two deploys of the same fleet started together, each through a
 * recording proxy of its own (so every write is known per run). Both proxies
 * hold their run's lock write (CreateOrUpdateTags with `asg-deploy:lock`) until
 * both have sent it: both read "no lock" before either lock landed, the race
 * at its tightest. Then run A's write is held longer in transit:
 * - 8 s, past the lock's 5 s settle (what a few throttled retries do): B has
 *   read its own lock back and deploys; A's late write lands over B's lock, A
 *   withdraws it and fails with zero deployment writes; B finds its lock gone
 *   before its next write, takes it again and finishes.
 * - 0.5 s, within the write limit and before B's read-back: B reads A's lock
 *   back and refuses, naming A's run, with no write but its lock tag; A deploys.
 */
import { DescribeAutoScalingGroupsCommand, type AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { RECORD_KEYS } from '../../src/state/record.js';
import { buildInfrastructure, type Infrastructure } from './fixture.js';
import { startRecordingProxy, type RecordedCall, type RecordingProxy } from './recording-proxy.js';
import { runAction, type ActionRun } from './run-action.js';
import { describeWithMoto, useMoto } from './use-moto.js';

const E2E_TIMEOUT = 150_000;
const RUN_TIMEOUT = 90_000;
const LOCK_KEY = 'asg-deploy:lock';
/** The lock, its run URL, and the scaling processes the run will suspend (and resume) per group. */
const LOCK_KEYS = [LOCK_KEY, 'asg-deploy:lock-run-url', 'asg-deploy:lock-suspends'];
/** A first deploy's lock write: the lock and the record of what serves before it (blue). */
const FIRST_LOCK_KEYS = [...LOCK_KEYS, ...RECORD_KEYS].sort();
const describeE2E = describeWithMoto('lock-race');

function transcript(name: string, run: ActionRun): string {
  return (
    `${name}: main exited ${run.code} (post: ${run.post?.code ?? 'none'})\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}` +
    (run.post ? `\n--- post stdout\n${run.post.stdout}` : '')
  );
}

/** A CreateOrUpdateTags that writes the lock tag. */
function isLockWrite(call: RecordedCall): boolean {
  if (call.action !== 'CreateOrUpdateTags') return false;
  return [...new URLSearchParams(call.body)].some(
    ([name, value]) => name.endsWith('.Key') && value === LOCK_KEY,
  );
}

/** The tag keys a CreateOrUpdateTags / DeleteTags sends. */
function tagKeys(call: RecordedCall): string[] {
  const keys = [...new URLSearchParams(call.body)]
    .filter(([name]) => name.endsWith('.Key'))
    .map(([, value]) => value);
  return [...new Set(keys)].sort();
}

describeE2E('two deploys at once, a lock write delayed, on moto through dist/index.js', () => {
  const world = useMoto();
  let proxies: RecordingProxy[] = [];
  afterEach(async () => {
    await Promise.all(proxies.map((proxy) => proxy.stop()));
    proxies = [];
  });

  const group = async (name: string): Promise<AutoScalingGroup> => {
    const { AutoScalingGroups = [] } = await world.aws.autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
    );
    const found = AutoScalingGroups[0];
    if (!found) throw new Error(`no group ${name}`);
    return found;
  };
  const tag = (g: AutoScalingGroup, key: string) => g.Tags?.find((t) => t.Key === key)?.Value;

  /**
   * Runs A and B together, each through its own proxy; both lock writes are held until both have
   * arrived, then A's `delayA` ms more. Returns both runs and proxies.
   */
  const race = async (infra: Infrastructure, delayA: number) => {
    const [proxyA, proxyB] = await Promise.all([
      startRecordingProxy(world.moto.endpoint),
      startRecordingProxy(world.moto.endpoint),
    ]);
    proxies = [proxyA, proxyB];
    let arrived = 0;
    let bothArrived = () => {};
    const both = new Promise<void>((resolve) => (bothArrived = resolve));
    const arrive = () => {
      if (++arrived === 2) bothArrived();
    };
    proxyA.hold({ match: isLockWrite, until: both, delayMs: delayA, onArrival: arrive });
    proxyB.hold({ match: isLockWrite, until: both, onArrival: arrive });
    const inputs = (label: string) => ({
      strategy: 'blue-green',
      'listener-arns': infra.listenerArns.join('\n'),
      'listener-rule-arns': infra.listenerRuleArn,
      'blue-auto-scaling-group': infra.autoScalingGroups.blue,
      'green-auto-scaling-group': infra.autoScalingGroups.green,
      'launch-template-version': '2',
      'version-label': label,
      'poll-interval': '1s',
      'health-timeout': '2m',
    });
    const [a, b] = await Promise.all([
      runAction(inputs('A'), {
        endpoint: proxyA.endpoint,
        timeoutMs: RUN_TIMEOUT,
        env: { GITHUB_RUN_ID: '1001' },
      }),
      runAction(inputs('B'), {
        endpoint: proxyB.endpoint,
        timeoutMs: RUN_TIMEOUT,
        env: { GITHUB_RUN_ID: '2002' },
      }),
    ]);
    return { a, b, proxyA, proxyB };
  };

  it(
    "A's lock write held 8 s, past the 5 s settle: B deploys alone; A withdraws with zero deployment writes",
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint, { name: 'race-late' });
      // green takes 10 s to be healthy: B waits for it (reads only) while A's late write lands and is withdrawn
      await world.moto.setSwitches({ healthSeconds: 10 });
      const { a, b, proxyA, proxyB } = await race(infra, 8_000);
      if (a.code !== 1 || b.code !== 0) throw new Error(`${transcript('A', a)}\n${transcript('B', b)}`);
      const groups = `${infra.autoScalingGroups.blue}, ${infra.autoScalingGroups.green}`;

      // A: its lock write landed 8 s late, after B had read its own lock back; A withdrew it and made no
      // deployment write (the lock write also recorded what served: blue, as B's did)
      expect(a.outputs.result).toBe('failed');
      expect(a.stdout).toMatch(
        new RegExp(
          `::error::the lock write to ${groups} took \\d+\\.\\d s \\(more than 2 s\\), so it may have landed after another deployment took the lock; this run withdraws its lock\\. Nothing was changed`,
        ),
      );
      const aWrites = proxyA.writes();
      expect(aWrites.map((call) => [call.action, call.status, tagKeys(call)])).toEqual([
        ['CreateOrUpdateTags', 200, FIRST_LOCK_KEYS],
        ['DeleteTags', 200, LOCK_KEYS],
      ]);
      const [aLock] = aWrites;
      // held past the settle: it reached moto after B's lock write was answered + 5 s (B's read-back)
      const bLock = proxyB.writes().find(isLockWrite);
      expect(aLock!.forwardedAt - aLock!.receivedAt).toBeGreaterThanOrEqual(8_000);
      expect(aLock!.forwardedAt).toBeGreaterThan(bLock!.answeredAt + 5_000);
      const bReadBack = proxyB.calls.find(
        (call) => call.action === 'DescribeTags' && call.receivedAt > bLock!.answeredAt,
      );
      expect(bReadBack!.answeredAt).toBeLessThan(aLock!.forwardedAt);

      // B: found its lock gone before its next write, took it again, and deployed alone
      expect(b.outputs.result).toBe('deployed');
      expect(b.stdout).toContain(
        `::warning::${groups}: the deployment lock tag was removed; taking the lock again`,
      );
      const bActions = proxyB.writes().map((call) => call.action);
      expect(bActions).toEqual(
        expect.arrayContaining(['UpdateAutoScalingGroup', 'ModifyListener', 'ModifyRule']),
      );
      // every write B made after A's lock landed was preceded by B's lock written again
      const afterLanding = proxyB.writes().filter((call) => call.receivedAt > aLock!.forwardedAt);
      expect(isLockWrite(afterLanding[0]!)).toBe(true);
      const green = await group(infra.autoScalingGroups.green);
      const blue = await group(infra.autoScalingGroups.blue);
      expect(green).toMatchObject({ DesiredCapacity: 2, LaunchTemplate: { Version: '2' } });
      expect(tag(green, 'asg-deploy:version-label')).toBe('B');
      expect([tag(blue, LOCK_KEY), tag(green, LOCK_KEY)]).toEqual([undefined, undefined]);
    },
    E2E_TIMEOUT,
  );
  it(
    "A's lock write held 0.5 s (landing after B's, before B's read-back): B refuses naming A's run, with no write but its lock tag; A deploys",
    async () => {
      const infra = await buildInfrastructure(world.moto.endpoint, { name: 'race-near' });
      const { a, b, proxyA, proxyB } = await race(infra, 500);
      if (a.code !== 0 || b.code !== 1) throw new Error(`${transcript('A', a)}\n${transcript('B', b)}`);

      expect(b.outputs.result).toBe('failed');
      const refusal = b.stdout.split('\n').find((line) => line.startsWith('::error::'));
      expect(refusal).toContain(
        `another deployment took the lock at the same time: run 1001 (https://github.example/octo-org/shop/actions/runs/1001`,
      );
      expect(refusal).toContain('Nothing was changed');
      // B's only write: its lock tag with the record of what serves (overwritten by A's, so not B's to delete)
      expect(proxyB.writes().map((call) => [call.action, tagKeys(call)])).toEqual([
        ['CreateOrUpdateTags', FIRST_LOCK_KEYS],
      ]);
      const aLock = proxyA.writes().find(isLockWrite);
      const bLock = proxyB.writes().find(isLockWrite);
      expect(aLock!.forwardedAt).toBeGreaterThan(bLock!.answeredAt);

      expect(a.outputs.result).toBe('deployed');
      expect(proxyA.writes().map((call) => call.action)).toEqual(
        expect.arrayContaining(['UpdateAutoScalingGroup', 'ModifyListener', 'ModifyRule']),
      );
      const green = await group(infra.autoScalingGroups.green);
      expect(tag(green, 'asg-deploy:version-label')).toBe('A');
      expect(tag(green, LOCK_KEY)).toBeUndefined();
      expect(tag(await group(infra.autoScalingGroups.blue), LOCK_KEY)).toBeUndefined();
    },
    E2E_TIMEOUT,
  );
});
