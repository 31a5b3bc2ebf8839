import type { Trade } from '../../../../../shared/index';
import { liveKey } from '../../../lib/live-key';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';

/** The desk's trades of one symbol the chart marks: the newest this many, then each new one. */
export const CHART_TRADES = 1_000;
const keyOf = (t: Trade) => t.id;

/** One symbol's trades from `market.onTrades`, filtered on the server. */
export function useSymbolTrades(symbol: string) {
  const input = { symbols: [symbol], limit: CHART_TRADES };
  const key = liveKey('market.onTrades', input);
  const sink = useStreamSink<Trade>(key, { keyOf, limit: CHART_TRADES });
  const subscription = trpc.market.onTrades.useSubscription(input, { onData: sink.onData });
  return useLiveView<Trade>(key, subscription);
}
