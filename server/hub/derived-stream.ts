import type { StreamMessage } from '../../shared/schema/stream';
import type { HubCounters } from './counters';
import type { DerivedTopic } from './derived-topic';
import { CONGESTION_POLL_MS, sleep } from './stream';

export interface DerivedStreamOptions {
  /** At most this many messages per second. */
  maxHz?: number;
  signal?: AbortSignal;
  /** True while the transport is not keeping up; delivery waits meanwhile. */
  isCongested?: () => boolean;
  /** Counts the messages sent. */
  counters?: HubCounters;
}

/**
 * Streams a derived value: a snapshot of a fresh reading, then each new reading as `changes`,
 * as plain messages without an event id (a reconnect starts again from the current reading). A
 * subscriber held back by `maxHz` or a congested connection gets only the newest reading.
 */
export async function* streamDerived<T>(
  topic: DerivedTopic<T>,
  options: DerivedStreamOptions = {},
): AsyncGenerator<StreamMessage<T>> {
  const { signal, isCongested, counters } = options;
  // Set by the listener between turns, hence the cast: flow analysis cannot see that.
  let next = null as { value: T } | null;
  let wake: (() => void) | null = null;
  const rouse = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  // A fresh reading first (before listening, so it is not also queued as a change).
  topic.refresh();
  const unsubscribe = topic.subscribe((value) => {
    next = { value };
    rouse();
  });
  signal?.addEventListener('abort', rouse, { once: true });
  try {
    const current = topic.current;
    if (counters) counters.messagesSent++;
    yield { type: 'snapshot', items: current === undefined ? [] : [current], resync: false };
    let lastSentAt = Date.now();
    const minGapMs = options.maxHz ? 1000 / options.maxHz : 0;
    while (!signal?.aborted) {
      if (next === null) await new Promise<void>((resolve) => (wake = resolve));
      if (signal?.aborted) break;
      if (minGapMs > 0) await sleep(lastSentAt + minGapMs - Date.now(), signal);
      while (isCongested?.() && !signal?.aborted) await sleep(CONGESTION_POLL_MS, signal);
      const reading = next;
      if (signal?.aborted || reading === null) continue;
      next = null;
      lastSentAt = Date.now();
      if (counters) counters.messagesSent++;
      yield { type: 'changes', upserts: [reading.value], removes: [] };
    }
  } finally {
    signal?.removeEventListener('abort', rouse);
    unsubscribe();
  }
}
