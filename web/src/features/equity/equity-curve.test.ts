import { describe, expect, it } from 'vitest';
import { summarizeEquity, type EquityHistory, type EquityPoint, type EquitySample } from '../../../../shared/index';
import { curveGeometry, equityRange, keepSamples, liveCurve } from './equity-curve';

const DAY = 24 * 3600_000;
const T0 = Date.UTC(2026, 11, 1, 23, 59, 50);
const point = (ts: number, equity: number): EquityPoint => ({ ts, open: equity, high: equity, low: equity, equity, cash: 0, realizedPnl: 0, unrealizedPnl: 0, samples: 1 });
const sample = (ts: number, equity: number): EquitySample => ({ ts, equity, cash: 0, realizedPnl: 0, unrealizedPnl: 0 });
const answer = (points: EquityPoint[], to: number, dayOpen: number | null): EquityHistory => ({
  resolution: '1s',
  points,
  to,
  truncated: false,
  dayStart: Math.floor(to / DAY) * DAY,
  dayOpen,
  summary: summarizeEquity(points, dayOpen),
});

describe('the live equity curve', () => {
  it('is the answer itself until a sample newer than it arrives, with the desk’s own figures', () => {
    const a = answer([point(T0, 100), point(T0 + 1000, 120), point(T0 + 2000, 90)], T0 + 2500, 95);
    const view = liveCurve(a, [sample(T0 + 2400, 1)], null);
    expect(view.points).toEqual(a.points);
    expect(view.summary).toEqual(a.summary);
  });

  it('folds newer samples into the newest bucket or opens the next, and rolls the day open over at UTC midnight', () => {
    const a = answer([point(T0, 100), point(T0 + 1000, 120)], T0 + 1500, 95);
    const view = liveCurve(a, [sample(T0 + 1700, 110), sample(T0 + 9000, 105), sample(T0 + 11_000, 130)], null);
    expect(view.points.map((p) => [p.ts - T0, p.equity])).toEqual([[0, 100], [1000, 110], [9000, 105], [11_000, 130]]);
    // T0 + 10 s is midnight: the day opens at the value held then (105).
    expect(view.dayStart).toBe(T0 + 10_000);
    expect(view.dayOpen).toBe(105);
    expect(view.summary).toEqual(summarizeEquity(view.points, 105));
  });

  it('keeps only the buckets that end after the range start', () => {
    const a = answer([point(T0, 100), point(T0 + 1000, 120), point(T0 + 2000, 90)], T0 + 2500, null);
    expect(liveCurve(a, [], T0 + 1500).points.map((p) => p.ts - T0)).toEqual([1000, 2000]);
  });

  it('keeps the samples the answer does not cover, once each, at most a cap of them', () => {
    let kept: EquitySample[] = [];
    for (let i = 0; i < 10; i++) kept = keepSamples(kept, sample(T0 + i, i), Number.NEGATIVE_INFINITY, 4);
    expect(kept.map((s) => s.equity)).toEqual([6, 7, 8, 9]);
    expect(keepSamples(kept, sample(T0 + 9, 9), T0 + 7).map((s) => s.equity)).toEqual([8, 9]);
  });

  it('draws equity by time and its running peak in the box', () => {
    const { line, peak } = curveGeometry([point(0, 10), point(1000, 20), point(3000, 15)], 102, 22, 1);
    expect(line).toBe('1,21 34.3,1 101,11');
    expect(peak).toBe('1,21 34.3,1 101,1');
    expect(curveGeometry([], 10, 10)).toEqual({ line: '', peak: '' });
  });
});

describe('the range the curve asks for', () => {
  it('ends at now while live and at the replayed moment while replaying, reaching back the range from its end', () => {
    const now = 10_000_000;
    expect(equityRange(undefined, 3_600_000, now)).toEqual({ from: now - 3_600_000 });
    expect(equityRange(undefined, null, now)).toEqual({});
    expect(equityRange(now - 60_000, 3_600_000, now)).toEqual({ from: now - 60_000 - 3_600_000, to: now - 60_000 });
    expect(equityRange(now - 60_000, null, now)).toEqual({ to: now - 60_000 });
    expect(equityRange(1_000, 3_600_000, now)).toEqual({ from: 0, to: 1_000 });
  });
});
