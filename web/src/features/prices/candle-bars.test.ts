import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Candle } from '../../../../shared/index';
import { fillBefore, INTERVAL_MS, MAX_PAGE, mergeBars } from './candle-bars';

const bar = (openTime: number, ticks = 1, close = 100): Candle => ({
  symbol: 'AAPL',
  interval: '1s',
  openTime,
  open: 100,
  high: Math.max(100, close),
  low: Math.min(100, close),
  close,
  volume: ticks * 10,
  ticks,
});

describe('merging pages of bars with the live bar', () => {
  it('appends the next live bar and replaces the open one with its later copy', () => {
    const held = [bar(1000), bar(2000, 2)];
    expect(mergeBars(held, [bar(3000)]).map((b) => b.openTime)).toEqual([1000, 2000, 3000]);
    const updated = mergeBars(held, [bar(2000, 3, 101)]);
    expect(updated[1]).toEqual(bar(2000, 3, 101));
    expect(held[1]!.ticks).toBe(2);
  });

  it('keeps the copy with more ticks when an older copy arrives late', () => {
    const held = [bar(1000), bar(2000, 5, 104)];
    expect(mergeBars(held, [bar(2000, 3, 102)])).toBe(held);
    expect(mergeBars(held, [bar(0), bar(2000, 3, 102)])[2]).toEqual(bar(2000, 5, 104));
  });

  it('returns the same array when nothing changes, so the chart is not redrawn', () => {
    const held = [bar(1000), bar(2000, 2)];
    expect(mergeBars(held, [])).toBe(held);
    expect(mergeBars(held, [bar(2000, 2)])).toBe(held);
  });

  it('never repeats, never skips and stays sorted, whatever the pages and their order', () => {
    // A desk's bars (distinct open times), cut into overlapping pages, with stale copies of some
    // bars (fewer ticks), merged one page at a time in any order.
    const bars = fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 80 }).map((times) =>
      times.sort((a, b) => a - b).map((t) => bar(t * 1000, 1 + (t % 7), 100 + (t % 13))),
    );
    const scenario = bars.chain((all) =>
      fc.record({
        all: fc.constant(all),
        pages: fc.array(
          fc.tuple(fc.nat(all.length - 1), fc.integer({ min: 1, max: 20 }), fc.boolean()).map(([start, size, stale]) =>
            all.slice(start, start + size).map((b) => (stale && b.ticks > 1 ? { ...b, ticks: b.ticks - 1, close: -1 } : b)),
          ),
          { maxLength: 12 },
        ),
        order: fc.infiniteStream(fc.nat()),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ all, pages, order }) => {
        // Every bar is in some page (the pager's pages cover the whole history) …
        const cover = [];
        for (let i = 0; i < all.length; i += 10) cover.push(all.slice(i, i + 10));
        const queue = [...pages, ...cover];
        const picks = order.take(queue.length)[Symbol.iterator]();
        let held: readonly Candle[] = [];
        while (queue.length > 0) {
          const [page] = queue.splice(picks.next().value % queue.length, 1);
          held = mergeBars(held, page!);
          const times = held.map((b) => b.openTime);
          expect(times).toEqual([...new Set(times)].sort((a, b) => a - b));
        }
        // … so the result is exactly the desk's bars, each in its latest copy.
        expect(held).toEqual(all);
      }),
      { numRuns: 100, seed: 15 },
    );
  });
});

describe('what to fetch when the live bar moves on', () => {
  it('asks for the closed bar again and every bar up to the open one', () => {
    expect(fillBefore(5_000, 8_000, 1_000)).toEqual({ kind: 'range', before: 8_000, limit: 3 });
    expect(fillBefore(60_000, 120_000, 60_000)).toEqual({ kind: 'range', before: 120_000, limit: 1 });
  });

  it('asks for nothing when the bar is not newer or nothing is held', () => {
    expect(fillBefore(8_000, 8_000, 1_000)).toBeNull();
    expect(fillBefore(undefined, 8_000, 1_000)).toBeNull();
  });

  it('reloads when the hole is wider than a page', () => {
    expect(fillBefore(0, (MAX_PAGE + 1) * 1_000, 1_000)).toEqual({ kind: 'reload' });
  });
});

describe('bar lengths', () => {
  it('match the desk\'s', async () => {
    const { candleIntervalMs } = await import('../../../../shared/schema/candles');
    expect(INTERVAL_MS).toEqual(candleIntervalMs);
  });
});
