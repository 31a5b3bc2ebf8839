import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addSample, bucketStart, dayOpenOf, mergeSamples, summarizeEquity, utcDayStart, type EquitySample } from './equity-math';
import type { EquityPoint } from './schema/equity';

const fcParams = { numRuns: 100, seed: process.env.FC_SEED === undefined ? 20261201 : Number(process.env.FC_SEED) };

const DAY = 24 * 3600_000;
const T0 = Date.UTC(2026, 11, 1);
const sample = (ts: number, equity: number): EquitySample => ({ ts, equity, cash: equity / 2, realizedPnl: 0, unrealizedPnl: 0 });
const point = (ts: number, equity: number, open = equity): EquityPoint => ({
  ts, open, high: Math.max(open, equity), low: Math.min(open, equity), equity, cash: 0, realizedPnl: 0, unrealizedPnl: 0, samples: 1,
});

/** Drawdowns the plain way: for every point, every earlier (or the same) point's equity minus its own. */
function deepestDrop(equities: number[]): number {
  let deepest = 0;
  equities.forEach((e, j) => equities.slice(0, j + 1).forEach((peak) => (deepest = Math.min(deepest, e - peak))));
  return deepest;
}

describe('equity math', () => {
  it('buckets on UTC boundaries, a sample exactly on one opening the next bucket', () => {
    expect(bucketStart(T0 + 59_999, '1m')).toBe(T0);
    expect(bucketStart(T0 + 60_000, '1m')).toBe(T0 + 60_000);
    expect(bucketStart(T0 + 3_599_999, '1h')).toBe(T0);
    expect(utcDayStart(T0 + DAY - 1)).toBe(T0);
    expect(utcDayStart(T0 + DAY)).toBe(T0 + DAY);
  });

  it('folds samples into a bucket (open first, high, low, last values) and a sample stamped back in time into the newest', () => {
    let p = addSample(undefined, sample(T0 + 100, 10), '1s');
    p = addSample(p, sample(T0 + 400, 14), '1s');
    p = addSample(p, sample(T0 + 900, 8), '1s');
    expect(p).toEqual({ ts: T0, open: 10, high: 14, low: 8, equity: 8, cash: 4, realizedPnl: 0, unrealizedPnl: 0, samples: 3 });
    const next = addSample(p, sample(T0 + 1000, 9), '1s');
    expect(next.ts).toBe(T0 + 1000);
    expect(addSample(next, sample(T0 + 200, 20), '1s')).toMatchObject({ ts: T0 + 1000, high: 20, equity: 20, samples: 2 });
  });

  it('extends a series by live samples, keeping the newest limit points and none that ended before since', () => {
    const series = [point(T0, 10), point(T0 + 1000, 11)];
    expect(mergeSamples(series, [], '1s', 10)).toBe(series);
    const merged = mergeSamples(series, [sample(T0 + 1500, 12), sample(T0 + 2000, 13), sample(T0 + 5000, 9)], '1s', 3);
    expect(merged.map((p) => [p.ts - T0, p.open, p.equity])).toEqual([[1000, 11, 12], [2000, 13, 13], [5000, 9, 9]]);
    expect(mergeSamples(series, [sample(T0 + 3000, 5)], '1s', 10, T0 + 1200).map((p) => p.ts - T0)).toEqual([1000, 3000]);
  });

  it('opens the day at the value held at midnight, else at the first sample of the day', () => {
    const day = T0 + DAY;
    expect(dayOpenOf([point(T0 + 5_000, 90), point(day - 3_600_000, 95, 91), point(day + 60_000, 99, 97)], day)).toBe(95);
    expect(dayOpenOf([point(day + 60_000, 99, 97), point(day + 120_000, 98)], day)).toBe(97);
    expect(dayOpenOf([], day)).toBeNull();
  });

  it('computes drawdown from the running peak and day P&L from the day open', () => {
    const s = summarizeEquity([point(T0, 100), point(T0 + 1, 120), point(T0 + 2, 90), point(T0 + 3, 130), point(T0 + 4, 117)], 110);
    expect(s).toEqual({ peak: 130, drawdown: -13, drawdownPct: -0.1, maxDrawdown: -30, maxDrawdownPct: -0.25, dayPnl: 7 });
    expect(summarizeEquity([], null)).toEqual({ peak: null, drawdown: 0, drawdownPct: 0, maxDrawdown: 0, maxDrawdownPct: 0, dayPnl: null });
  });

  it('finds the deepest peak-to-later-trough drop of any series, never below zero, and the latest drop from the peak', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 60 }), (equities) => {
        const s = summarizeEquity(equities.map((e, i) => point(T0 + i * 1000, e)), equities[0]!);
        expect(s.maxDrawdown).toBe(deepestDrop(equities));
        expect(s.drawdown).toBe(equities.at(-1)! - Math.max(...equities));
        expect(s.maxDrawdown).toBeLessThanOrEqual(s.drawdown);
        expect(s.dayPnl).toBe(equities.at(-1)! - equities[0]!);
      }),
      fcParams,
    );
  });
});
