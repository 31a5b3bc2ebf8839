import { describe, expect, it } from 'vitest';
import type { MetricSample } from '../../../../shared/index';
import { metricSeries, trendOf } from './metric-series';

let n = 0;
const sample = (name: string, value: number, labels: Record<string, string> = {}): MetricSample => ({ id: String(++n), name, value, labels, ts: n });

describe('metricSeries', () => {
  it('gives one series per name, in name order, with its values oldest first and its newest sample', () => {
    const series = metricSeries([sample('queue', 3), sample('orders', 1), sample('queue', 5), sample('orders', 2)], 10);
    expect(series.map((s) => s.name)).toEqual(['orders', 'queue']);
    expect(series[0]).toMatchObject({ values: [1, 2], latest: { name: 'orders', value: 2 }, count: 2 });
    expect(series[1]).toMatchObject({ values: [3, 5], latest: { value: 5 }, count: 2 });
    expect(series[1]!.samples.map((s) => s.value)).toEqual([3, 5]);
  });

  it('keeps the last maxPoints values of a name', () => {
    const samples = Array.from({ length: 8 }, (_, i) => sample('lat', i));
    expect(metricSeries(samples, 3)[0]).toMatchObject({ values: [5, 6, 7], count: 8, latest: { value: 7 } });
    // The export still has all of them.
    expect(metricSeries(samples, 3)[0]!.samples).toHaveLength(8);
  });

  it('puts samples of one name with other labels on the same line', () => {
    expect(metricSeries([sample('fills', 1, { desk: 'eq' }), sample('fills', 4, { desk: 'fx' })], 10)).toHaveLength(1);
  });

  it('is empty for no samples', () => {
    expect(metricSeries([], 10)).toEqual([]);
  });
});

describe('trendOf', () => {
  it('compares the last value with the first', () => {
    expect(trendOf([1, 3])).toBe('up');
    expect(trendOf([3, 9, 1])).toBe('down');
    expect(trendOf([2, 5, 2])).toBe('neutral');
    expect(trendOf([4])).toBe('neutral');
  });
});
