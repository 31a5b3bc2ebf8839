import type { Signal } from '../../../../../shared/index';
import { historyLimits } from '../../../lib/config';
import { liveKey } from '../../../lib/live-key';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';

const input = { limit: historyLimits.signals };
const key = liveKey('feeds.onSignals', input);
const keyOf = (item: Signal) => item.id;

/** Trading signals, newest last, kept current by `feeds.onSignals`. */
export function useLiveSignals() {
  const sink = useStreamSink<Signal>(key, { keyOf, limit: historyLimits.signals });
  const subscription = trpc.feeds.onSignals.useSubscription(input, { onData: sink.onData });
  return useLiveView<Signal>(key, subscription);
}
