import { describeHook, type GroupHooks, LAUNCHING, type LifecycleHook } from '../aws/index.js';
import type { Config } from '../inputs/config.js';
import type { DeploymentDeps } from './run-deployment.js';
import { formatDuration, SECOND } from '../util/time.js';

const SCALE_DOWN_ONLY: readonly string[] = ['abort', 'retire'];

/**
 * Pre-flight: the lifecycle hooks of every group the run touches (one
 * DescribeLifecycleHooks per group), listed in the log. A launching hook whose
 * heartbeat outlasts `health-timeout` (rolling, recreate: `timeout`, which bounds
 * their Instance Refresh) gets a warning: its instances may sit in
 * Pending:Wait for the whole heartbeat (and with DefaultResult ABANDON are then
 * terminated), so the health wait can run out first. The waits name the hooks
 * in their progress lines from what is read here.
 */
export async function readGroupHooks(
  config: Config,
  deps: Pick<DeploymentDeps, 'aws' | 'log'>,
  groups: readonly string[],
): Promise<GroupHooks> {
  const found = new Map<string, LifecycleHook[]>();
  // What bounds the wait for new instances: blue/green's health wait; rolling's and recreate's
  // Instance Refresh runs within the whole deployment's timeout.
  const [input, boundMs] =
    config.strategy === 'blue-green'
      ? ['health-timeout', config.healthTimeoutMs]
      : ['timeout', config.timeoutMs];
  // Modes that only take a fleet down launch nothing: the hooks are listed, no warning.
  const launches = !SCALE_DOWN_ONLY.includes(config.mode);
  const lists = await Promise.all(groups.map((g) => deps.aws.autoScaling.describeLifecycleHooks(g)));
  groups.forEach((group, i) => {
    const hooks = lists[i] ?? [];
    found.set(group, hooks);
    if (hooks.length > 0)
      deps.log.info(`${group} has lifecycle hook(s): ${hooks.map(describeHook).join('; ')}`);
    for (const hook of hooks) {
      const heartbeatMs = hook.heartbeatSeconds * SECOND;
      if (hook.transition !== LAUNCHING || boundMs >= heartbeatMs || !launches) continue;
      deps.log.warning(
        `${input} ${formatDuration(boundMs)} is shorter than the heartbeat timeout of lifecycle hook ${hook.name} on ${group} (${formatDuration(heartbeatMs)}, ${hook.heartbeatSeconds}s): new instances can wait in Pending:Wait for the whole heartbeat${hook.defaultResult === 'ABANDON' ? ' and are then terminated (DefaultResult ABANDON)' : ''}, so the deploy may time out and roll back first. Raise ${input} above ${formatDuration(heartbeatMs)}, or have the hook completed (CompleteLifecycleAction) sooner.`,
      );
    }
  });
  return found;
}
