import type { MemoryEvent, StreamMessage } from '../../../../shared/index';

/** Memory events the timeline keeps at most (newest kept). */
export const TIMELINE_CAP = 200;

/** Folds one `agents.onMemory` message into the events held, oldest first, at most `cap`. */
export function applyMemoryMessage(held: readonly MemoryEvent[], message: StreamMessage<MemoryEvent>, cap = TIMELINE_CAP): MemoryEvent[] {
  if (message.type === 'snapshot') return message.items.slice(-cap);
  if (message.type !== 'append' || message.items.length === 0) return held as MemoryEvent[];
  const seen = new Set(held.map((e) => e.id));
  // A resumed stream may deliver an event again: each is kept once.
  const fresh = message.items.filter((e) => !seen.has(e.id));
  return fresh.length === 0 ? (held as MemoryEvent[]) : [...held, ...fresh].slice(-cap);
}

export interface TimelineFilter {
  /** Keep events carrying any of these (none: every event). */
  tags: readonly string[];
  minImportance: number;
}

/** The events that pass the filter, newest first. */
export function filterTimeline(events: readonly MemoryEvent[], filter: TimelineFilter): MemoryEvent[] {
  const tags = new Set(filter.tags);
  return events.filter((e) => e.importance >= filter.minImportance && (tags.size === 0 || e.tags.some((t) => tags.has(t)))).reverse();
}

/** Every tag among the events, sorted, for the filter's choices. */
export function tagsOf(events: readonly MemoryEvent[]): string[] {
  return [...new Set(events.flatMap((e) => e.tags))].sort();
}
