import type Database from 'better-sqlite3';
import { candleIntervals, type Candle, type CandleInterval } from '../../shared/schema/candles';
import type { LatestHistory } from './journal';

/** How long bars of each interval are kept, ms (0: for ever). */
export type CandleRetention = Record<CandleInterval, number>;

/** @default 1 s bars a day, 1 m bars 30 days, 5 m bars 90 days, 1 h bars 2 years */
export const defaultCandleRetention: CandleRetention = {
  '1s': 24 * 3600_000,
  '1m': 30 * 24 * 3600_000,
  '5m': 90 * 24 * 3600_000,
  '1h': 730 * 24 * 3600_000,
};

/** Bars one pruning step deletes at most per interval, so a step stays a few milliseconds. */
const PRUNE_BATCH = 1_000;

/** A bar as the `candles` table holds it (its symbol and interval aside). */
export interface CandleRow {
  open_time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  ticks: number;
}

/**
 * Every bar of the `candles` topic, one row per symbol, interval and open time. The journal writes
 * a bar in the same transaction as the tick that changed it (`LatestHistory`), so the table never
 * holds a bar the rest of the desk does not.
 */
export class CandleArchive implements LatestHistory {
  private readonly sql;

  constructor(
    db: Database.Database,
    private readonly retention: CandleRetention = defaultCandleRetention,
  ) {
    this.sql = {
      upsert: db.prepare<[string, string, number, number, number, number, number, number, number]>(
        `INSERT INTO candles (symbol, interval, open_time, open, high, low, close, volume, ticks) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (symbol, interval, open_time) DO UPDATE SET
           open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume, ticks = excluded.ticks`,
      ),
      before: db.prepare<[string, string, number, number], CandleRow>(
        'SELECT open_time, open, high, low, close, volume, ticks FROM candles WHERE symbol = ? AND interval = ? AND open_time < ? ORDER BY open_time DESC LIMIT ?',
      ),
      prune: db.prepare<[string, number, number]>(
        `DELETE FROM candles WHERE (symbol, interval, open_time) IN
           (SELECT symbol, interval, open_time FROM candles INDEXED BY candles_by_age WHERE interval = ? AND open_time < ? ORDER BY open_time LIMIT ?)`,
      ),
    };
  }

  /** Bars are kept per open time, so a closed bar stays when the next one opens. */
  slotOf(value: unknown): string {
    return String((value as Candle).openTime);
  }

  write(values: readonly unknown[]): void {
    for (const value of values) {
      const c = value as Candle;
      this.sql.upsert.run(c.symbol, c.interval, c.openTime, c.open, c.high, c.low, c.close, c.volume, c.ticks);
    }
  }

  /** Up to `limit` bars that opened before `before`, newest first. */
  before(symbol: string, interval: CandleInterval, before: number, limit: number): Candle[] {
    return this.sql.before.all(symbol, interval, before, limit).map((row) => ({
      symbol,
      interval,
      openTime: row.open_time,
      open: row.open,
      high: row.high,
      low: row.low,
      close: row.close,
      volume: row.volume,
      ticks: row.ticks,
    }));
  }

  /** Deletes bars past their interval's retention, a batch per interval; returns how many. */
  prune(now: number): number {
    let deleted = 0;
    for (const interval of candleIntervals) {
      const keepMs = this.retention[interval];
      if (keepMs > 0) deleted += this.sql.prune.run(interval, now - keepMs, PRUNE_BATCH).changes;
    }
    return deleted;
  }
}
