import { z } from 'zod';
import { equityResolutions, type EquityResolution } from '../equity-math.js';
import { timestampSchema } from './common.js';

export { equityResolutionMs, equityResolutions, type EquityResolution } from '../equity-math.js';
export const equityResolutionSchema = z.enum(equityResolutions);

/** Most points one `market.equityHistory` answer holds. */
export const EQUITY_MAX_POINTS = 2000;

/**
 * One bucket of the portfolio's history: `ts` its start (a multiple of the resolution, UTC).
 * Equity's open, high and low are over the samples in the bucket (the portfolio as the desk
 * wrote it, every 100 ms while it changes and with every trade); `equity` (the close), cash and
 * the P&L are the last committed values of the bucket.
 */
export const equityPointSchema = z.object({
  ts: timestampSchema,
  open: z.number(),
  high: z.number(),
  low: z.number(),
  equity: z.number(),
  cash: z.number(),
  realizedPnl: z.number(),
  unrealizedPnl: z.number(),
  samples: z.number().int(),
});
export type EquityPoint = z.infer<typeof equityPointSchema>;

/** `market.equityHistory`: the portfolio's history between `from` and `to` (ms, both included). */
export const equityHistoryInput = z
  .object({
    /** Start of the range (ms); default: the oldest kept. */
    from: timestampSchema.optional(),
    /** End of the range (ms); default: now. */
    to: timestampSchema.optional(),
    /** `auto`: the finest resolution that holds the whole range in at most `limit` points. */
    resolution: z.enum([...equityResolutions, 'auto']).default('auto'),
    limit: z.number().int().min(1).max(EQUITY_MAX_POINTS).default(EQUITY_MAX_POINTS),
  })
  .refine((v) => v.from === undefined || v.to === undefined || v.from <= v.to, { message: 'from must not be after to', path: ['from'] })
  .default({ resolution: 'auto', limit: EQUITY_MAX_POINTS });
export type EquityHistoryInput = z.input<typeof equityHistoryInput>;
/** The input as the server reads it, defaults filled in. */
export type EquityHistoryQuery = z.output<typeof equityHistoryInput>;

/** Drawdown and day P&L of a series (see `summarizeEquity`). */
export interface EquitySummary {
  /** Highest closing equity of the series (null: no points). */
  peak: number | null;
  /** Latest equity minus the running peak (0 or negative), and as a fraction of the peak. */
  drawdown: number;
  drawdownPct: number;
  /** The deepest drawdown of the series (0 or negative), and as a fraction of its peak. */
  maxDrawdown: number;
  maxDrawdownPct: number;
  /** Latest equity minus `dayOpen` (null when either is unknown). */
  dayPnl: number | null;
}

/** The answer of `market.equityHistory`. */
export interface EquityHistory {
  resolution: EquityResolution;
  /** Oldest first; the newest `limit` of the range. */
  points: EquityPoint[];
  /** The end of the range answered (ms): the portfolio's samples after it are not in `points`. */
  to: number;
  /** True when the range held more points than `limit` at the coarsest resolution: the oldest were left out. */
  truncated: boolean;
  /** Start of the UTC day of the newest point (or of `to`), ms. */
  dayStart: number;
  /** Equity as the UTC day opened: the last value before `dayStart`, else the day's first sample (null: none). */
  dayOpen: number | null;
  summary: EquitySummary;
}
