import type { Agent } from '../../../../../shared/index';
import { streamMaxHz } from '../../../lib/config';
import { liveKey } from '../../../lib/live-key';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';

const input = { maxHz: streamMaxHz.agents };
const key = liveKey('agents.onAgents', input);
const keyOf = (a: Agent) => a.id;

/** Agents on the desk, kept current by `agents.onAgents`. */
export function useLiveAgents() {
  const sink = useStreamSink<Agent>(key, { keyOf });
  const subscription = trpc.agents.onAgents.useSubscription(input, { onData: sink.onData });
  return useLiveView<Agent>(key, subscription);
}
