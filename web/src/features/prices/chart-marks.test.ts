import { replaceEqualDeep } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { AlertRule, Candle, Position, Trade } from '../../../../shared/index';
import { barOf, priceLines, readoutOf, tradeMarks } from './chart-marks';

const bar = (openTime: number, open = 100, close = 100): Candle => ({ symbol: 'AAPL', interval: '1m', openTime, open, high: Math.max(open, close), low: Math.min(open, close), close, volume: 1_500, ticks: 3 });
const trade = (id: string, ts: number, side: Trade['side'] = 'buy'): Trade => ({ id, symbol: 'AAPL', side, qty: 7, price: 101.5, agentId: null, decisionId: null, realizedPnl: 0, ts });
const M = 60_000;
const bars = [bar(0), bar(M), bar(3 * M)];

describe('trades on the chart', () => {
  it('are the same marks again when a tick moves the newest bar, and new ones when the focus moves', () => {
    const trades = [trade('a', 10), trade('b', 3 * M + 1, 'sell')];
    const marks = tradeMarks(trades, bars, null);
    const ticked = bars.map((b, i) => (i === bars.length - 1 ? { ...b, close: b.close + 1, ticks: b.ticks + 1 } : b));
    expect(replaceEqualDeep(marks, tradeMarks(trades, ticked, null))).toBe(marks);
    expect(replaceEqualDeep(marks, tradeMarks(trades, ticked, { tradeId: 'b', symbol: 'AAPL', side: 'sell', ts: 3 * M }))).not.toBe(marks);
  });

  it('puts a trade on the bar it happened in, or the last bar before it when its own had no tick', () => {
    expect(barOf(bars, 30_000)).toBe(0);
    expect(barOf(bars, M)).toBe(M);
    expect(barOf(bars, 2 * M + 5)).toBe(M);
    expect(barOf(bars, 3 * M + 59_999)).toBe(3 * M);
    expect(barOf(bars, 9 * M)).toBe(3 * M);
  });

  it('leaves out trades older than the bars the chart holds', () => {
    expect(barOf(bars, -1)).toBeUndefined();
    expect(barOf([], 0)).toBeUndefined();
    expect(tradeMarks([trade('a', -5)], bars, null)).toEqual([]);
  });

  it('marks buys and sells oldest first, in seconds, and highlights the focused one with its words', () => {
    const marks = tradeMarks([trade('b', 3 * M + 1, 'sell'), trade('a', 10)], bars, { tradeId: 'b', symbol: 'AAPL', side: 'sell', ts: 3 * M });
    expect(marks).toEqual([
      { id: 'a', time: 0, side: 'buy', text: 'B', highlighted: false },
      { id: 'b', time: 180, side: 'sell', text: 'sell 7 @ 101.50', highlighted: true },
    ]);
  });

  it('marks a focused trade the chart does not hold from what the focus says', () => {
    const marks = tradeMarks([], bars, { tradeId: 'old', symbol: 'AAPL', side: 'buy', ts: M + 3 });
    expect(marks).toEqual([{ id: 'old', time: 60, side: 'buy', text: 'buy', highlighted: true }]);
  });
});

describe('price lines', () => {
  const position: Position = { id: 'p', symbol: 'AAPL', side: 'long', qty: 10, avgPrice: 99.25, lastPrice: 100, marketValue: 1_000, unrealizedPnl: 7.5, realizedPnl: 0, openedAt: 0, closedAt: null };
  const rule = (id: string, symbol: string, threshold: number, condition: AlertRule['condition'] = 'above'): AlertRule => ({ id, symbol, condition, threshold, severity: 'warning', message: null, armed: true, createdAt: 0 });

  it('are the same lines again after a tick that moves only the price, and new ones when the average or a threshold moves', () => {
    // The chart keeps the lines it was given while the new ones are deeply equal (useSameValue).
    const lines = priceLines('AAPL', position, [rule('r1', 'AAPL', 120)]);
    const ticked = { ...position, lastPrice: 101, marketValue: 1_010, unrealizedPnl: 17.5 };
    expect(replaceEqualDeep(lines, priceLines('AAPL', ticked, [rule('r1', 'AAPL', 120)]))).toBe(lines);
    expect(replaceEqualDeep(lines, priceLines('AAPL', { ...ticked, avgPrice: 99.5 }, [rule('r1', 'AAPL', 120)]))).not.toBe(lines);
    expect(replaceEqualDeep(lines, priceLines('AAPL', ticked, [rule('r1', 'AAPL', 121)]))).not.toBe(lines);
  });

  it("draws the open position's average price and each of the symbol's alert thresholds", () => {
    expect(priceLines('AAPL', position, [rule('r1', 'AAPL', 110), rule('r2', 'MSFT', 300), rule('r3', 'AAPL', 90, 'below')])).toEqual([
      { id: 'avg', kind: 'avg', price: 99.25, title: 'avg long' },
      { id: 'alert:r1', kind: 'alert', price: 110, title: 'alert ≥' },
      { id: 'alert:r3', kind: 'alert', price: 90, title: 'alert ≤' },
    ]);
  });

  it('draws no average for a closed or flat position, or another symbol\'s', () => {
    expect(priceLines('AAPL', { ...position, qty: 0 }, [])).toEqual([]);
    expect(priceLines('AAPL', { ...position, closedAt: 5 }, [])).toEqual([]);
    expect(priceLines('MSFT', position, [])).toEqual([]);
  });
});

describe('the crosshair readout', () => {
  it('says the bar in words, with the date only when it is not today', () => {
    const now = new Date(2026, 11, 1, 15, 0, 0).getTime();
    const today = new Date(2026, 11, 1, 14, 3, 0).getTime();
    expect(readoutOf(bar(today, 100, 101.25), now)).toEqual({ time: '14:03:00', open: '100.00', high: '101.25', low: '100.00', close: '101.25', volume: '1.5K', tone: 'pos' });
    const before = new Date(2026, 10, 30, 9, 5, 0).getTime();
    expect(readoutOf(bar(before, 100, 99), now)).toMatchObject({ time: '2026-11-30 09:05:00', tone: 'neg' });
  });
});
