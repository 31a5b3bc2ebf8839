import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Candle } from '../../shared/schema/candles';
import { candlePage } from './candle-pages';

const fcParams = { numRuns: 200, seed: process.env.FC_SEED === undefined ? 20261201 : Number(process.env.FC_SEED) };

const bar = (openTime: number): Candle => ({ symbol: 'T', interval: '1m', openTime, open: 1, high: 1, low: 1, close: 1, volume: 0, ticks: 1 });

describe('candle pages', () => {
  it('paged backward by nextBefore return every bar once, in order, the open bar from memory', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        (times, limit, withOpen) => {
          const sorted = [...times].sort((a, b) => a - b).map((t) => t * 60_000);
          // The stored copy of the open bar is older than the one in memory, and must not show.
          const stored = sorted.map((t) => bar(t));
          const open = withOpen && sorted.length > 0 ? { ...bar(sorted.at(-1)!), ticks: 99 } : undefined;
          const older = (upTo: number, n: number) => stored.filter((c) => c.openTime < upTo).reverse().slice(0, n);
          const seen: Candle[] = [];
          let before: number | undefined;
          for (let pages = 0; pages <= sorted.length + 1; pages++) {
            const page = candlePage(open, older, before, limit);
            expect(page.candles.length).toBeLessThanOrEqual(limit);
            seen.unshift(...page.candles);
            if (page.nextBefore === null) break;
            expect(page.candles.length).toBe(limit);
            before = page.nextBefore;
          }
          expect(seen.map((c) => c.openTime)).toEqual(sorted);
          if (open) expect(seen.at(-1)).toEqual(open);
        },
      ),
      fcParams,
    );
  });

  it('has no page before the first bar', () => {
    expect(candlePage(undefined, () => [], undefined, 10)).toEqual({ candles: [], nextBefore: null });
  });
});
