import type { Portfolio } from '../../../../../shared/index';
import { streamMaxHz } from '../../../lib/config';
import { liveKey } from '../../../lib/live-key';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';

const input = { maxHz: streamMaxHz.portfolio };
const key = liveKey('market.onPortfolio', input);
const keyOf = () => 'portfolio';

/** The desk's portfolio, kept current by `market.onPortfolio`. */
export function useLivePortfolio() {
  const sink = useStreamSink<Portfolio>(key, { keyOf });
  const subscription = trpc.market.onPortfolio.useSubscription(input, { onData: sink.onData });
  const view = useLiveView<Portfolio>(key, subscription);
  return { ...view, portfolio: view.data?.[0] };
}
