import type { DeskNotification } from '../../../../../shared/index';
import { historyLimits } from '../../../lib/config';
import { liveKey } from '../../../lib/live-key';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';

const input = { limit: historyLimits.notifications };
const key = liveKey('feeds.onNotifications', input);
const keyOf = (item: DeskNotification) => item.id;

/** Notifications, kept current by `feeds.onNotifications`. */
export function useLiveNotifications() {
  const sink = useStreamSink<DeskNotification>(key, { keyOf, limit: historyLimits.notifications });
  const subscription = trpc.feeds.onNotifications.useSubscription(input, { onData: sink.onData });
  return useLiveView<DeskNotification>(key, subscription);
}
