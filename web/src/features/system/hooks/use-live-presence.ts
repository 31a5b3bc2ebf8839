import type { Presence } from '../../../../../shared/index';
import { liveKey } from '../../../lib/live-key';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';

const input = {};
const key = liveKey('system.onPresence', input);
const keyOf = () => 'presence';

/** Who is connected to the desk (admins only), kept current by `system.onPresence`. */
export function useLivePresence() {
  const sink = useStreamSink<Presence>(key, { keyOf });
  const subscription = trpc.system.onPresence.useSubscription(input, { onData: sink.onData });
  const view = useLiveView<Presence>(key, subscription);
  return { ...view, presence: view.data?.[0] };
}
