import { describe, expect, it } from 'vitest';
import { nextFocus } from './chart-focus';

describe('the chart focus', () => {
  it('counts every pick, so the same trade picked twice is a new request to scroll to it', () => {
    const trade = { tradeId: 't1', symbol: 'AAPL', side: 'buy' as const, ts: 5 };
    const first = nextFocus(undefined, 'AAPL', trade);
    const again = nextFocus(first, 'AAPL', trade);
    expect(first).toEqual({ symbol: 'AAPL', trade, seq: 1 });
    expect(again.seq).toBe(2);
    expect(nextFocus(again, 'MSFT')).toEqual({ symbol: 'MSFT', trade: null, seq: 3 });
  });
});
