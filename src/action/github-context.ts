/**
 * The run and its event as `@actions/github`'s `context` has them (the toolkit
 * reads GITHUB_* and the event payload): who holds the lock, the run URL the
 * summary and the record name, and a dispatch's `reason`. Pure, so tests hand
 * in a context of their own; the entry files pass the toolkit's.
 */
import type { context } from '@actions/github';
import type { RunIdentity } from '../state/lock.js';

/** The parts of the toolkit's context the action reads. */
export type GitHubRun = Pick<typeof context, 'serverUrl' | 'runId' | 'runAttempt' | 'payload'> & {
  readonly repo: { owner: string; repo: string };
};

export function runIdentity(github: GitHubRun): RunIdentity {
  const runId = Number.isFinite(github.runId) ? String(github.runId) : undefined;
  const repository = repositoryOf(github);
  return {
    runId: runId ?? 'local',
    attempt: github.runAttempt || 1,
    runUrl:
      repository && runId
        ? `${github.serverUrl}/${repository}/actions/runs/${runId}`
        : `run ${runId ?? 'local'}`,
  };
}

/** `asg-deploy/0.1.0 md/run_id#42`: CloudTrail shows which run sent a call. */
export function userAgent(name: string, github: Pick<GitHubRun, 'runId'>): string {
  return `${name}${Number.isFinite(github.runId) ? ` md/run_id#${github.runId}` : ''}`;
}

/**
 * Why a rollback was asked for: the `reason` input of the workflow itself
 * (workflow_dispatch), from the event payload. The action's own inputs are a
 * fixed contract, so the reason is not one of them.
 */
export function workflowReason(payload: GitHubRun['payload']): string | undefined {
  const inputs: unknown = payload.inputs;
  const reason =
    typeof inputs === 'object' && inputs !== null ? (inputs as { reason?: unknown }).reason : undefined;
  return typeof reason === 'string' && reason.trim() !== '' ? reason.trim().slice(0, 500) : undefined;
}

/** `owner/repo`, or undefined outside Actions (the toolkit's `repo` throws there). */
function repositoryOf(github: GitHubRun): string | undefined {
  try {
    const { owner, repo } = github.repo;
    return `${owner}/${repo}`;
  } catch {
    return undefined;
  }
}
