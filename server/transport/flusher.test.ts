import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFlusher, holdMs } from './flusher';

afterEach(() => {
  vi.useRealTimers();
});

describe('holdMs', () => {
  it('flushes at once when the last flush ended at least its own cost ago', () => {
    expect(holdMs(1_000, 900, 10, 16)).toBe(0);
    expect(holdMs(1_000, 990, 10, 16)).toBe(0);
    expect(holdMs(1_000, Number.NEGATIVE_INFINITY, 0, 16)).toBe(0);
  });

  it('holds the next flush back until as long as the last one took has passed since it ended, at most the budget', () => {
    expect(holdMs(1_000, 998, 10, 16)).toBe(8);
    expect(holdMs(1_000, 1_000, 40, 16)).toBe(16);
  });

  it('does not hold for less than a millisecond: the next turn of the event loop comes sooner', () => {
    expect(holdMs(1_000, 999.5, 1.2, 16)).toBe(0);
  });
});

describe('createFlusher', () => {
  it('flushes on the next turn while idle, and under load writes what several turns scheduled in one flush', async () => {
    vi.useFakeTimers({ toFake: ['setImmediate', 'setTimeout', 'performance'] });
    let clock = 0;
    const flusher = createFlusher({ now: () => clock, maxHoldMs: 16 });
    const flushes: number[] = [];
    let wrote = 0;
    // Each flush costs 10 ms of the fake clock, as writing to many sockets does.
    const target = {
      flush() {
        flushes.push(wrote);
        wrote = 0;
        clock += 10;
      },
    };
    const commit = () => {
      wrote++;
      flusher.schedule(target);
    };
    commit();
    await vi.advanceTimersToNextTimerAsync();
    expect(flushes).toEqual([1]);
    // Right after a 10 ms flush: held back, so the next three commits (three turns) share one.
    commit();
    await vi.advanceTimersByTimeAsync(2);
    expect(flushes).toEqual([1]);
    wrote++;
    wrote++;
    await vi.advanceTimersByTimeAsync(10);
    expect(flushes).toEqual([1, 3]);
    // Long after: at once again.
    clock += 1_000;
    commit();
    await vi.advanceTimersToNextTimerAsync();
    expect(flushes).toEqual([1, 3, 1]);
  });
});
