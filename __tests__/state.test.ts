import { MemoryLogger } from '../src/engine/log.js';
import { needsUndo } from '../src/pipeline/clean-up-after-main.js';
import { runIdentity, userAgent, workflowReason } from '../src/action/github-context.js';
import { checkLocks, LockHeldError, lockTags, newLock, parseLock } from '../src/state/lock.js';
import { newestRecord, parseRecord, recordTags } from '../src/state/record.js';
import { readSavedRun, type SavedRun, type StateName } from '../src/state/saved-run.js';

const entry = {
  versionLabel: 'v7',
  launchTemplateId: 'lt-0abc',
  launchTemplateVersion: '7',
  color: 'green' as const,
  group: 'web-green',
  time: '2026-11-27T12:00:00.000Z',
  runUrl: 'https://github.com/acme/shop/actions/runs/7',
};

describe('deployment record tags', () => {
  test('round-trip, with and without a previous entry', () => {
    const previous = { ...entry, versionLabel: 'v6', launchTemplateVersion: '6', color: 'blue' as const };
    expect(parseRecord(recordTags({ current: entry, previous }))).toEqual({ current: entry, previous });
    expect(parseRecord(recordTags({ current: entry }))).toEqual({ current: entry });
    expect(Object.keys(recordTags({ current: entry })).every((k) => k.startsWith('asg-deploy:'))).toBe(true);
  });

  test('the newest record of several groups wins; no record reads as undefined', () => {
    const older = recordTags({
      current: { ...entry, time: '2026-01-01T00:00:00.000Z', versionLabel: 'old' },
    });
    expect(
      newestRecord(
        new Map([
          ['a', older],
          ['b', recordTags({ current: entry })],
        ]),
      )?.current.versionLabel,
    ).toBe('v7');
    expect(newestRecord(new Map([['a', { Name: 'web' }]]))).toBeUndefined();
  });
});

describe('lock tags', () => {
  const me = { runId: '2', attempt: 1, runUrl: 'u2' };
  test('round-trip', () => {
    const lock = newLock({ runId: '1', attempt: 3, runUrl: 'https://x/runs/1' }, '1.3.ab', 1_800_000_000_000);
    expect(parseLock(lockTags(lock))).toEqual(lock);
  });
  test('an unreadable lock is held, never guessed away', () => {
    expect(() =>
      checkLocks(
        new Map([['g', { 'asg-deploy:lock': 'garbage' }]]),
        ['g'],
        { ...me, token: 't' },
        0,
        new MemoryLogger(),
      ),
    ).toThrow(LockHeldError);
  });
});

describe('post step decisions', () => {
  const saved = (journal: SavedRun['journal'], finished = false): SavedRun => ({
    context: { region: 'us-east-1', pollIntervalMs: 1000, autoRollback: true },
    journal,
    finished,
  });
  const step = (id: string, phase: 'deploy' | 'cleanup', status: 'running' | 'done' | 'undone') => ({
    id,
    title: id,
    phase,
    status,
    startedAt: 0,
    undo:
      phase === 'deploy'
        ? [{ kind: 'restore-group' as const, group: 'g', min: 0, max: 0, desired: 0 }]
        : undefined,
  });
  test('undo only an interrupted deploy phase', () => {
    expect(needsUndo(saved([step('a', 'deploy', 'running')]))).toBe(true);
    expect(needsUndo(saved([step('a', 'deploy', 'done')], true))).toBe(false);
    expect(needsUndo(saved([step('a', 'deploy', 'done'), step('r', 'cleanup', 'running')]))).toBe(false);
    expect(needsUndo(saved([step('a', 'deploy', 'undone')]))).toBe(false);
  });
});

test('the rollback reason comes from the workflow_dispatch input "reason"', () => {
  expect(workflowReason({ inputs: { environment: 'production', reason: ' 5xx after v7 ' } })).toBe(
    '5xx after v7',
  );
  expect(workflowReason({ inputs: { environment: 'production' } })).toBeUndefined();
  expect(workflowReason({ inputs: { reason: 42 } })).toBeUndefined();
  expect(workflowReason({})).toBeUndefined();
});

test('the run comes from the GitHub context: its URL, id and attempt; a local run without one', () => {
  const github = {
    serverUrl: 'https://github.example',
    runId: 4242,
    runAttempt: 2,
    payload: {},
    repo: { owner: 'octo-org', repo: 'shop' },
  };
  expect(runIdentity(github)).toEqual({
    runId: '4242',
    attempt: 2,
    runUrl: 'https://github.example/octo-org/shop/actions/runs/4242',
  });
  const local = {
    ...github,
    runId: NaN,
    runAttempt: NaN,
    get repo(): { owner: string; repo: string } {
      throw new Error("context.repo requires a GITHUB_REPOSITORY environment variable like 'owner/repo'");
    },
  };
  expect(runIdentity(local)).toEqual({ runId: 'local', attempt: 1, runUrl: 'run local' });
  expect(userAgent('asg-deploy/0.1.0', github)).toBe('asg-deploy/0.1.0 md/run_id#4242');
  expect(userAgent('asg-deploy/0.1.0', local)).toBe('asg-deploy/0.1.0');
});

describe('saved runner state', () => {
  const context = JSON.stringify({ region: 'us-east-1', pollIntervalMs: 10_000, autoRollback: true });
  const journal = JSON.stringify([
    {
      id: 'a',
      title: 'Shift',
      phase: 'deploy',
      status: 'running',
      startedAt: 1,
      undo: [{ kind: 'restore-group' }],
    },
  ]);
  const read = (state: Partial<Record<StateName, string>>) => readSavedRun((name) => state[name] ?? '');

  test('reads back what main saved', () => {
    const saved = read({
      context,
      journal,
      lock: JSON.stringify({ token: 't', groups: ['web'] }),
      finished: 'true',
    });
    expect(saved).toMatchObject({ lock: { token: 't', groups: ['web'] }, finished: true });
    expect(saved?.journal.map((e) => e.id)).toEqual(['a']);
  });

  test('state of another shape reads as missing, never as a half-typed object', () => {
    expect(read({ context: JSON.stringify({ region: 'us-east-1' }) })).toBeUndefined();
    expect(read({ context: '{not json' })).toBeUndefined();
    const bad = read({
      context,
      journal: JSON.stringify([{ id: 'a', phase: 'later' }]),
      lock: '{"token":1}',
    });
    expect(bad).toEqual({
      context: { region: 'us-east-1', pollIntervalMs: 10_000, autoRollback: true },
      journal: [],
      finished: false,
    });
  });
});
