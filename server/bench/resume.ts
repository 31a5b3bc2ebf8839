import type { Fleet } from './fleet';
import { openParsed, type WireMessage } from './wire';

export interface ResumeResult {
  events: number;
  /** From opening the new socket to the last missed event arriving. */
  catchUpMs: number;
  received: number;
  inOrder: boolean;
  gaps: number;
  duplicates: number;
  /** The id the catch-up ended on equals the server's newest event id. */
  endsOnLastId: boolean;
  frames: number;
  bytes: number;
}

interface DeskCustomEvent {
  id: string;
  data: number;
}

const itemsOf = (messages: WireMessage[]) =>
  messages.flatMap((m) => {
    const message = m.data as { type: string; items?: DeskCustomEvent[] };
    return message.type === 'append' ? (message.items ?? []) : [];
  });

/**
 * A log-topic subscriber drops its socket, the desk publishes `events` events, the subscriber
 * comes back with its last event id: how long until it has them all, and are they exactly right.
 */
export async function measureResume(fleet: Fleet, events: number): Promise<ResumeResult> {
  const subscription = { path: 'feeds.onCustom', input: { type: 'bench-resume', limit: 0 } };
  const first = await openParsed(fleet.url, subscription);
  await first.until((m) => m.length >= 1, 5_000);
  const lastEventId = first.messages.at(-1)!.id;
  first.socket.terminate();

  const published = await fleet.server.request<{ lastEventId: string }>('custom', { count: events, type: 'bench-resume' }, 60_000);
  const started = performance.now();
  let frames = 0;
  let bytes = 0;
  const again = await openParsed(fleet.url, { ...subscription, lastEventId });
  again.socket.on('message', (data: Buffer) => {
    frames++;
    bytes += data.length;
  });
  await again.until((m) => itemsOf(m).length >= events, 10_000).catch(() => {});
  const catchUpMs = performance.now() - started;
  again.socket.terminate();

  const values = itemsOf(again.messages).map((e) => e.data);
  let gaps = 0;
  let duplicates = 0;
  for (let i = 1; i < values.length; i++) {
    if (values[i]! <= values[i - 1]!) duplicates++;
    else if (values[i]! !== values[i - 1]! + 1) gaps++;
  }
  return {
    events,
    catchUpMs,
    received: values.length,
    inOrder: values.length === events && values.every((v, i) => v === i),
    gaps: gaps + (values[0] === 0 ? 0 : 1),
    duplicates,
    endsOnLastId: again.messages.at(-1)?.id === published.lastEventId,
    frames,
    bytes,
  };
}
