import type { Side } from '../../../shared/index';

/** A trade the chart is asked to point at; the decision that caused it knows as much. */
export interface TradeFocus {
  tradeId: string;
  symbol: string;
  side: Side;
  /** When it happened, ms; the trade's own time wins when the chart knows the trade. */
  ts: number;
}

/**
 * What the price chart shows: a symbol picked in the watchlist, or a trade picked anywhere (a
 * decision in a feed) with its symbol. `seq` grows with each pick, so picking the same trade again
 * scrolls the chart back to it.
 */
export interface ChartFocus {
  symbol: string;
  trade: TradeFocus | null;
  seq: number;
}

/** Where the focus lives in the query cache: one per page, shared by every panel, no provider. */
export const chartFocusKey = ['ui', 'chart-focus'] as const;

/** The focus after picking `symbol` (and `trade`, if any) on top of `previous`. */
export function nextFocus(previous: ChartFocus | undefined, symbol: string, trade: TradeFocus | null = null): ChartFocus {
  return { symbol, trade, seq: (previous?.seq ?? 0) + 1 };
}
