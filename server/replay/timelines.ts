import type Database from 'better-sqlite3';
import { candleIntervalMs, type Candle, type CandleInterval } from '../../shared/schema/candles';
import type { PriceTick } from '../../shared/schema/market';
import type { StreamMessage } from '../../shared/schema/stream';
import { structuralEqual } from '../hub/change-detector';
import type { Filter } from '../hub/filter';
import type { DeskState } from './desk-state';
import { BarPager, CommitPager, type Bar1s } from './pages';
import { tickOf } from '../store/price-tick';
import { money } from '../store/trade-math';
import type { Rebuilder, ResolvedMoment } from './rebuild';

/** One recorded change of a replayed stream: its event id, its recorded time, what the client gets. */
export interface Step<T> {
  id: number;
  ts: number;
  message: StreamMessage<T> | null;
}

/** What a replay of one topic reads: its view as of the moment, then its recorded changes in order. */
export interface Timeline<T> {
  /** The first message (null: none, a resumed keyed or log stream goes on from where it was). */
  first: StreamMessage<T> | null;
  /** The next page of recorded changes up to time `until` (empty: none yet). */
  next(until: number): Array<Step<T>>;
}

export interface TimelineSource {
  db: Database.Database;
  rebuilder: Rebuilder;
}

/** A keyed topic: its rows as of the moment, then each commit's upserts and removals through the filter. */
export function keyedTimeline<T>(source: TimelineSource, name: string, filter: Filter<T>, at: ResolvedMoment, resumed: boolean): Timeline<T> {
  const rows = new Map<string, T>();
  for (const [key, row] of source.rebuilder.stateAt(at.id).keyed.get(name)!) rows.set(key, row.value as T);
  const pager = new CommitPager(source.db, [name]);
  let cursor = at.id;
  return {
    first: resumed ? null : { type: 'snapshot', items: [...rows.values()].filter(filter.match), resync: false },
    next() {
      const page = pager.next(cursor);
      cursor = page.cursor;
      return page.commits.map((commit) => {
        const upserts: T[] = [];
        const removes: string[] = [];
        for (const row of commit.rows) {
          const previous = rows.get(row.key);
          if (row.op === 'remove') {
            rows.delete(row.key);
            if (previous !== undefined && filter.match(previous)) removes.push(row.key);
            continue;
          }
          const value = JSON.parse(row.body) as T;
          rows.set(row.key, value);
          // As live: a row that no longer matches leaves the views that held it.
          if (filter.match(value)) upserts.push(value);
          else if (previous !== undefined && filter.match(previous)) removes.push(row.key);
        }
        const changed = upserts.length > 0 || removes.length > 0;
        return { id: commit.id, ts: commit.ts, message: changed ? { type: 'changes', upserts, removes } : null };
      });
    },
  };
}

/** A log topic: its last `limit` events as of the moment, then each commit's events through the filter. */
export function logTimeline<T>(source: TimelineSource, name: string, filter: Filter<T>, limit: number, at: ResolvedMoment, resumed: boolean): Timeline<T> {
  const pager = new CommitPager(source.db, [name]);
  let cursor = at.id;
  return {
    first: resumed ? null : { type: 'snapshot', items: source.rebuilder.logAt(name, at.id, limit, filter.match as (item: unknown) => boolean) as T[], resync: false },
    next() {
      const page = pager.next(cursor);
      cursor = page.cursor;
      return page.commits.map((commit) => {
        const items = commit.rows.filter((row) => row.op === 'append').map((row) => JSON.parse(row.body) as T).filter(filter.match);
        return { id: commit.id, ts: commit.ts, message: items.length > 0 ? { type: 'append', items } : null };
      });
    },
  };
}

/** The portfolio: as of the moment, then recomputed at each commit of positions or trades. */
export function portfolioTimeline<T>(source: TimelineSource, at: ResolvedMoment): Timeline<T> {
  const state: DeskState = source.rebuilder.stateAt(at.id);
  const pager = new CommitPager(source.db, ['positions', 'trades']);
  let cursor = at.id;
  let last = state.portfolio();
  return {
    first: { type: 'snapshot', items: (last ? [last] : []) as T[], resync: false },
    next() {
      const page = pager.next(cursor);
      cursor = page.cursor;
      return page.commits.map((commit) => {
        for (const row of commit.rows) state.apply(row);
        const now = state.portfolio();
        if (!now || (last && structuralEqual(last, now))) return { id: commit.id, ts: commit.ts, message: null };
        last = now;
        return { id: commit.id, ts: commit.ts, message: { type: 'changes', upserts: [now as T], removes: [] } };
      });
    },
  };
}

