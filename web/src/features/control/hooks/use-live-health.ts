import type { Health } from '../../../../../shared/index';
import { liveKey } from '../../../lib/live-key';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';

const input = {};
const key = liveKey('system.onHealth', input);
const keyOf = () => 'health';

/** The server's health, including the simulator's state, kept current by `system.onHealth`. */
export function useLiveHealth() {
  const sink = useStreamSink<Health>(key, { keyOf });
  const subscription = trpc.system.onHealth.useSubscription(input, { onData: sink.onData });
  const view = useLiveView<Health>(key, subscription);
  return { ...view, health: view.data?.[0] };
}
