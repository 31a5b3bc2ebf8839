import { tracked, type TrackedEnvelope } from '@trpc/server';
import type { StreamMessage } from '../../shared/schema/stream';
import type { Filter } from './filter';
import type { Hub, Topic } from './hub';
import { LogTopic } from './log-topic';
import { WaitingSubscriber, type DeltaMode, type Outgoing } from './subscriber';

export interface StreamOptions<T> {
  filter: Filter<T>;
  /** Resume after this event id (tRPC passes it on reconnect). */
  lastEventId?: string | null;
  /** Log topics: snapshot size. @default 50 */
  limit?: number;
  /** State topics: at most this many messages per second. */
  maxHz?: number;
  /** State topics that offer them: rows the subscriber holds go out as patches (`'compact'`: compact ones). @default false */
  deltas?: DeltaMode;
  signal?: AbortSignal;
  /** True while the transport is not keeping up; delivery waits (and conflates) meanwhile. */
  isCongested?: () => boolean;
  /**
   * The connection's bandwidth budget: a state topic's next message waits (and conflates) until it
   * allows, and each message spends its JSON's length. Log topics only spend it. Null: no limit.
   */
  budget?: SendBudget | null;
}

/** What a stream needs of a connection's bandwidth budget (`ByteBudget`). */
export interface SendBudget {
  wait(signal?: AbortSignal): Promise<void>;
  allows(): boolean;
  spend(bytes: number): void;
}

/** Whether (and how) a subscription with these options gets patches: it asked, and the topic offers them. */
export function usesDeltas<T>(topic: Topic<T>, options: Pick<StreamOptions<T>, 'deltas'>): DeltaMode {
  return options.deltas !== undefined && options.deltas !== false && !(topic instanceof LogTopic) && topic.deltas ? options.deltas : false;
}

/** How often a congested stream looks again whether it may send. */
export const CONGESTION_POLL_MS = 20;

/** One subscription's stream, as a transport that delivers it itself receives it. */
export interface StreamPlan<T> {
  hub: Hub;
  topic: Topic<T>;
  options: StreamOptions<T>;
}

/**
 * Streams one topic to one subscriber: registers on the hub first, then yields the snapshot (or
 * exactly what was missed since `lastEventId`, or a resync snapshot when that is too old), then
 * everything that changes, each message as `tracked(eventId, message)`.
 */
export async function* streamTopic<T>(
  hub: Hub,
  topic: Topic<T>,
  options: StreamOptions<T>,
): AsyncGenerator<TrackedEnvelope<StreamMessage<T>>> {
  const { signal, isCongested } = options;
  const limit = options.limit ?? 50;
  const budget = options.budget ?? null;
  const conflates = !(topic instanceof LogTopic);
  const subscriber = new WaitingSubscriber<T>(hub, usesDeltas(topic, options));
  const onAbort = () => subscriber.wake();
  signal?.addEventListener('abort', onAbort, { once: true });
  const filter = topic.subscribe(options.filter, subscriber);
  try {
    yield send(hub, first(hub, topic, options, limit));
    let lastSentAt = Date.now();
    const minGapMs = options.maxHz ? 1000 / options.maxHz : 0;
    while (!signal?.aborted) {
      await subscriber.ready(signal ?? neverAborted);
      if (signal?.aborted) break;
      if (minGapMs > 0) await sleep(lastSentAt + minGapMs - Date.now(), signal);
      while (isCongested?.() && !signal?.aborted) await sleep(CONGESTION_POLL_MS, signal);
      // Over budget: a state topic's rows conflate meanwhile; a log topic's events never wait for it.
      if (budget !== null && conflates && !budget.allows()) await budget.wait(signal);
      if (signal?.aborted) break;
      let next: Outgoing<T> | null;
      if (subscriber.overflowed) {
        subscriber.reset();
        next = resync(hub, topic, filter, limit);
      } else next = subscriber.take();
      if (!next) continue;
      lastSentAt = Date.now();
      budget?.spend(JSON.stringify(next.message).length);
      yield send(hub, next);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    topic.unsubscribe(filter, subscriber);
  }
}

export function first<T>(hub: Hub, topic: Topic<T>, options: StreamOptions<T>, limit: number): Outgoing<T> {
  const { filter } = options;
  const from = options.lastEventId == null ? null : Number(options.lastEventId);
  if (from === null) return { id: hub.lastId, message: snapshotOf(topic, filter, limit, false) };
  if (from > hub.lastId) return resync(hub, topic, filter, limit);
  if (topic instanceof LogTopic) {
    const items = topic.after(from, filter.match);
    if (!items) return resync(hub, topic, filter, limit);
    return { id: hub.lastId, message: { type: 'append', items } };
  }
  const since = topic.since(from, filter);
  if (since.kind === 'resync') return resync(hub, topic, filter, limit);
  return { id: hub.lastId, message: { type: 'changes', upserts: since.upserts, removes: since.removes } };
}

export function resync<T>(hub: Hub, topic: Topic<T>, filter: Filter<T>, limit: number): Outgoing<T> {
  hub.counters.resynced++;
  return { id: hub.lastId, message: snapshotOf(topic, filter, limit, true) };
}

function snapshotOf<T>(topic: Topic<T>, filter: Filter<T>, limit: number, resync: boolean): StreamMessage<T> {
  const items = topic instanceof LogTopic ? topic.snapshot(filter, limit) : topic.snapshot(filter);
  return { type: 'snapshot', items, resync };
}

function send<T>(hub: Hub, out: Outgoing<T>): TrackedEnvelope<StreamMessage<T>> {
  hub.counters.messagesSent++;
  return tracked(String(out.id), out.message);
}

const neverAborted = new AbortController().signal;

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
