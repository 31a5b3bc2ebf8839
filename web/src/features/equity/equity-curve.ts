import {
  bucketStart,
  dayOpenOf,
  mergeSamples,
  summarizeEquity,
  utcDayStart,
  type EquityHistory,
  type EquityPoint,
  type EquityResolution,
  type EquitySample,
  type EquitySummary,
  type Portfolio,
} from '../../../../shared/index';

/** The most points a curve holds, as `market.equityHistory` answers at most. */
export const CURVE_MAX_POINTS = 2000;

/** The curve as the panel shows it: the stored series extended by live portfolio values. */
export interface CurveView {
  resolution: EquityResolution;
  points: readonly EquityPoint[];
  dayStart: number;
  dayOpen: number | null;
  summary: EquitySummary;
}

/**
 * The `market.equityHistory` range of the last `rangeMs` (null: all kept) before `asOf`, the
 * replay's moment (undefined: live, up to the desk's now).
 */
export function equityRange(asOf: number | undefined, rangeMs: number | null, now: number): { from?: number; to?: number } {
  const end = asOf ?? now;
  return { ...(rangeMs === null ? {} : { from: Math.max(0, end - rangeMs) }), ...(asOf === undefined ? {} : { to: asOf }) };
}

/** A portfolio from `onPortfolio` as a sample of its history. */
export function sampleOf(p: Portfolio): EquitySample {
  return { ts: p.updatedAt, equity: p.equity, cash: p.cash, realizedPnl: p.realizedPnl, unrealizedPnl: p.unrealizedPnl };
}

/**
 * The stored answer extended by the live samples that came after it (`to`), folded into its
 * buckets by the desk's own rule, cut to buckets that end after `since` (null: all). Day open and
 * figures as the desk computes them: the answer's day open while the day is the same, else the
 * value held at the new day's midnight (or its first sample), from the series.
 */
export function liveCurve(answer: EquityHistory, samples: readonly EquitySample[], since: number | null): CurveView {
  const fresh = samples.filter((s) => s.ts > answer.to);
  const merged = mergeSamples(answer.points, fresh, answer.resolution, CURVE_MAX_POINTS);
  const newest = Math.max(answer.to, fresh.at(-1)?.ts ?? answer.to);
  const dayStart = utcDayStart(newest);
  const dayOpen = dayStart === answer.dayStart ? answer.dayOpen : dayOpenOf(merged, dayStart);
  const cut = since === null ? 0 : merged.findIndex((p) => p.ts >= bucketStart(since, answer.resolution));
  const points = cut <= 0 ? merged : merged.slice(cut);
  return { resolution: answer.resolution, points, dayStart, dayOpen, summary: summarizeEquity(points, dayOpen) };
}

/** New samples appended to the kept ones: those the answer covers dropped, at most `cap` kept. */
export function keepSamples(kept: readonly EquitySample[], next: EquitySample, coveredTo: number, cap = 5000): EquitySample[] {
  const out = kept.filter((s) => s.ts > coveredTo);
  if (out.at(-1)?.ts !== next.ts || out.at(-1)?.equity !== next.equity) out.push(next);
  return out.length > cap ? out.slice(out.length - cap) : out;
}

/** SVG polyline points of the closing equity and of its running peak, scaled into `width` × `height` by time and value. */
export function curveGeometry(points: readonly EquityPoint[], width: number, height: number, pad = 2): { line: string; peak: string } {
  if (points.length === 0) return { line: '', peak: '' };
  const first = points[0]!.ts;
  const span = points.at(-1)!.ts - first || 1;
  let min = Infinity;
  let max = -Infinity;
  for (const p of points) {
    min = Math.min(min, p.equity);
    max = Math.max(max, p.equity);
  }
  const range = max - min || 1;
  const x = (ts: number) => round(points.length === 1 ? width / 2 : pad + ((ts - first) / span) * (width - 2 * pad));
  const y = (v: number) => round(max === min ? height / 2 : pad + (1 - (v - min) / range) * (height - 2 * pad));
  let peak = -Infinity;
  const line: string[] = [];
  const peaks: string[] = [];
  for (const p of points) {
    peak = Math.max(peak, p.equity);
    line.push(`${x(p.ts)},${y(p.equity)}`);
    peaks.push(`${x(p.ts)},${y(peak)}`);
  }
  return { line: line.join(' '), peak: peaks.join(' ') };
}

const round = (n: number) => Math.round(n * 10) / 10;
