import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { Trade } from '../../../../../shared/index';
import { trpc } from '../../../lib/trpc';
import { useAsOf } from '../../../lib/use-as-of';
import { createTradeLoader, type TradeLoader, type TradeLoaderState } from '../trade-loader';
import { markedTrades, type BarSpan } from '../trade-range';
import { useSymbolTrades } from './use-symbol-trades';

/** The most trades the chart holds for its markers; older bars beyond them go unmarked. */
export const CHART_MAX_TRADES = 5_000;
/** Bars one history range covers at first (a page of bars). */
const RANGE_BARS = 300;
/** Trades per `history.trades` page (its maximum). */
const TRADES_PAGE = 500;
/** Pages one range may take before it is read again half as long. */
const RANGE_PAGES = 10;

const none: Trade[] = [];

/**
 * The trades to mark on the bars a chart holds (`span`): the newest from `market.onTrades` at once
 * and each new one, the rest read from `history.trades` range by range as the bars page back (up
 * to the replay's moment while replaying), one per id. `from`: the oldest time every trade is
 * held from (null: none read yet).
 */
export function useChartTrades(symbol: string, intervalMs: number, span: BarSpan | null) {
  const { client } = trpc.useUtils();
  const { asOf, key: replayKey } = useAsOf();
  const stream = useSymbolTrades(symbol);
  const [current, setCurrent] = useState<{ key: string; loader: TradeLoader } | null>(null);
  const key = `${symbol}:${intervalMs}:${replayKey}`;
  useEffect(() => {
    const loader = createTradeLoader(
      (from, to, cursor) => {
        const bound = asOf();
        return client.history.trades.query({ symbols: [symbol], from, to: to ?? (bound === undefined ? undefined : bound + 1), cursor, limit: TRADES_PAGE });
      },
      { maxTrades: CHART_MAX_TRADES, spanMs: RANGE_BARS * intervalMs, minSpanMs: intervalMs, maxPages: RANGE_PAGES },
    );
    setCurrent({ key: `${symbol}:${intervalMs}:${replayKey}`, loader });
    return () => loader.dispose();
  }, [client, symbol, intervalMs, asOf, replayKey]);
  const loader = current?.key === key ? current.loader : null;
  const live = stream.data;
  useEffect(() => {
    if (loader && live) loader.live(live);
  }, [loader, live]);
  useEffect(() => {
    if (loader && span) loader.bars(span);
  }, [loader, span]);
  const state = useSyncExternalStore(loader?.subscribe ?? noSubscribe, loader?.get ?? noState);
  const trades = useMemo(() => (span ? markedTrades(state?.held ?? null, live ?? none, span) : none), [state?.held, live, span]);
  return { trades, from: state?.held?.from ?? null, loading: state?.loading ?? false, error: state?.error ?? null };
}

const noop = () => undefined;
const noSubscribe = () => noop;
const noState = (): TradeLoaderState | undefined => undefined;
