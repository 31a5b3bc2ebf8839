import type { EquityPoint, EquitySummary } from './schema/equity.js';

/** Resolutions the desk keeps the portfolio's history at, finest first. */
export const equityResolutions = ['1s', '1m', '1h'] as const;
export type EquityResolution = (typeof equityResolutions)[number];

/** Length of each resolution's bucket, ms. */
export const equityResolutionMs: Record<EquityResolution, number> = { '1s': 1000, '1m': 60_000, '1h': 3_600_000 };

/** One reading of the portfolio: what a bucket of its history is made of. */
export interface EquitySample {
  /** When the portfolio had these values (its `updatedAt`), ms. */
  ts: number;
  equity: number;
  cash: number;
  realizedPnl: number;
  unrealizedPnl: number;
}

const DAY_MS = 24 * 3600_000;

/** The start of the `resolution` bucket `ts` falls in (UTC). */
export function bucketStart(ts: number, resolution: EquityResolution): number {
  const ms = equityResolutionMs[resolution];
  return Math.floor(ts / ms) * ms;
}

/** The start of the UTC day `ts` falls in. */
export function utcDayStart(ts: number): number {
  return Math.floor(ts / DAY_MS) * DAY_MS;
}

/**
 * The newest bucket after `sample`: `last` updated, or a new bucket when the sample falls past its
 * start. A sample stamped before the newest bucket (a clock stepped back) joins that bucket, so a
 * closed bucket never changes.
 */
export function addSample(last: EquityPoint | undefined, sample: EquitySample, resolution: EquityResolution): EquityPoint {
  const ts = bucketStart(sample.ts, resolution);
  const { equity, cash, realizedPnl, unrealizedPnl } = sample;
  if (last === undefined || ts > last.ts) return { ts, open: equity, high: equity, low: equity, equity, cash, realizedPnl, unrealizedPnl, samples: 1 };
  return {
    ts: last.ts,
    open: last.open,
    high: Math.max(last.high, equity),
    low: Math.min(last.low, equity),
    equity,
    cash,
    realizedPnl,
    unrealizedPnl,
    samples: last.samples + 1,
  };
}

/**
 * `points` with `samples` folded in (a live stream extending a stored series), keeping the newest
 * `limit` points and none that ended before `since`. Returns `points` itself when nothing changed.
 */
export function mergeSamples(
  points: readonly EquityPoint[],
  samples: readonly EquitySample[],
  resolution: EquityResolution,
  limit: number,
  since = Number.NEGATIVE_INFINITY,
): readonly EquityPoint[] {
  if (samples.length === 0) return points;
  const next = points.slice();
  for (const sample of samples) {
    const last = next.at(-1);
    const point = addSample(last, sample, resolution);
    if (last !== undefined && point.ts === last.ts) next[next.length - 1] = point;
    else next.push(point);
  }
  let drop = Math.max(0, next.length - limit);
  while (drop < next.length - 1 && next[drop]!.ts < bucketStart(since, resolution)) drop++;
  return drop > 0 ? next.slice(drop) : next;
}

/**
 * Equity as the day that starts at `dayStart` opened: the close of the last point before it (the
 * value held at midnight), else the open of the day's first point (a desk that started that day),
 * else null. Bucket boundaries of every resolution fall on midnight, so any resolution gives the same.
 */
export function dayOpenOf(points: readonly EquityPoint[], dayStart: number): number | null {
  let before: EquityPoint | undefined;
  let first: EquityPoint | undefined;
  for (const point of points) {
    if (point.ts < dayStart) before = point;
    else if (first === undefined) first = point;
  }
  return before?.equity ?? first?.open ?? null;
}

/**
 * Drawdown and day P&L of a series, from its closing equity: the peak is the running maximum, the
 * drawdown the latest equity's distance below it, the maximum drawdown the deepest such distance
 * (peak to a later trough). Day P&L is the latest equity minus `dayOpen`.
 */
export function summarizeEquity(points: readonly EquityPoint[], dayOpen: number | null): EquitySummary {
  let peak: number | null = null;
  let maxDrawdown = 0;
  let maxDrawdownPct = 0;
  for (const { equity } of points) {
    if (peak === null || equity > peak) peak = equity;
    const down = equity - peak;
    if (down < maxDrawdown) {
      maxDrawdown = down;
      maxDrawdownPct = peak > 0 ? down / peak : 0;
    }
  }
  const latest = points.at(-1)?.equity;
  const drawdown = latest === undefined || peak === null ? 0 : latest - peak;
  return {
    peak,
    drawdown: round(drawdown),
    drawdownPct: peak !== null && peak > 0 ? drawdown / peak : 0,
    maxDrawdown: round(maxDrawdown),
    maxDrawdownPct,
    dayPnl: latest === undefined || dayOpen === null ? null : round(latest - dayOpen),
  };
}

/** Cents, as the desk's money is (avoids 0.1 + 0.2 noise in a difference of two amounts). */
function round(value: number): number {
  return Math.round(value * 100) / 100 || 0;
}
