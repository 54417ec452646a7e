import { randomUUID } from 'node:crypto';
import type { Config } from '../inputs/config.js';
import { checkLocks, type LockHolder, type RunIdentity } from '../state/lock.js';
import { type DeploymentRecord, newestRecord, TAG_PREFIX } from '../state/record.js';
import { checkStaged, findStaged } from '../state/staged.js';
import { type PreparedDeployment, strategyFor } from '../strategies/index.js';
import { takeOverSteps } from '../strategies/staged-takeover.js';
import type { DeploymentDeps } from './run-deployment.js';
import { rollbackGuard } from './run-status.js';
import type { GroupHooks } from '../aws/index.js';
import { readGroupHooks } from './hooks-preflight.js';
import { type LeftSuspended, leftSuspended } from '../state/lock-suspends.js';

export type Preflight =
  | {
      prepared: PreparedDeployment;
      /** The newest deployment record on the groups, if any. */
      record?: DeploymentRecord;
      /** The lifecycle hooks of each group the run touches. */
      hooks: GroupHooks;
      /** Scaling processes runs that did not finish left suspended on the groups (no lock there is live). */
      left: LeftSuspended[];
    }
  | {
      /** A rollback with expected-version-label where that release does not serve: what serves instead. */
      notServing: string;
      record?: DeploymentRecord;
    };

/**
 * Read only: the lock first (a run in progress elsewhere explains what
 * pre-flight would find half-done), the record, then the strategy's own checks
 * and plan. Throws PreflightError (or an AWS error) when the run cannot go on.
 * A rollback with expected-version-label stops after the lock check when the
 * record does not name that release as serving: nothing to prepare.
 */
export async function preflight(
  config: Config,
  deps: DeploymentDeps,
  p: { groups: string[]; lock: LockHolder; run: RunIdentity },
): Promise<Preflight> {
  return deps.log.group('Pre-flight checks', async () => {
    const tags = await deps.aws.autoScaling.readTags(p.groups, TAG_PREFIX);
    checkLocks(tags, p.groups, p.lock, deps.clock.now(), deps.log);
    const record = newestRecord(tags);
    const staged = findStaged(tags);
    const notServing = rollbackGuard(config, record, staged);
    if (notServing !== undefined) return { notServing, ...(record && { record }) };
    // promote and abort act on the stage; retire refuses any stage itself (even an expired one:
    // its fleet is the staged release, not the previous one); every other run is refused while one is live.
    const takeover =
      config.mode === 'promote' || config.mode === 'abort' || config.mode === 'retire'
        ? undefined
        : checkStaged(staged, config.mode === 'plan' ? 'deploy' : config.mode, deps.clock.now(), (m) =>
            deps.log.warning(m),
          );
    const prepared = await strategyFor(config)(config, {
      aws: deps.aws,
      log: deps.log,
      runToken: randomUUID(),
      runLabel: deps.runLabel ?? p.run.runUrl,
      now: deps.clock.now(),
      tags,
      staged,
      ...(takeover && { takeover }),
      ...(record && { record }),
    });
    if (takeover && !prepared.unchanged) {
      const steps = await takeOverSteps(deps.aws, {
        groups: p.groups,
        staged: takeover,
        tags,
        log: deps.log,
      });
      prepared.plan = { steps: [...steps, ...prepared.plan.steps] };
    }
    const hooks = prepared.unchanged ? new Map() : await readGroupHooks(config, deps, p.groups);
    // checkLocks passed: no lock found on the groups is live, so every lock-suspends tag is a dead run's
    const left = leftSuspended(tags, prepared.groups ?? [], () => false);
    return { prepared, hooks, left, ...(record && { record }) };
  });
}
