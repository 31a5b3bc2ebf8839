import type { AgentCommand } from '../../../../../shared/index';
import { streamMaxHz } from '../../../lib/config';
import { liveKey } from '../../../lib/live-key';
import { trpc } from '../../../lib/trpc';
import { useLiveView } from '../../../lib/use-live-view';
import { useStreamSink } from '../../../lib/use-stream-sink';

const input = { maxHz: streamMaxHz.agents };
const key = liveKey('agents.onCommands', input);
const keyOf = (c: AgentCommand) => c.id;

/** Operators' commands to agents and where each stands, kept current by `agents.onCommands`. */
export function useLiveAgentCommands() {
  const sink = useStreamSink<AgentCommand>(key, { keyOf });
  const subscription = trpc.agents.onCommands.useSubscription(input, { onData: sink.onData });
  return useLiveView<AgentCommand>(key, subscription);
}
