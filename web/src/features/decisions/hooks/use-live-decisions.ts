import type { Decision } from '../../../../../shared/index';
import { historyLimits } from '../../../lib/config';
import { feedInput, type FeedFilter } from '../../../lib/feed-filter';
import { liveKey } from '../../../lib/live-key';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';

const keyOf = (d: Decision) => d.id;

/** Agents' decisions matching `filter`; the filter is the subscription's input, so the server filters. */
export function useLiveDecisions(filter: FeedFilter) {
  const input = feedInput(filter, historyLimits.decisions);
  const key = liveKey('agents.onDecisions', input);
  const sink = useStreamSink<Decision>(key, { keyOf, limit: historyLimits.decisions });
  const subscription = trpc.agents.onDecisions.useSubscription(input, { onData: sink.onData });
  return useLiveView<Decision>(key, subscription);
}
