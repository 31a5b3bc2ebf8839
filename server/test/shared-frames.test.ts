import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { StreamMessage } from '../../shared/index';
import { collector, eventually, sleep, startTestDesk, type TestDesk } from './harness';

/**
 * Subscriptions of one request id share a frame head, and a topic group's payload is encoded once
 * per commit and written to every subscriber's socket: what one connection or subscription does
 * (stops, closes in the middle of a delivery) must not change what the others receive.
 */
let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({ statsIntervalMs: 3_600_000 });
});
afterAll(() => desk.close());

// A log topic: every event reaches every subscriber (a state topic's rows would conflate).
let eventIds = 0;
const publish = (type: string, n: number) => {
  const { hub, topics } = desk.app.desk;
  hub.commit((tx) => tx.append((topics as any).custom, { id: `e${++eventIds}`, type, data: n, ts: 1 }));
};
/** Every event's number a stream delivered after its snapshot, in order. */
const numbersOf = (messages: { data: StreamMessage<unknown> }[]) =>
  messages.flatMap((m) => (m.data.type === 'append' ? (m.data.items as { data: number }[]).map((e) => e.data) : []));

describe('shared frame heads and payloads', () => {
  it('one subscription stopping leaves the others of its id and its connection receiving every change', async () => {
    const a = desk.client();
    const b = desk.client();
    // Both clients number their first subscription 1: the two share one head and one payload.
    const gotA = collector<StreamMessage<unknown>>();
    const gotB1 = collector<StreamMessage<unknown>>();
    const gotB2 = collector<StreamMessage<unknown>>();
    const subA = a.feeds.onCustom.subscribe({ type: 'shared' }, gotA as never);
    const subB1 = b.feeds.onCustom.subscribe({ type: 'shared' }, gotB1 as never);
    const subB2 = b.feeds.onCustom.subscribe({ type: 'shared' }, gotB2 as never);
    for (const got of [gotA, gotB1, gotB2]) await got.until((m) => m.length === 1);
    for (let i = 1; i <= 5; i++) {
      publish('shared', i);
      await sleep(10);
    }
    await gotB1.until((m) => numbersOf(m).includes(5));
    subB1.unsubscribe();
    await sleep(50);
    for (let i = 6; i <= 10; i++) {
      publish('shared', i);
      await sleep(10);
    }
    const all = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    await gotA.until((m) => numbersOf(m).includes(10));
    await gotB2.until((m) => numbersOf(m).includes(10));
    expect(numbersOf(gotA.messages)).toEqual(all);
    expect(numbersOf(gotB2.messages)).toEqual(all);
    expect(numbersOf(gotB1.messages)).toEqual([1, 2, 3, 4, 5]);
    // Same commits, same ids, whichever connection and subscription got them.
    expect(gotB2.messages.map((m) => m.id)).toEqual(gotA.messages.map((m) => m.id));
    for (const got of [gotA, gotB1, gotB2]) expect(got.errors).toEqual([]);
    subA.unsubscribe();
    subB2.unsubscribe();
  });

  it('connections closed with a delivery pending leave the rest receiving every change, in order', async () => {
    const CLIENTS = 40;
    // The first test's clients are still connected.
    const open = desk.app.wss.clients.size;
    const received: number[][] = Array.from({ length: CLIENTS }, () => []);
    const sockets = await Promise.all(
      Array.from(
        { length: CLIENTS },
        (_, i) =>
          new Promise<WebSocket>((resolve, reject) => {
            const socket = new WebSocket(desk.app.wsUrl);
            socket.once('error', reject);
            socket.once('open', () => socket.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: 'feeds.onCustom', input: { type: 'mid' } } })));
            socket.on('message', (raw) => {
              const frame = JSON.parse(String(raw));
              if (frame.result?.type !== 'data') return;
              if (frame.result.data.data.type === 'snapshot') resolve(socket);
              else for (const event of frame.result.data.data.items) received[i]!.push(event.data);
            });
          }),
      ),
    );
    const server = [...desk.app.wss.clients].slice(open);
    const errors: unknown[] = [];
    for (const socket of server) socket.on('error', (error) => errors.push(error));
    const TICKS = 30;
    for (let t = 1; t <= TICKS; t++) {
      publish('mid', t);
      // Mid-stream, half the server's sockets go away with this commit queued for them, before the flush.
      if (t === 15) server.filter((_, i) => i % 2 === 0).forEach((socket) => socket.terminate());
      await sleep(5);
    }
    const ticks = Array.from({ length: TICKS }, (_, i) => i + 1);
    const survivors = sockets.filter((s) => s.readyState === WebSocket.OPEN);
    expect(survivors).toHaveLength(CLIENTS / 2);
    await eventually(() => sockets.every((s, i) => s.readyState !== WebSocket.OPEN || received[i]!.length === TICKS), 10_000, 'every open client got every tick');
    for (const [i, s] of sockets.entries()) {
      if (s.readyState === WebSocket.OPEN) expect(received[i]).toEqual(ticks);
      // A closed one got a prefix of the ticks, in order, and nothing after its close.
      else expect(received[i]).toEqual(ticks.slice(0, received[i]!.length));
    }
    expect(errors).toEqual([]);
    for (const s of sockets) s.close();
    await eventually(() => desk.app.wss.clients.size === open, 10_000, 'all closed');
    await eventually(() => desk.app.desk.hub.subscriptionCounts().custom === 0, 5_000, 'subscriptions released');
  });
});
