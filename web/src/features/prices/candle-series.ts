import type { Candle, CandlesPage } from '../../../../shared/index';
import { fillBefore, mergeBars, type Fill } from './candle-bars';

/** One symbol's bars of one interval as the chart holds them: pages of the past and the live bar. */
export interface CandleSeries {
  /** Oldest first, one per open time. */
  bars: readonly Candle[];
  /** The open time of the newest bar the live stream sent: the open one. */
  liveOpen: number | null;
  /** The next older page's `before`; null when the desk has none older, undefined before the first page. */
  older: number | null | undefined;
}

/** Which page a `market.candles` answer was: the newest, the next older one, or a fill (see `fillBefore`). */
export type PageKind = 'latest' | 'older' | 'fill';

/** A series with nothing loaded yet. */
export const emptySeries: CandleSeries = { bars: [], liveOpen: null, older: undefined };

/** What a step gives: the series after it and the bars it asks to fetch, if any. */
export interface Step {
  series: CandleSeries;
  fill: Fill | null;
}

/** `series` after the live stream sent `bar` (the open bar, updated or newly opened). */
export function withLiveBar(series: CandleSeries, bar: Candle, intervalMs: number): Step {
  const newest = series.bars[series.bars.length - 1]?.openTime;
  // When a new bar opens, the one before it closed: the copy held may be from before its last
  // ticks, and bars in between may never have been sent (the stream conflates). A bar older than
  // one held is a late message, not a new bar.
  const advanced = (series.liveOpen === null || bar.openTime > series.liveOpen) && (newest === undefined || bar.openTime > newest);
  // Before the newest page has answered, its answer does this check.
  const fill = advanced && (newest !== undefined || series.older !== undefined) ? fillUpTo(newest, bar.openTime, intervalMs) : null;
  const liveOpen = series.liveOpen === null ? bar.openTime : Math.max(series.liveOpen, bar.openTime);
  return { series: { ...series, bars: mergeBars(series.bars, [bar]), liveOpen }, fill };
}

/** `series` after a `market.candles` answer of `kind`. */
export function withPage(series: CandleSeries, kind: PageKind, page: CandlesPage, intervalMs: number): Step {
  const bars = mergeBars(series.bars, page.candles);
  let older = series.older;
  if (kind === 'latest' && older === undefined) older = page.nextBefore;
  if (kind === 'older') older = page.nextBefore;
  // The newest page's last bar was open when it was read; if the stream has since moved past it,
  // its final copy (and any bar after it) comes from a fill. An empty newest page: the desk had no
  // bar then, and may have closed some since.
  const newest = page.candles[page.candles.length - 1]?.openTime;
  const fill = kind === 'latest' && series.liveOpen !== null && (newest === undefined || newest < series.liveOpen) ? fillUpTo(newest, series.liveOpen, intervalMs) : null;
  return { series: { bars, liveOpen: series.liveOpen, older }, fill };
}

/**
 * What to fetch so that no bar before `liveOpen` is missing or stale: from `newest`, the newest
 * bar read while it was possibly open, up to `liveOpen`. Without one, every bar before `liveOpen`
 * may be missing: the page before it is asked for (which pages back like any other).
 */
function fillUpTo(newest: number | undefined, liveOpen: number, intervalMs: number): Fill | null {
  if (newest === undefined) return { kind: 'page', before: liveOpen };
  return fillBefore(newest, liveOpen, intervalMs);
}

/** `series` emptied for a reload from the newest page, keeping what it knows of the live bar. */
export function reloaded(series: CandleSeries): CandleSeries {
  return { ...emptySeries, liveOpen: series.liveOpen };
}

/**
 * The `before` of the newest page as of `asOf` (undefined: live, the desk's newest): the open time
 * of the bar that was open then, so the page holds only bars that had closed by the moment; the
 * replayed `onCandles` brings the open one as it stood then.
 */
export function latestBefore(asOf: number | undefined, intervalMs: number): number | undefined {
  return asOf === undefined ? undefined : Math.floor(asOf / intervalMs) * intervalMs;
}
