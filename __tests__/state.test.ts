import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLogger } from '../src/engine/log.js';
import { needsUndo } from '../src/pipeline/clean-up-after-main.js';
import { workflowReason } from '../src/action/deploy.js';
import { checkLocks, LockHeldError, lockTags, newLock, parseLock } from '../src/state/lock.js';
import { newestRecord, parseRecord, recordTags } from '../src/state/record.js';
import type { SavedRun } from '../src/state/saved-run.js';

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
  const dir = mkdtempSync(join(tmpdir(), 'event-'));
  const path = join(dir, 'event.json');
  writeFileSync(path, JSON.stringify({ inputs: { environment: 'production', reason: ' 5xx after v7 ' } }));
  expect(workflowReason(path)).toBe('5xx after v7');
  writeFileSync(path, JSON.stringify({ inputs: { environment: 'production' } }));
  expect(workflowReason(path)).toBeUndefined();
  expect(workflowReason(undefined)).toBeUndefined();
});
