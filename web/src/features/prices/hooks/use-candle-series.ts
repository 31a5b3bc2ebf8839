import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Candle, CandleInterval } from '../../../../../shared/index';
import { chartMaxFps } from '../../../lib/config';
import { trpc } from '../../../lib/trpc';
import { useAsOf } from '../../../lib/use-as-of';
import type { Tracked } from '../../../lib/use-stream-sink';
import { INTERVAL_MS } from '../candle-bars';
import { createCandleLoader, type CandleLoader } from '../candle-loader';
import { latestBefore } from '../candle-series';

/** Bars per page: about a screen and a half of bars at the chart's default spacing. */
export const CANDLE_PAGE = 300;
/** Bars the chart keeps around where the user looks: 50 minutes at 1 s, cut when 10 more came. */
export const CANDLE_CAP = { cap: 3_000, slack: 600 };

/**
 * One symbol's bars of one interval: the newest page from `market.candles` at once (as of the
 * replay's moment while replaying), the open bar kept current by `market.onCandles` (replayed with
 * the desk), older pages as the chart asks (`loadOlder`), at most about 3,000 bars around where
 * the user looks (`view`), newer pages after the newest were let go (`loadNewer`).
 */
export function useCandleSeries(symbol: string, interval: CandleInterval) {
  const { client } = trpc.useUtils();
  const { asOf } = useAsOf();
  const [loader, setLoader] = useState<{ key: string; loader: CandleLoader } | null>(null);
  const key = `${symbol}:${interval}`;
  useEffect(() => {
    // While replaying, the newest page is the newest as of the replay's moment, not of now.
    const fetchPage = (before: number | undefined, limit: number) =>
      client.market.candles.query({ symbol, interval, before: before ?? latestBefore(asOf(), INTERVAL_MS[interval]), limit });
    const next = createCandleLoader(fetchPage, INTERVAL_MS[interval], CANDLE_PAGE, CANDLE_CAP);
    setLoader({ key: `${symbol}:${interval}`, loader: next });
    return () => next.dispose();
  }, [client, symbol, interval, asOf]);
  const current = loader?.key === key ? loader.loader : null;
  trpc.market.onCandles.useSubscription(
    { symbol, interval, maxHz: chartMaxFps },
    { enabled: current !== null, onData: (message: Tracked<Candle>) => current?.live(message.data) },
  );
  const state = useSyncExternalStore(current?.subscribe ?? noSubscribe, current?.get ?? noState);
  return {
    ...state,
    loadOlder: current?.loadOlder ?? noop,
    loadNewer: current?.loadNewer ?? noop,
    view: current?.view ?? noop,
    reload: current?.reload ?? noop,
    key,
  };
}

const noop = () => undefined;
const noSubscribe = () => noop;
const noState = () => undefined;
