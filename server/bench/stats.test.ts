import { describe, expect, it } from 'vitest';
import { Histogram, median, ratio } from './stats';

describe('Histogram', () => {
  it('reports nearest-rank percentiles over whole milliseconds', () => {
    const h = new Histogram();
    for (let ms = 1; ms <= 100; ms++) h.add(ms);
    expect(h.percentile(50)).toBe(50);
    expect(h.percentile(99)).toBe(99);
    expect(h.percentile(100)).toBe(100);
    expect(h.max).toBe(100);
    expect(h.count).toBe(100);
  });

  it('merges pairs from another histogram as if the samples were added here', () => {
    const a = new Histogram();
    const b = new Histogram();
    a.add(3, 10);
    b.add(7, 30);
    b.add(3.4);
    a.merge(b.toPairs());
    expect(a.count).toBe(41);
    expect(a.percentile(25)).toBe(3);
    expect(a.percentile(50)).toBe(7);
  });

  it('counts samples above a threshold and answers NaN when empty', () => {
    const h = new Histogram();
    expect(h.percentile(50)).toBeNaN();
    h.add(5);
    h.add(1500, 2);
    expect(h.above(1000)).toBe(2);
    expect(h.above(1500)).toBe(0);
  });
});

describe('median and ratio', () => {
  it('takes the middle value, or the mean of the middle two, ignoring missing values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([Number.NaN, 5])).toBe(5);
    expect(median([])).toBeNaN();
  });

  it('divides only when both sides are known and the divisor is not zero', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeNaN();
    expect(ratio(undefined, 2)).toBeNaN();
  });
});
