import { DEFAULT_START_MS, VirtualClock } from '../../sim/index.js';

describe('VirtualClock', () => {
  it('starts at 2026-11-27T12:00Z unless told otherwise', () => {
    expect(new VirtualClock().now()).toBe(Date.UTC(2026, 10, 27, 12));
    expect(DEFAULT_START_MS).toBe(Date.UTC(2026, 10, 27, 12));
    expect(new VirtualClock(1000).now()).toBe(1000);
  });

  it('runs due events in time order, each at its own time, and ends at now + ms', () => {
    const clock = new VirtualClock(0);
    const seen: string[] = [];
    clock.schedule(300, () => seen.push(`c@${clock.now()}`));
    clock.schedule(100, () => {
      seen.push(`a@${clock.now()}`);
      clock.schedule(clock.now() + 50, () => seen.push(`a2@${clock.now()}`));
    });
    clock.schedule(200, () => seen.push(`b@${clock.now()}`));
    clock.schedule(200, () => seen.push(`b2@${clock.now()}`));
    clock.advance(250);
    expect(seen).toEqual(['a@100', 'a2@150', 'b@200', 'b2@200']);
    expect(clock.now()).toBe(250);
    expect(clock.pendingEvents()).toBe(1);
    const id = clock.schedule(260, () => seen.push('cancelled'));
    clock.cancel(id);
    clock.advance(100);
    expect(seen).toEqual(['a@100', 'a2@150', 'b@200', 'b2@200', 'c@300']);
    expect(clock.now()).toBe(350);
  });

  it('sleep advances virtual time at once and lets other promise chains progress', async () => {
    const clock = new VirtualClock(0);
    let other = 0;
    const chain = (async () => {
      await Promise.resolve();
      other++;
      await new Promise((r) => setImmediate(r));
      other++;
    })();
    const started = Date.now();
    await clock.sleep(3_600_000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(clock.now()).toBe(3_600_000);
    expect(other).toBeGreaterThanOrEqual(1);
    await chain;
  });

  it('sleep rejects with the abort reason, before advancing when already aborted', async () => {
    const clock = new VirtualClock(0);
    const ac = new AbortController();
    const reason = new Error('cancelled by the user');
    ac.abort(reason);
    await expect(clock.sleep(1000, ac.signal)).rejects.toBe(reason);
    expect(clock.now()).toBe(0);
  });

  it('sleep rejects when the signal is aborted during the yield', async () => {
    const clock = new VirtualClock(0);
    const ac = new AbortController();
    const p = clock.sleep(1000, ac.signal);
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(clock.now()).toBe(1000);
  });

  it('refuses to go back in time', () => {
    expect(() => new VirtualClock(0).advance(-1)).toThrow(RangeError);
  });
});
