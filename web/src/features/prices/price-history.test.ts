import { describe, expect, it } from 'vitest';
import type { PriceTick } from '../../../../shared/index';
import { appendPriceHistory, ticksOf } from './price-history';

const tick = (symbol: string, price: number, ts: number): PriceTick => ({ symbol, price, bid: price, ask: price, change: 0, changePct: 0, volume: 0, ts });

describe('appendPriceHistory', () => {
  it('appends new ticks per symbol and keeps the newest points', () => {
    let h = appendPriceHistory({}, [tick('A', 1, 1000), tick('B', 5, 1000)], 2);
    h = appendPriceHistory(h, [tick('A', 2, 2000)], 2);
    h = appendPriceHistory(h, [tick('A', 3, 3000)], 2);
    expect(h.A).toEqual({ t: [2, 3], p: [2, 3] });
    expect(h.B).toEqual({ t: [1], p: [5] });
  });

  it('ignores a tick it already has (a resync snapshot) and keeps untouched symbols by reference', () => {
    const h = appendPriceHistory({}, [tick('A', 1, 1000), tick('B', 5, 1000)], 10);
    const again = appendPriceHistory(h, [tick('A', 1, 1000), tick('B', 5, 1000)], 10);
    expect(again).toBe(h);
    const moved = appendPriceHistory(h, [tick('A', 2, 2000)], 10);
    expect(moved.B).toBe(h.B);
    expect(moved.A?.p).toEqual([1, 2]);
  });

  it('takes ticks from snapshots and changes', () => {
    expect(ticksOf([{ type: 'snapshot', items: [tick('A', 1, 1)] }, { type: 'changes', upserts: [tick('B', 2, 2)] }]).map((t) => t.symbol)).toEqual(['A', 'B']);
  });
});
