import { skipToken, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { PriceTick, StreamMessage } from '../../../../../shared/index';
import { priceHistoryPoints, streamMaxHz } from '../../../lib/config';
import { liveKey } from '../../../lib/live-key';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';
import { appendPriceHistory, ticksOf, type PriceHistory } from '../price-history';

const input = { maxHz: streamMaxHz.prices };
const key = liveKey('market.onPrices', input);
const historyKey = liveKey('market.onPrices/history', input);
const keyOf = (tick: PriceTick) => tick.symbol;
const empty: PriceHistory = {};

/** Every symbol's latest tick and its recent history, kept current by `market.onPrices`. */
export function useLivePrices() {
  const queryClient = useQueryClient();
  const onApplied = useCallback(
    (_view: PriceTick[], messages: StreamMessage<PriceTick>[]) => {
      const ticks = ticksOf(messages);
      if (ticks.length === 0) return;
      queryClient.setQueryData<PriceHistory>(historyKey, (old) => appendPriceHistory(old ?? empty, ticks, priceHistoryPoints));
    },
    [queryClient],
  );
  const sink = useStreamSink<PriceTick>(key, { keyOf, onApplied });
  const subscription = trpc.market.onPrices.useSubscription(input, { onData: sink.onData });
  const view = useLiveView<PriceTick>(key, subscription);
  const history = useQuery<PriceHistory>({ queryKey: historyKey, queryFn: skipToken, staleTime: Infinity });
  return { ...view, history: history.data ?? empty };
}
