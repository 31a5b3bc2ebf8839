import type { MetricSample } from '../../../../../shared/index';
import { historyLimits } from '../../../lib/config';
import { liveKey } from '../../../lib/live-key';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';

const keyOf = (m: MetricSample) => m.id;

/** Metric samples (`feeds.recordMetrics`), of one `name` when given (the server filters), kept current by `feeds.onMetrics`. */
export function useLiveMetrics(name: string) {
  const wanted = name.trim();
  const input = { limit: historyLimits.metrics, ...(wanted ? { name: wanted } : {}) };
  const key = liveKey('feeds.onMetrics', input);
  const sink = useStreamSink<MetricSample>(key, { keyOf, limit: historyLimits.metrics });
  const subscription = trpc.feeds.onMetrics.useSubscription(input, { onData: sink.onData });
  return useLiveView<MetricSample>(key, subscription);
}
