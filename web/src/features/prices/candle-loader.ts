import type { Candle, CandlesPage, StreamMessage } from '../../../../shared/index';
import type { Fill } from './candle-bars';
import type { BarView } from './bar-window';
import { emptySeries, newerRequest, reloaded, trimmed, withLiveBar, withPage, type CandleSeries, type PageRequest, type Step } from './candle-series';

/** What the chart of one symbol and interval holds, and what it is waiting for. */
export interface LoaderState {
  series: CandleSeries;
  /** An older page is on its way. */
  loadingOlder: boolean;
  /** A newer page is on its way (after the newest bars were let go). */
  loadingNewer: boolean;
  /** Why the last page could not be read, until one is. */
  error: string | null;
}

/** Reads `market.candles({ before, limit })`. */
export type FetchPage = (before: number | undefined, limit: number) => Promise<CandlesPage>;

/** Keeps one symbol's bars of one interval: the newest page, older pages on demand, the live bar, fills. */
export interface CandleLoader {
  get(): LoaderState;
  subscribe(listener: () => void): () => void;
  /** A message of `market.onCandles` (the open bar). */
  live(message: StreamMessage<Candle>): void;
  /** Asks for the page before the oldest bar held, unless one is on its way or there is none. */
  loadOlder(): void;
  /** Asks for the page after the newest bar held, when the newest were let go and none is on its way. */
  loadNewer(): void;
  /** Where the user is looking: the bars held are cut to about `cap` around it. */
  view(view: BarView): void;
  /** Everything again from the newest page (back to the live edge at once). */
  reload(): void;
  /** Drops what is on its way; nothing changes after. */
  dispose(): void;
}

/** How many bars a loader holds. */
export interface BarCap {
  /** Bars kept once they are cut. @default Infinity */
  cap: number;
  /** Bars beyond `cap` before they are cut (so they are not cut at every bar). */
  slack: number;
}

/**
 * A loader over `fetchPage`: it reads the newest page at once, merges the live bar, fetches the
 * bars a conflated stream skipped (see `withLiveBar`), pages back and forward when asked, and
 * holds at most `cap.cap + cap.slack` bars around where the user is looking (`trimmed`).
 */
export function createCandleLoader(fetchPage: FetchPage, intervalMs: number, pageSize: number, cap: BarCap = { cap: Infinity, slack: 0 }): CandleLoader {
  let state: LoaderState = { series: emptySeries, loadingOlder: false, loadingNewer: false, error: null };
  let where: BarView = { live: true };
  // A reload starts a new generation: answers to the old one's requests are dropped.
  let generation = 0;
  let latestInFlight = false;
  let disposed = false;
  const listeners = new Set<() => void>();

  const set = (next: Partial<LoaderState>) => {
    state = { ...state, ...next };
    if (next.series) state.series = trimmed(state.series, where, cap.cap, cap.slack);
    for (const listener of listeners) listener();
  };

  const flags = (kind: PageRequest['kind']) => (kind === 'older' ? { loadingOlder: false } : kind === 'newer' ? { loadingNewer: false } : {});

  const ask = (req: PageRequest) => {
    const gen = generation;
    const { kind } = req;
    if (kind === 'latest') latestInFlight = true;
    if (kind === 'older') set({ loadingOlder: true });
    if (kind === 'newer') set({ loadingNewer: true });
    fetchPage(req.before, req.limit).then(
      (page) => {
        if (disposed || gen !== generation) return;
        if (kind === 'latest') latestInFlight = false;
        const step = withPage(state.series, req, page, intervalMs);
        set({ series: step.series, error: null, ...flags(kind) });
        follow(step);
      },
      (error: unknown) => {
        if (disposed || gen !== generation) return;
        if (kind === 'latest') latestInFlight = false;
        set({ error: error instanceof Error ? error.message : String(error), ...flags(kind) });
      },
    );
  };
  const request = (kind: PageRequest['kind'], before: number | undefined, limit: number) => ask({ kind, before, limit });

  const run = (fill: Fill) => {
    if (fill.kind === 'range') return request('fill', fill.before, fill.limit);
    if (fill.kind === 'page') return request('older', fill.before, pageSize);
    generation++;
    latestInFlight = false;
    set({ series: reloaded(state.series), loadingOlder: false, loadingNewer: false });
    request('latest', undefined, pageSize);
  };

  const follow = (step: Step) => {
    if (step.fill) run(step.fill);
  };

  request('latest', undefined, pageSize);

  return {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    live(message) {
      if (disposed) return;
      const bars = message.type === 'changes' ? message.upserts : message.items;
      if (bars.length === 0) return;
      let series = state.series;
      const fills: Fill[] = [];
      for (const bar of bars) {
        const step = withLiveBar(series, bar, intervalMs);
        series = step.series;
        if (step.fill) fills.push(step.fill);
      }
      if (series !== state.series) set({ series });
      for (const fill of fills) run(fill);
      // A newest page that failed is read again with the next sign of life.
      if (state.series.older === undefined && !latestInFlight) request('latest', undefined, pageSize);
    },
    loadOlder() {
      const before = state.series.older;
      if (disposed || state.loadingOlder || typeof before !== 'number') return;
      request('older', before, pageSize);
    },
    loadNewer() {
      const req = newerRequest(state.series, pageSize, intervalMs);
      if (disposed || state.loadingNewer || req === null) return;
      ask(req);
    },
    view(next) {
      if (disposed) return;
      where = next;
      const series = trimmed(state.series, where, cap.cap, cap.slack);
      if (series !== state.series) set({ series });
    },
    reload() {
      if (!disposed) run({ kind: 'reload' });
    },
    dispose() {
      disposed = true;
      listeners.clear();
    },
  };
}
