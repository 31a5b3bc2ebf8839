import type { Candle, CandlesPage, StreamMessage } from '../../../../shared/index';
import type { Fill } from './candle-bars';
import { emptySeries, reloaded, withLiveBar, withPage, type CandleSeries, type PageKind, type Step } from './candle-series';

/** What the chart of one symbol and interval holds, and what it is waiting for. */
export interface LoaderState {
  series: CandleSeries;
  /** An older page is on its way. */
  loadingOlder: boolean;
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
  /** Drops what is on its way; nothing changes after. */
  dispose(): void;
}

/**
 * A loader over `fetchPage`: it reads the newest page at once, merges the live bar, fetches the
 * bars a conflated stream skipped (see `withLiveBar`) and pages back when asked.
 */
export function createCandleLoader(fetchPage: FetchPage, intervalMs: number, pageSize: number): CandleLoader {
  let state: LoaderState = { series: emptySeries, loadingOlder: false, error: null };
  // A reload starts a new generation: answers to the old one's requests are dropped.
  let generation = 0;
  let latestInFlight = false;
  let disposed = false;
  const listeners = new Set<() => void>();

  const set = (next: Partial<LoaderState>) => {
    state = { ...state, ...next };
    for (const listener of listeners) listener();
  };

  const request = (kind: PageKind, before: number | undefined, limit: number) => {
    const gen = generation;
    if (kind === 'latest') latestInFlight = true;
    if (kind === 'older') set({ loadingOlder: true });
    fetchPage(before, limit).then(
      (page) => {
        if (disposed || gen !== generation) return;
        if (kind === 'latest') latestInFlight = false;
        const step = withPage(state.series, kind, page, intervalMs);
        set({ series: step.series, error: null, ...(kind === 'older' ? { loadingOlder: false } : {}) });
        follow(step);
      },
      (error: unknown) => {
        if (disposed || gen !== generation) return;
        if (kind === 'latest') latestInFlight = false;
        set({ error: error instanceof Error ? error.message : String(error), ...(kind === 'older' ? { loadingOlder: false } : {}) });
      },
    );
  };

  const run = (fill: Fill) => {
    if (fill.kind === 'range') return request('fill', fill.before, fill.limit);
    if (fill.kind === 'page') return request('older', fill.before, pageSize);
    generation++;
    latestInFlight = false;
    set({ series: reloaded(state.series), loadingOlder: false });
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
    dispose() {
      disposed = true;
      listeners.clear();
    },
  };
}
