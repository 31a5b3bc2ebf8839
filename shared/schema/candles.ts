import { z } from 'zod';
import { symbolSchema, timestampSchema } from './common.js';

/** Bar lengths the desk keeps candles for. */
export const candleIntervals = ['1s', '1m', '5m', '1h'] as const;
export const candleIntervalSchema = z.enum(candleIntervals);
export type CandleInterval = z.infer<typeof candleIntervalSchema>;

/** Length of each interval's bar, ms. */
export const candleIntervalMs: Record<CandleInterval, number> = { '1s': 1000, '1m': 60_000, '5m': 300_000, '1h': 3_600_000 };

/**
 * One OHLCV bar of a symbol: every tick committed while it was open, `openTime` its start (a
 * multiple of the interval, UTC). `volume` sums the ticks' volume increments; `ticks` counts them.
 */
export const candleSchema = z.object({
  symbol: z.string(),
  interval: candleIntervalSchema,
  openTime: timestampSchema,
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number(),
  ticks: z.number().int(),
});
export type Candle = z.infer<typeof candleSchema>;

/** `market.candles`: a page of bars, newest `limit` with `openTime < before`. */
export const candlesInput = z.object({
  symbol: symbolSchema,
  interval: candleIntervalSchema,
  /** Only bars that opened before this time (ms); the previous page's `nextBefore`. */
  before: z.number().int().nonnegative().optional(),
  limit: z.number().int().min(1).max(5000).default(500),
});
export type CandlesInput = z.input<typeof candlesInput>;

/** A page of bars, oldest first; `nextBefore` asks for the page before it (null: there is none). */
export interface CandlesPage {
  candles: Candle[];
  nextBefore: number | null;
}
