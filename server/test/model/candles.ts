import { candleIntervalMs, candleIntervals, type Candle, type CandleInterval } from '../../../shared/schema/candles';

/** A price tick as the desk applied it: its price, cumulative volume and time. */
export interface AppliedTick {
  price: number;
  volume: number;
  ts: number;
}

export { candleIntervals };

/**
 * Every bar of `interval` the ticks of one symbol make, oldest first, recomputed from the ticks
 * alone: a bar per run of ticks whose start (`ts` floored to the interval) does not pass the open
 * bar's (a tick stamped before it, a clock stepped back, joins the open bar); open, high, low and
 * close of its prices, volume the sum of the rises of the cumulative volume, one tick each.
 */
export function barsOf(symbol: string, ticks: readonly AppliedTick[], interval: CandleInterval): Candle[] {
  const ms = candleIntervalMs[interval];
  const bars: Candle[] = [];
  let previousVolume: number | undefined;
  for (const tick of ticks) {
    const qty = Math.max(0, tick.volume - (previousVolume ?? 0));
    previousVolume = tick.volume;
    const start = Math.floor(tick.ts / ms) * ms;
    const open = bars[bars.length - 1];
    if (!open || start > open.openTime) {
      bars.push({ symbol, interval, openTime: start, open: tick.price, high: tick.price, low: tick.price, close: tick.price, volume: qty, ticks: 1 });
      continue;
    }
    open.high = Math.max(open.high, tick.price);
    open.low = Math.min(open.low, tick.price);
    open.close = tick.price;
    open.volume += qty;
    open.ticks += 1;
  }
  return bars;
}
