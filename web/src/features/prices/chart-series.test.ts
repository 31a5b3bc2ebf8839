import { describe, expect, it } from 'vitest';
import type { Candle } from '../../../../shared/index';
import { chartSeries } from './chart-series';

const bar = (openTime: number, close: number): Candle => ({ symbol: 'A', interval: '1m', openTime, open: close, high: close, low: close, close, volume: 0, ticks: 1 });

describe('chartSeries', () => {
  it('starts with the closes of the stored bars and goes on with the ticks after the newest bar opened', () => {
    const series = chartSeries([bar(60_000, 10), bar(120_000, 11)], { t: [100, 119, 121, 130], p: [1, 2, 3, 4] });
    expect(series).toEqual({ t: [60, 120, 121, 130], p: [10, 11, 3, 4] });
  });

  it('is the live ticks alone while the desk has no bars, and the bars alone before any tick', () => {
    const live = { t: [1, 2], p: [5, 6] };
    expect(chartSeries([], live)).toBe(live);
    expect(chartSeries([bar(0, 7)], undefined)).toEqual({ t: [0], p: [7] });
    expect(chartSeries([], undefined)).toEqual({ t: [], p: [] });
  });
});
