import type { SystemAlert } from '../../../../../shared/index';
import { historyLimits } from '../../../lib/config';
import { liveKey } from '../../../lib/live-key';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';

const input = { limit: historyLimits.systemAlerts };
const key = liveKey('feeds.onSystemAlerts', input);
const keyOf = (item: SystemAlert) => item.id;

/** System alerts, kept current by `feeds.onSystemAlerts`. */
export function useLiveSystemAlerts() {
  const sink = useStreamSink<SystemAlert>(key, { keyOf, limit: historyLimits.systemAlerts });
  const subscription = trpc.feeds.onSystemAlerts.useSubscription(input, { onData: sink.onData });
  return useLiveView<SystemAlert>(key, subscription);
}
