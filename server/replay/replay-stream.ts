import type Database from 'better-sqlite3';
import { TRPCError, tracked, type TrackedEnvelope } from '@trpc/server';
import type { CandleInterval } from '../../shared/schema/candles';
import type { ReplaySpeed } from '../../shared/schema/replay';
import type { Moment } from '../../shared/schema/replay';
import type { StreamMessage } from '../../shared/schema/stream';
import type { Hub, Topic } from '../hub/hub';
import { structuralEqual } from '../hub/change-detector';
import { CONGESTION_POLL_MS, sleep, streamTopic, type StreamOptions } from '../hub/stream';
import { REPLAYED_KEYED } from './desk-state';
import type { Rebuilder } from './rebuild';
import { candlesTimeline, keyedTimeline, logTimeline, portfolioTimeline, pricesTimeline, type Timeline } from './timelines';

/** How often a replay with nothing left to send looks again for new events (and whether it caught up). */
const IDLE_POLL_MS = 200;

export interface ReplaySource {
  hub: Hub;
  db: Database.Database;
  rebuilder: Rebuilder;
}

export interface ReplayRequest {
  from: Moment;
  speed: ReplaySpeed;
  /** The stream's own input (onCandles: its symbol and interval). */
  input: Record<string, unknown>;
}

/**
 * Replays one topic: its view as of `from`, then the journaled changes after it, each with its own
 * event id, paced by their recorded time at `speed`; once the replay has sent every recorded change
 * and its clock has reached now, it goes on live by resuming the live stream from the last id it
 * sent, so nothing is missed or sent twice; the first live message (empty when nothing changed
 * since) carries the desk's newest id. Reads the journal a page at a time. A stream resumed
 * with `lastEventId` (a reconnect) replays on from that id.
 */
export async function* replayTopic<T>(
  source: ReplaySource,
  topic: Topic<T>,
  options: StreamOptions<T>,
  request: ReplayRequest,
): AsyncGenerator<TrackedEnvelope<StreamMessage<T>>> {
  const { signal, isCongested } = options;
  const resumed = options.lastEventId != null;
  const at = source.rebuilder.resolve(resumed ? options.lastEventId! : request.from);
  const timeline = timelineOf(source, topic, options, request, at, resumed);
  let lastId = at.id;
  const speed = request.speed;
  const wallStart = Date.now();
  const replayNow = () => at.ts + (Date.now() - wallStart) * speed;
  // The newest value sent per key (state topics), so the live stream does not send it again.
  const held = topic.deliveryClass === 'log' ? null : new Map<string, T>();
  const hold = (message: StreamMessage<T>) => {
    if (!held) return;
    if (message.type === 'snapshot') held.clear();
    for (const item of message.type === 'changes' ? message.upserts : message.items) held.set(topic.keyOf(item), item);
    if (message.type === 'changes') for (const key of message.removes) held.delete(key);
  };
  if (timeline.first) {
    hold(timeline.first);
    yield send(source.hub, lastId, timeline.first);
  }
  // Paused: the desk as of `from`, and nothing after it until the client asks for something else.
  if (speed === 0) {
    if (signal && !signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    return;
  }
  while (!signal?.aborted) {
    const steps = timeline.next(Date.now());
    for (const step of steps) {
      await sleep(wallStart + (step.ts - at.ts) / speed - Date.now(), signal);
      while (isCongested?.() && !signal?.aborted) await sleep(CONGESTION_POLL_MS, signal);
      if (signal?.aborted) return;
      lastId = Math.max(lastId, step.id);
      if (!step.message) continue;
      hold(step.message);
      yield send(source.hub, lastId, step.message);
    }
    if (steps.length > 0) continue;
    if (replayNow() >= Date.now()) break;
    await sleep(Math.min(IDLE_POLL_MS, (Date.now() - replayNow()) / speed), signal);
  }
  if (signal?.aborted) return;
  const live = streamTopic(source.hub, topic, { ...options, lastEventId: String(lastId) });
  const first = await live.next();
  if (first.done) return;
  const [id, message] = first.value;
  const fresh = held && message.type === 'changes' ? { ...message, upserts: message.upserts.filter((item) => !sameAs(held.get(topic.keyOf(item)), item)) } : message;
  // Sent even when empty: its id, the desk's newest, tells the client the stream is live now.
  yield tracked(id, fresh);
  yield* live;
}

function sameAs<T>(held: T | undefined, item: T): boolean {
  return held !== undefined && structuralEqual(held, item);
}

function timelineOf<T>(
  source: ReplaySource,
  topic: Topic<T>,
  options: StreamOptions<T>,
  request: ReplayRequest,
  at: { id: number; ts: number },
  resumed: boolean,
): Timeline<T> {
  const name = topic.name;
  if ((REPLAYED_KEYED as readonly string[]).includes(name)) return keyedTimeline(source, name, options.filter, at, resumed);
  // Every log topic replays from its rows alone (no checkpoint needed).
  if (topic.deliveryClass === 'log') return logTimeline(source, name, options.filter, options.limit ?? 50, at, resumed);
  if (name === 'portfolio') return portfolioTimeline(source, at);
  if (name === 'prices') return pricesTimeline(source, options.filter, at);
  if (name === 'candles') return candlesTimeline(source, String(request.input.symbol), request.input.interval as CandleInterval, at);
  throw new TRPCError({ code: 'BAD_REQUEST', message: `the ${name} stream has no replay` });
}

function send<T>(hub: Hub, id: number, message: StreamMessage<T>): TrackedEnvelope<StreamMessage<T>> {
  hub.counters.messagesSent++;
  return tracked(String(id), message);
}
