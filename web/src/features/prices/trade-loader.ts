import type { Trade } from '../../../../shared/index';
import type { HistoryPage } from '../../../../shared/schema/history';
import { cutTo, nextRange, withLive, withRange, type BarSpan, type TimeRange, type TradeRange } from './trade-range';

/** Reads one page of `history.trades` for the symbol: `from <= ts < to` (`to` undefined: up to the newest), from `cursor` on. */
export type FetchTrades = (from: number, to: number | undefined, cursor: string | null) => Promise<HistoryPage<Trade>>;

/** How the loader reads. */
export interface TradeLoaderOptions {
  /** The most trades held. */
  maxTrades: number;
  /** The length of time one range covers at first, ms (halved when a range is too full to read). */
  spanMs: number;
  /** The shortest range it halves down to, ms: a bar's length. */
  minSpanMs: number;
  /** The most pages one range may take; a range with more is read again half as long. */
  maxPages: number;
}

/** What the loader holds. */
export interface TradeLoaderState {
  held: TradeRange | null;
  /** A range is being read. */
  loading: boolean;
  error: string | null;
}

/** Keeps the trades of the bars a chart holds: read from history range by range, and from the live stream. */
export interface TradeLoader {
  get(): TradeLoaderState;
  subscribe(listener: () => void): () => void;
  /** The bars held now; what falls outside goes, what is missing is read. */
  bars(span: BarSpan): void;
  /** Trades of the live stream (its snapshot or new ones); reading starts after the first. */
  live(trades: readonly Trade[]): void;
  dispose(): void;
}

/**
 * A loader over `fetchTrades`: one range at a time, each read to its last page before it is held
 * (a part of a range could miss trades of an earlier page's time). It starts reading once the live
 * stream has answered, so that every trade after the newest range read comes with the stream.
 */
export function createTradeLoader(fetchTrades: FetchTrades, options: TradeLoaderOptions): TradeLoader {
  let state: TradeLoaderState = { held: null, loading: false, error: null };
  let span: BarSpan | null = null;
  let streaming = false;
  let disposed = false;
  let spanMs = options.spanMs;
  // Stops after a failed read until the bars or the stream move again, so a desk that refuses is not asked in a loop.
  let failed = false;
  // Trades the stream sent while a range up to the newest was being read: joined to it when it lands.
  let pendingLive: Trade[] | null = null;
  const listeners = new Set<() => void>();

  const set = (next: Partial<TradeLoaderState>) => {
    state = { ...state, ...next };
    for (const listener of listeners) listener();
  };

  const readAll = async (range: TimeRange, to: number | undefined): Promise<Trade[] | null> => {
    const trades: Trade[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < options.maxPages; pages++) {
      const page: HistoryPage<Trade> = await fetchTrades(range.from, to, cursor);
      for (const { item } of page.items) trades.push(item);
      cursor = page.next;
      if (cursor === null) return trades;
    }
    return null;
  };

  const kick = () => {
    if (disposed || state.loading || failed || !streaming || span === null) return;
    const range = nextRange(state.held, span, spanMs);
    if (range === null) return;
    const open = range.to === Infinity;
    if (open) pendingLive = [];
    set({ loading: true });
    readAll(range, open ? undefined : range.to).then(
      (trades) => {
        if (disposed) return;
        const live = pendingLive ?? [];
        pendingLive = null;
        if (trades === null) {
          // Too many trades in that range for one read: half as long, down to one bar; past that, no further back.
          if (spanMs / 2 >= options.minSpanMs) spanMs /= 2;
          else if (state.held) state = { ...state, held: { ...state.held, capped: true } };
          else failed = true;
          set({ loading: false });
          return kick();
        }
        let held = withRange(state.held, range, open ? [...trades, ...live] : trades, span!, options.maxTrades);
        if (open) held = withLive(held, live, span!, options.maxTrades);
        set({ held, loading: false, error: null });
        kick();
      },
      (error: unknown) => {
        if (disposed) return;
        pendingLive = null;
        failed = true;
        set({ loading: false, error: error instanceof Error ? error.message : String(error) });
      },
    );
  };

  return {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    bars(next) {
      if (disposed) return;
      const moved = span === null || next.from !== span.from || next.to !== span.to;
      span = next;
      if (!moved) return kick();
      failed = false;
      const held = cutTo(state.held, next);
      if (held !== state.held) set({ held });
      kick();
    },
    live(trades) {
      if (disposed) return;
      if (pendingLive) pendingLive.push(...trades);
      if (span !== null && trades.length > 0) {
        const held = withLive(state.held, trades, span, options.maxTrades);
        if (held !== state.held) set({ held });
      }
      if (!streaming) {
        streaming = true;
        failed = false;
      }
      kick();
    },
    dispose() {
      disposed = true;
      listeners.clear();
    },
  };
}
