import { candleIntervalMs, type Candle, type CandleInterval } from '../../shared/schema/candles';

/** What a committed tick brings to a bar. */
export interface CandleTick {
  price: number;
  /** Its volume increment (the tick's cumulative volume minus the one before it, never negative). */
  qty: number;
  ts: number;
}

/** The start of the bar of `interval` that `ts` falls in. */
export function barOpen(ts: number, interval: CandleInterval): number {
  const ms = candleIntervalMs[interval];
  return Math.floor(ts / ms) * ms;
}

/**
 * The open bar after `tick`: `open` updated, or a new bar when the tick falls past its end. A tick
 * stamped before the open bar (a clock stepped back) joins the open bar: bars before it are closed
 * and stay as they were.
 */
export function applyTick(open: Candle | undefined, symbol: string, interval: CandleInterval, tick: CandleTick): Candle {
  const start = barOpen(tick.ts, interval);
  if (open === undefined || start > open.openTime) {
    return { symbol, interval, openTime: start, open: tick.price, high: tick.price, low: tick.price, close: tick.price, volume: tick.qty, ticks: 1 };
  }
  // Spelled out rather than spread: one object shape, on the path of every tick.
  return {
    symbol: open.symbol,
    interval: open.interval,
    openTime: open.openTime,
    open: open.open,
    high: tick.price > open.high ? tick.price : open.high,
    low: tick.price < open.low ? tick.price : open.low,
    close: tick.price,
    volume: open.volume + tick.qty,
    ticks: open.ticks + 1,
  };
}

/** The volume a tick adds: the increase of the cumulative volume (a reset adds nothing). */
export function volumeIncrement(volume: number, previous: number | undefined): number {
  return Math.max(0, volume - (previous ?? 0));
}
