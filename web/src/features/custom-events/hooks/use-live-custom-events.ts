import type { DeskCustomEvent } from '../../../../../shared/index';
import { historyLimits } from '../../../lib/config';
import { liveKey } from '../../../lib/live-key';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';

const keyOf = (e: DeskCustomEvent) => e.id;

/** Custom events (`feeds.broadcastCustom`), of one `type` when given (the server filters), kept current by `feeds.onCustom`. */
export function useLiveCustomEvents(type: string) {
  const wanted = type.trim();
  const input = { limit: historyLimits.custom, ...(wanted ? { type: wanted } : {}) };
  const key = liveKey('feeds.onCustom', input);
  const sink = useStreamSink<DeskCustomEvent>(key, { keyOf, limit: historyLimits.custom });
  const subscription = trpc.feeds.onCustom.useSubscription(input, { onData: sink.onData });
  return useLiveView<DeskCustomEvent>(key, subscription);
}
