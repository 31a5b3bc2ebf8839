import type { AlertRule } from '../../../../../shared/index';
import { liveKey } from '../../../lib/live-key';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';

const keyOf = (r: AlertRule) => r.id;

/** One symbol's alert rules from `alerts.onRules`, filtered on the server. */
export function useSymbolAlertRules(symbol: string) {
  const input = { symbols: [symbol] };
  const key = liveKey('alerts.onRules', input);
  const sink = useStreamSink<AlertRule>(key, { keyOf });
  const subscription = trpc.alerts.onRules.useSubscription(input, { onData: sink.onData });
  return useLiveView<AlertRule>(key, subscription);
}
