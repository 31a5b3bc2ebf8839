import type Database from 'better-sqlite3';
import type { EventRow } from './desk-state';
import type { CandleRow } from '../persist/candle-archive';

/** One commit's rows of the topics a page reads, in `seq` order. */
export interface Commit {
  id: number;
  ts: number;
  rows: EventRow[];
}

/** A 1 s bar as the `candles` table holds it. */
export interface Bar1s extends CandleRow {
  symbol: string;
}

/** Rows one page reads per topic at most: bounded memory whatever the backlog. */
export const PAGE_ROWS = 500;

/**
 * Reads the journal's commits of some topics after an id, a page at a time, each commit whole:
 * one indexed range per topic (`events_by_topic`), merged by id, cut where the shortest full page
 * ends so no commit is split across pages.
 */
export class CommitPager {
  private readonly after;
  private readonly whole;

  constructor(
    db: Database.Database,
    private readonly topics: readonly string[],
  ) {
    this.after = db.prepare<[string, number, number], EventRow>(
      'SELECT id, seq, topic, op, key, body, ts FROM events WHERE topic = ? AND id > ? ORDER BY id, seq LIMIT ?',
    );
    this.whole = db.prepare<[string, number], EventRow>('SELECT id, seq, topic, op, key, body, ts FROM events WHERE topic = ? AND id = ? ORDER BY seq');
  }

  /** The next commits after `cursor`, oldest first, and the cursor after them. */
  next(cursor: number): { commits: Commit[]; cursor: number } {
    let bound = Number.POSITIVE_INFINITY;
    const rows: EventRow[] = [];
    for (const topic of this.topics) {
      let page = this.after.all(topic, cursor, PAGE_ROWS);
      if (page.length === PAGE_ROWS) {
        const last = page[page.length - 1]!.id;
        // One commit bigger than a page: read it whole. Otherwise its last commit may be cut.
        if (page[0]!.id === last) page = this.whole.all(topic, last);
        else page = page.filter((row) => row.id !== last);
        bound = Math.min(bound, page[page.length - 1]!.id);
      }
      rows.push(...page);
    }
    const kept = rows.filter((row) => row.id <= bound).sort((a, b) => a.id - b.id || a.seq - b.seq || (a.topic < b.topic ? -1 : 1));
    const commits: Commit[] = [];
    for (const row of kept) {
      const open = commits[commits.length - 1];
      if (open && open.id === row.id) open.rows.push(row);
      else commits.push({ id: row.id, ts: row.ts, rows: [row] });
    }
    const next = Number.isFinite(bound) ? bound : (commits[commits.length - 1]?.id ?? cursor);
    return { commits, cursor: Math.max(cursor, next) };
  }
}

/**
 * Reads 1 s bars after an open time, a page at a time, each second whole (all symbols' bars of a
 * second, or one symbol's), only bars that ended before `until`.
 */
export class BarPager {
  private readonly read: (after: number, until: number, limit: number) => Bar1s[];

  constructor(db: Database.Database, symbol?: string) {
    const columns = 'symbol, open_time, open, high, low, close, volume, ticks';
    if (symbol === undefined) {
      const all = db.prepare<[number, number, number], Bar1s>(
        `SELECT ${columns} FROM candles INDEXED BY candles_by_age WHERE interval = '1s' AND open_time > ? AND open_time < ? ORDER BY open_time LIMIT ?`,
      );
      this.read = (after, until, limit) => all.all(after, until, limit);
    } else {
      const one = db.prepare<[string, number, number, number], Bar1s>(
        `SELECT ${columns} FROM candles WHERE symbol = ? AND interval = '1s' AND open_time > ? AND open_time < ? ORDER BY open_time LIMIT ?`,
      );
      this.read = (after, until, limit) => one.all(symbol, after, until, limit);
    }
  }

  /** Bars that opened after `after` and ended by `until`, grouped by second, and the open time read through. */
  next(after: number, until: number): { seconds: Bar1s[][]; cursor: number } {
    let page = this.read(after, until - 1000 + 1, PAGE_ROWS);
    if (page.length === PAGE_ROWS) {
      const last = page[page.length - 1]!.open_time;
      // A second is never cut (a page holds far more bars than the desk has symbols).
      if (page[0]!.open_time !== last) page = page.filter((bar) => bar.open_time !== last);
    }
    const seconds: Bar1s[][] = [];
    for (const bar of page) {
      const open = seconds[seconds.length - 1];
      if (open && open[0]!.open_time === bar.open_time) open.push(bar);
      else seconds.push([bar]);
    }
    return { seconds, cursor: page.length > 0 ? page[page.length - 1]!.open_time : after };
  }
}
