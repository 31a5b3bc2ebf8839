import type { Candle, CandleInterval } from '../../../../../shared/index';
import { trpc } from '../../../lib/trpc';

/** Bars a chart loads: a day of 1 m bars, and as many of the others. */
const LIMIT = 1_440;
const intervalMs: Record<CandleInterval, number> = { '1s': 1_000, '1m': 60_000, '5m': 300_000, '1h': 3_600_000 };
const none: Candle[] = [];

/**
 * A symbol's stored bars of one interval from `market.candles`, oldest first: the chart's past on
 * first load. Fetched again about once a bar (at most every 10 s), live ticks fill in between.
 */
export function useCandles(symbol: string | null, interval: CandleInterval) {
  const query = trpc.market.candles.useQuery(
    { symbol: symbol ?? '', interval, limit: LIMIT },
    { enabled: symbol !== null, staleTime: intervalMs[interval], refetchInterval: Math.max(10_000, intervalMs[interval]) },
  );
  return query.data?.candles ?? none;
}
