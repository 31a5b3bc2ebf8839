import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Trade } from '../../../../shared/index';
import { capOldest, markedTrades, nextRange, withRange, type BarSpan } from './trade-range';

const trade = (n: number, ts: number): Trade => ({ id: `t${n}`, symbol: 'X', side: 'buy', qty: 1, price: 100, ts, agentId: null }) as Trade;
const ids = (trades: readonly Trade[]) => trades.map((t) => t.id);
const everything: BarSpan = { from: 0, to: Infinity, end: 1_000 };

describe('trade ranges', () => {
  it('joins touching or overlapping ranges into one that holds every trade of both, each once', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 60 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 100 }), (times, a, aw, b, bw) => {
        const all = times.map((ts, i) => trade(i, ts));
        const first = { from: a, to: a + aw };
        const second = { from: b, to: b + bw };
        const held = withRange(withRange(null, first, all, everything, 1_000), second, [...all, ...all], everything, 1_000)!;
        const joins = second.to >= first.from && second.from <= first.to;
        const from = joins ? Math.min(a, b) : b;
        const to = joins ? Math.max(first.to, second.to) : second.to;
        expect(held).toMatchObject({ from, to, capped: false });
        expect(ids(held.trades)).toEqual(ids(all.filter((t) => t.ts >= from && t.ts < to).sort((x, y) => x.ts - y.ts || (x.id < y.id ? -1 : 1))));
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it('caps at the newest trades, a whole timestamp at a time, and reads no further back once capped', () => {
    const all = [trade(1, 10), trade(2, 11), trade(3, 11), trade(4, 12)];
    const held = capOldest({ from: 0, to: Infinity, trades: all, capped: false }, 2)!;
    expect(held).toMatchObject({ from: 12, capped: true });
    expect(ids(held.trades)).toEqual(['t4']);
    expect(nextRange(held, { from: 0, to: Infinity, end: 20 }, 5)).toBeNull();
  });

  it('reads above what it holds before below it, and up to the newest once near it', () => {
    const held = { from: 50, to: 80, trades: [], capped: false };
    expect(nextRange(held, { from: 0, to: Infinity, end: 100 }, 10)).toEqual({ from: 80, to: 90 });
    expect(nextRange(held, { from: 0, to: Infinity, end: 85 }, 10)).toEqual({ from: 80, to: Infinity });
    expect(nextRange({ ...held, to: Infinity }, { from: 0, to: Infinity, end: 100 }, 10)).toEqual({ from: 40, to: 50 });
    expect(nextRange(null, { from: 0, to: Infinity, end: 100 }, 10)).toEqual({ from: 90, to: Infinity });
    expect(nextRange({ ...held, from: 0, to: Infinity }, { from: 0, to: Infinity, end: 100 }, 10)).toBeNull();
  });

  it('marks the trades of the bars held only, once each, history and stream alike', () => {
    const held = { from: 0, to: Infinity, trades: [trade(1, 5), trade(2, 9)], capped: false };
    expect(ids(markedTrades(held, [trade(2, 9), trade(3, 12), trade(4, 40)], { from: 6, to: 30, end: 30 }))).toEqual(['t2', 't3']);
  });
});