/** Bars are written with the batch of latest values every 100 ms: read only those surely written. */
const WRITTEN_MARGIN_MS = 300;

/** Prices: as of the moment, then each 1 s bar's close at the end of its second. */
export function pricesTimeline<T>(source: TimelineSource, filter: Filter<T>, at: ResolvedMoment): Timeline<T> {
  const { rebuilder } = source;
  const state = rebuilder.stateAt(at.id);
  const ticks = new Map<string, PriceTick>();
  for (const tick of rebuilder.prices.at(at.ts, state.basePrices, rebuilder.checkpointTs(at.id))) ticks.set(tick.symbol, tick);
  const pager = new BarPager(source.db);
  // Bars that had ended by the moment are in its prices.
  let cursor = at.ts - 1000;
  return {
    first: { type: 'snapshot', items: [...ticks.values()].filter(filter.match as (t: PriceTick) => boolean) as T[], resync: false },
    next(until) {
      const page = pager.next(cursor, until - WRITTEN_MARGIN_MS);
      cursor = page.cursor;
      return page.seconds.map((bars) => {
        const end = bars[0]!.open_time + 1000;
        const upserts: T[] = [];
        for (const bar of bars) {
          const previous = ticks.get(bar.symbol);
          const tick = tickOf(bar.symbol, bar.close, previous ?? state.basePrices.get(bar.symbol), money((previous?.volume ?? 0) + bar.volume), end - 1);
          ticks.set(bar.symbol, tick);
          if ((filter.match as (t: PriceTick) => boolean)(tick)) upserts.push(tick as T);
        }
        return { id: rebuilder.idAt(end), ts: end, message: upserts.length > 0 ? { type: 'changes', upserts, removes: [] } : null };
      });
    },
  };
}

/** One symbol's open bar of an interval: folded from its 1 s bars, as of the moment, then second by second. */
export function candlesTimeline<T>(source: TimelineSource, symbol: string, interval: CandleInterval, at: ResolvedMoment): Timeline<T> {
  const { rebuilder } = source;
  const pager = new BarPager(source.db, symbol);
  let open: Candle | undefined;
  // The open bar as of the moment: the 1 s bars from its start through the last that had ended.
  const last = new BarPager(source.db, symbol);
  const start = Math.floor((at.ts - 1000) / candleIntervalMs[interval]) * candleIntervalMs[interval];
  let cursor = start - 1;
  for (;;) {
    const page = last.next(cursor, at.ts);
    if (page.seconds.length === 0) break;
    for (const [bar] of page.seconds) open = fold(open, bar!, interval);
    cursor = page.cursor;
  }
  open ??= rebuilder.prices.barBefore(symbol, interval, start);
  return {
    first: { type: 'snapshot', items: (open ? [open] : []) as T[], resync: false },
    next(until) {
      const page = pager.next(cursor, until - WRITTEN_MARGIN_MS);
      cursor = page.cursor;
      return page.seconds.map(([bar]) => {
        open = fold(open, bar!, interval);
        return { id: rebuilder.idAt(bar!.open_time + 1000), ts: bar!.open_time + 1000, message: { type: 'changes', upserts: [open as T], removes: [] } };
      });
    },
  };
}

/** A bar of `interval` with a 1 s bar folded in: the next bar when the second falls past its end. */
export function fold(open: Candle | undefined, bar: Bar1s, interval: CandleInterval): Candle {
  const ms = candleIntervalMs[interval];
  const start = Math.floor(bar.open_time / ms) * ms;
  if (!open || start > open.openTime) {
    return { symbol: bar.symbol, interval, openTime: start, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume, ticks: bar.ticks };
  }
  return {
    ...open,
    high: Math.max(open.high, bar.high),
    low: Math.min(open.low, bar.low),
    close: bar.close,
    volume: open.volume + bar.volume,
    ticks: open.ticks + bar.ticks,
  };
}
