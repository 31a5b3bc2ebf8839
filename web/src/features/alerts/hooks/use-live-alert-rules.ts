import type { AlertRule } from '../../../../../shared/index';
import { liveKey } from '../../../lib/live-key';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';

const input = {};
const key = liveKey('alerts.onRules', input);
const keyOf = (r: AlertRule) => r.id;

/** Alert rules, kept current by `alerts.onRules`. */
export function useLiveAlertRules() {
  const sink = useStreamSink<AlertRule>(key, { keyOf });
  const subscription = trpc.alerts.onRules.useSubscription(input, { onData: sink.onData });
  return useLiveView<AlertRule>(key, subscription);
}
