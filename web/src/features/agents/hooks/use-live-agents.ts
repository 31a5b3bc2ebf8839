import type { Agent } from '../../../../../shared/index';
import { agentsLiveKey, agentsStreamInput } from '../../../lib/known-agents';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';

const keyOf = (a: Agent) => a.id;

/** Agents on the desk, kept current by `agents.onAgents` (the rows `useKnownAgent` reads too). */
export function useLiveAgents() {
  const sink = useStreamSink<Agent>(agentsLiveKey, { keyOf });
  const subscription = trpc.agents.onAgents.useSubscription(agentsStreamInput, { onData: sink.onData });
  return useLiveView<Agent>(agentsLiveKey, subscription);
}
