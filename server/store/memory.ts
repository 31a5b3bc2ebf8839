import type { MemoryEvent, RecordMemoryInput } from '../../shared/schema/memory';
import type { Hub } from '../hub/hub';
import type { LogTopic } from '../hub/log-topic';
import { idMaker } from './ids';

/**
 * Agents' memory events, as a log: each says what an agent did to one of its memories (created,
 * updated, read back, deleted). The desk keeps the events, not the memories: an event about a
 * memory it never saw created is recorded as told, since the agent's own store is the authority.
 */
export class AgentMemory {
  constructor(
    private readonly hub: Hub,
    private readonly topic: LogTopic<MemoryEvent>,
    private readonly now: () => number,
  ) {}

  /** Records one memory event; a `created` one without `memoryId` names the memory after the event. */
  record(input: RecordMemoryInput): { eventId: number | null; memory: MemoryEvent } {
    let memory: MemoryEvent | undefined;
    const eventId = this.hub.commit((tx) => {
      const id = idMaker(tx.id)('mem');
      memory = {
        id,
        memoryId: input.memoryId ?? `mry-${tx.id.toString(36)}`,
        agentId: input.agentId,
        action: input.action,
        content: input.content,
        importance: input.importance,
        tags: input.tags,
        ts: this.now(),
      };
      tx.append(this.topic, memory);
    });
    return { eventId, memory: memory! };
  }
}
