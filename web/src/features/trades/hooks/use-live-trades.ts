import type { Trade } from '../../../../../shared/index';
import { historyLimits } from '../../../lib/config';
import { feedInput, type FeedFilter } from '../../../lib/feed-filter';
import { liveKey } from '../../../lib/live-key';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';

const keyOf = (t: Trade) => t.id;

/** Executed trades matching `filter`; the filter is the subscription's input, so the server filters. */
export function useLiveTrades(filter: FeedFilter) {
  const input = feedInput(filter, historyLimits.trades);
  const key = liveKey('market.onTrades', input);
  const sink = useStreamSink<Trade>(key, { keyOf, limit: historyLimits.trades });
  const subscription = trpc.market.onTrades.useSubscription(input, { onData: sink.onData });
  return useLiveView<Trade>(key, subscription);
}
