import type Database from 'better-sqlite3';
import type { Candle, CandleInterval } from '../../shared/schema/candles';
import type { PriceTick } from '../../shared/schema/market';
import { tickOf } from '../store/price-tick';
import { money } from '../store/trade-math';

/**
 * Prices as of a past time. Ticks are not journaled one by one (only the last value per key is
 * written), but every tick moves the 1 s bar it falls in, and those bars are kept: the price as of
 * `ts` is the close of the last 1 s bar that had ended by then (at most a second older than `ts`),
 * with bid, ask and change derived as the desk derives them, and the volume counted on from the
 * checkpoint's tick by the bars' volume.
 */
export class PricesAt {
  private readonly sql;

  constructor(db: Database.Database) {
    this.sql = {
      lastBar: db.prepare<[string, number], { open_time: number; close: number }>(
        "SELECT open_time, close FROM candles WHERE symbol = ? AND interval = '1s' AND open_time <= ? ORDER BY open_time DESC LIMIT 1",
      ),
      volumeBetween: db.prepare<[string, number, number], { v: number | null }>(
        "SELECT sum(volume) AS v FROM candles WHERE symbol = ? AND interval = '1s' AND open_time > ? AND open_time <= ?",
      ),
      barBefore: db.prepare<[string, string, number], { open_time: number; open: number; high: number; low: number; close: number; volume: number; ticks: number }>(
        'SELECT open_time, open, high, low, close, volume, ticks FROM candles WHERE symbol = ? AND interval = ? AND open_time < ? ORDER BY open_time DESC LIMIT 1',
      ),
      symbolsBetween: db.prepare<[number, number], { symbol: string }>(
        "SELECT DISTINCT symbol FROM candles INDEXED BY candles_by_age WHERE interval = '1s' AND open_time > ? AND open_time <= ?",
      ),
    };
  }

  /** Every symbol's price as of `ts`, from `base` (the checkpoint's ticks, taken at `baseTs`) on. */
  at(ts: number, base: ReadonlyMap<string, PriceTick>, baseTs: number): PriceTick[] {
    const symbols = new Set(base.keys());
    for (const { symbol } of this.sql.symbolsBetween.all(baseTs - 1000, ts)) symbols.add(symbol);
    const out: PriceTick[] = [];
    for (const symbol of symbols) {
      const tick = this.tickAt(symbol, ts, base.get(symbol));
      if (tick) out.push(tick);
    }
    return out;
  }

  /** The last bar of `interval` that opened before `before` (undefined: none). */
  barBefore(symbol: string, interval: CandleInterval, before: number): Candle | undefined {
    const row = this.sql.barBefore.get(symbol, interval, before);
    if (!row) return undefined;
    const { open_time: openTime, ...rest } = row;
    return { symbol, interval, openTime, ...rest };
  }

  /** One symbol's price as of `ts` (undefined: it had none yet). */
  tickAt(symbol: string, ts: number, base: PriceTick | undefined): PriceTick | undefined {
    const bar = this.sql.lastBar.get(symbol, ts - 1000);
    // The checkpoint's own tick is newer than any bar that had ended by then.
    if (!bar || (base && base.ts >= bar.open_time + 1000)) return base;
    const from = base ? Math.floor(base.ts / 1000) * 1000 : bar.open_time - 1;
    const added = base ? (this.sql.volumeBetween.get(symbol, from, bar.open_time)?.v ?? 0) : 0;
    return tickOf(symbol, bar.close, base, money((base?.volume ?? 0) + added), bar.open_time + 999);
  }
}
