import { useState } from 'react';
import type { MemoryEvent, StreamMessage } from '../../../../../shared/index';
import { trpc } from '../../../lib/trpc';
import { applyMemoryMessage, TIMELINE_CAP } from '../memory-timeline';

/** One agent's memory events, live (`agents.onMemory`), oldest first, the newest `TIMELINE_CAP`. */
export function useAgentMemory(agentId: string) {
  const [events, setEvents] = useState<MemoryEvent[] | undefined>(undefined);
  const subscription = trpc.agents.onMemory.useSubscription(
    { agentId, limit: TIMELINE_CAP },
    { onData: ({ data }: { data: StreamMessage<MemoryEvent> }) => setEvents((held) => applyMemoryMessage(held ?? [], data)) },
  );
  return { events, error: subscription.status === 'error' ? (subscription.error?.message ?? 'subscription failed') : null };
}
