import type { Candle, CandlesPage } from '../../../../shared/index';
import { windowOf, type BarView } from './bar-window';
import { fillBefore, MAX_PAGE, mergeBars, type Fill } from './candle-bars';

/** One symbol's bars of one interval as the chart holds them: pages of the past and the live bar. */
export interface CandleSeries {
  /** Oldest first, one per open time. */
  bars: readonly Candle[];
  /** The open time of the newest bar the live stream sent: the open one. */
  liveOpen: number | null;
  /** The next older page's `before`; null when the desk has none older, undefined before the first page. */
  older: number | null | undefined;
  /**
   * Null while the bars reach the open one. Else the newest bars were let go (the user is looking
   * further back): every bar that opened after the first held and up to this time is held, none
   * after; newer ones come back by paging forward.
   */
  heldTo: number | null;
  /** The newest copy of the open bar the stream sent: among the bars, or held aside while `heldTo` is set. */
  live: Candle | null;
}

/**
 * Which page a `market.candles` answer was: the newest, the next older one, a fill (see
 * `fillBefore`), or the next newer one after bars were let go.
 */
export type PageKind = 'latest' | 'older' | 'fill' | 'newer';

/** A `market.candles` request: its kind and input, and for `newer` the `heldTo` it continues from. */
export interface PageRequest {
  kind: PageKind;
  before: number | undefined;
  limit: number;
  from?: number;
}

/** A series with nothing loaded yet. */
export const emptySeries: CandleSeries = { bars: [], liveOpen: null, older: undefined, heldTo: null, live: null };

/** What a step gives: the series after it and the bars it asks to fetch, if any. */
export interface Step {
  series: CandleSeries;
  fill: Fill | null;
}

/** `series` after the live stream sent `bar` (the open bar, updated or newly opened). */
export function withLiveBar(series: CandleSeries, bar: Candle, intervalMs: number): Step {
  const held = series.live;
  const live = held === null || bar.openTime > held.openTime || (bar.openTime === held.openTime && bar.ticks >= held.ticks) ? bar : held;
  // Scrolled back past what is held: the open bar waits aside for the pages forward to reach it.
  if (series.heldTo !== null) return { series: { ...series, live, liveOpen: series.liveOpen === null ? bar.openTime : Math.max(series.liveOpen, bar.openTime) }, fill: null };
  const newest = series.bars[series.bars.length - 1]?.openTime;
  // When a new bar opens, the one before it closed: the copy held may be from before its last
  // ticks, and bars in between may never have been sent (the stream conflates). A bar older than
  // one held is a late message, not a new bar.
  const advanced = (series.liveOpen === null || bar.openTime > series.liveOpen) && (newest === undefined || bar.openTime > newest);
  // Before the newest page has answered, its answer does this check.
  const fill = advanced && (newest !== undefined || series.older !== undefined) ? fillUpTo(newest, bar.openTime, intervalMs) : null;
  const liveOpen = series.liveOpen === null ? bar.openTime : Math.max(series.liveOpen, bar.openTime);
  // A late copy of a bar older than the newest held and not among them would leave a hole beside
  // it: the pages bring that bar.
  const late = newest !== undefined && bar.openTime < newest && !series.bars.some((b) => b.openTime === bar.openTime);
  return { series: { ...series, bars: late ? series.bars : mergeBars(series.bars, [bar]), liveOpen, live }, fill };
}

/**
 * `series` after the answer `page` to `request`. An answer the series moved away from while it
 * was on its way (bars let go at the end it reads into) is dropped; its end asks again.
 */
export function withPage(series: CandleSeries, request: PageRequest, page: CandlesPage, intervalMs: number): Step {
  const { kind } = request;
  const none = { series, fill: null };
  // An older page joins the bars held only if it was asked from where they now start.
  if (kind === 'older' && typeof series.older === 'number' && request.before !== series.older) return none;
  if (kind === 'newer') return request.from === series.heldTo ? withNewer(series, request, page) : none;
  // Bars let go since it was asked for stay gone: held bars are one unbroken run.
  const first = typeof series.older === 'number' && kind !== 'older' ? series.bars[0]?.openTime : undefined;
  const heldTo = series.heldTo;
  const candles = first === undefined && heldTo === null ? page.candles : page.candles.filter((c) => (first === undefined || c.openTime >= first) && (heldTo === null || c.openTime <= heldTo));
  const bars = mergeBars(series.bars, candles);
  let older = series.older;
  if (kind === 'latest' && older === undefined) older = page.nextBefore;
  if (kind === 'older') older = page.nextBefore;
  // The newest page's last bar was open when it was read; if the stream has since moved past it,
  // its final copy (and any bar after it) comes from a fill. An empty newest page: the desk had no
  // bar then, and may have closed some since.
  const newest = page.candles[page.candles.length - 1]?.openTime;
  const fill = kind === 'latest' && series.liveOpen !== null && (newest === undefined || newest < series.liveOpen) ? fillUpTo(newest, series.liveOpen, intervalMs) : null;
  return { series: { ...series, bars, older }, fill };
}

/** The next newer page's answer: the bars after `heldTo`, and once it reaches the open bar, that one too. */
function withNewer(series: CandleSeries, request: PageRequest, page: CandlesPage): Step {
  const from = series.heldTo!;
  const before = request.before!;
  const bars = mergeBars(series.bars, page.candles.filter((c) => c.openTime > from && c.openTime < before));
  if (series.liveOpen === null || before < series.liveOpen) return { series: { ...series, bars, heldTo: before - 1 }, fill: null };
  return { series: { ...series, bars: series.live ? mergeBars(bars, [series.live]) : bars, heldTo: null }, fill: null };
}

/**
 * The next newer page while bars were let go (null while the bars reach the open one): from
 * `heldTo` on, a page long, up to the open bar.
 */
export function newerRequest(series: CandleSeries, pageSize: number, intervalMs: number): PageRequest | null {
  const from = series.heldTo;
  if (from === null) return null;
  let before = from + pageSize * intervalMs;
  if (series.liveOpen !== null && before > series.liveOpen) before = series.liveOpen;
  const limit = Math.min(MAX_PAGE, Math.max(1, Math.ceil((before - from) / intervalMs)));
  return { kind: 'newer', before, limit, from };
}

/**
 * `series` with at most about `cap` bars (see `windowOf`): what goes at the old end is paged back
 * in as before, what goes at the new end by `newerRequest`.
 */
export function trimmed(series: CandleSeries, view: BarView, cap: number, slack: number): CandleSeries {
  const window = windowOf(series.bars, view, cap, slack);
  if (window === null) return series;
  const bars = series.bars.slice(window.start, window.end);
  return {
    ...series,
    bars,
    older: window.start > 0 ? bars[0]!.openTime : series.older,
    heldTo: window.end < series.bars.length ? bars[bars.length - 1]!.openTime : series.heldTo,
  };
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
  return { ...emptySeries, liveOpen: series.liveOpen, live: series.live };
}

/**
 * The `before` of the newest page as of `asOf` (undefined: live, the desk's newest): the open time
 * of the bar that was open then, so the page holds only bars that had closed by the moment; the
 * replayed `onCandles` brings the open one as it stood then.
 */
export function latestBefore(asOf: number | undefined, intervalMs: number): number | undefined {
  return asOf === undefined ? undefined : Math.floor(asOf / intervalMs) * intervalMs;
}
