import type { Candle, CandleInterval } from '../../../../shared/index';

/** Each interval's bar length, ms (as `shared/schema/candles`, without pulling zod into the page). */
export const INTERVAL_MS: Record<CandleInterval, number> = { '1s': 1_000, '1m': 60_000, '5m': 300_000, '1h': 3_600_000 };

/** The most bars one `market.candles` page may hold (the server's `limit` maximum). */
export const MAX_PAGE = 5_000;

/**
 * Whether `a` is a later copy of the same bar than `b`. A bar's tick count only grows while it is
 * open, so the copy with more ticks is the newer one, whichever arrived last: a page fetched
 * before a live update may answer after it.
 */
function newerCopy(a: Candle, b: Candle): boolean {
  return a.ticks >= b.ticks;
}

/**
 * `held` and `incoming` as one series, oldest first, one bar per open time; of two copies of a
 * bar the one with more ticks stays. `held` must be sorted and free of duplicates (what this
 * returns is); `incoming` may be in any order. Returns `held` itself when nothing changes.
 */
export function mergeBars(held: readonly Candle[], incoming: readonly Candle[]): readonly Candle[] {
  if (incoming.length === 0) return held;
  const last = held[held.length - 1];
  // The live bar: the newest one updated or the next one opened, on every message.
  if (incoming.length === 1 && (last === undefined || incoming[0]!.openTime >= last.openTime)) {
    const bar = incoming[0]!;
    if (last === undefined || bar.openTime > last.openTime) return [...held, bar];
    if (!newerCopy(bar, last) || sameBar(bar, last)) return held;
    const next = held.slice();
    next[next.length - 1] = bar;
    return next;
  }
  const sorted = dedupe([...incoming].sort((a, b) => a.openTime - b.openTime));
  const out: Candle[] = [];
  let i = 0;
  let j = 0;
  while (i < held.length || j < sorted.length) {
    const a = held[i];
    const b = sorted[j];
    if (b === undefined || (a !== undefined && a.openTime < b.openTime)) {
      out.push(a!);
      i++;
    } else if (a === undefined || b.openTime < a.openTime) {
      out.push(b);
      j++;
    } else {
      out.push(newerCopy(b, a) ? b : a);
      i++;
      j++;
    }
  }
  return out;
}

/** One copy per open time of sorted `bars`, the one with the most ticks. */
function dedupe(bars: Candle[]): Candle[] {
  const out: Candle[] = [];
  for (const bar of bars) {
    const last = out[out.length - 1];
    if (last && last.openTime === bar.openTime) {
      if (newerCopy(bar, last)) out[out.length - 1] = bar;
    } else out.push(bar);
  }
  return out;
}

function sameBar(a: Candle, b: Candle): boolean {
  return a.ticks === b.ticks && a.close === b.close && a.high === b.high && a.low === b.low && a.volume === b.volume;
}

/**
 * The bars to fetch so the series has no hole and no stale bar: `range`, exactly the bars from a
 * held one up to `before`; `page`, a page of the past before `before` (nothing older is held);
 * `reload`, everything again from the newest page.
 */
export type Fill = { kind: 'range'; before: number; limit: number } | { kind: 'page'; before: number } | { kind: 'reload' };

/**
 * What to fetch when the series learns that the bar opening at `liveOpen` is the open one while
 * it holds `newest` (its newest bar below `liveOpen`) as it was when possibly still open: that
 * bar's final copy and every bar after it up to `liveOpen`. Bars a stream conflated away (a tab in
 * the background, a slow link) come back this way. A hole wider than a page reloads the series.
 * Null when there is nothing to fetch.
 */
export function fillBefore(newest: number | undefined, liveOpen: number, intervalMs: number): Fill | null {
  if (newest === undefined || newest >= liveOpen) return null;
  const limit = Math.ceil((liveOpen - newest) / intervalMs);
  return limit > MAX_PAGE ? { kind: 'reload' } : { kind: 'range', before: liveOpen, limit };
}
