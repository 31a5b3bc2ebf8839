import type { Alert } from '../../../../../shared/index';
import { streamMaxHz } from '../../../lib/config';
import { liveKey } from '../../../lib/live-key';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';

const input = { maxHz: streamMaxHz.alerts };
/** Where the active alerts live in the query cache. */
export const alertsKey = liveKey('alerts.onAlerts', input);
const keyOf = (a: Alert) => a.id;

/** Active alerts, kept current by `alerts.onAlerts`. */
export function useLiveAlerts() {
  const sink = useStreamSink<Alert>(alertsKey, { keyOf });
  const subscription = trpc.alerts.onAlerts.useSubscription(input, { onData: sink.onData });
  return useLiveView<Alert>(alertsKey, subscription);
}
