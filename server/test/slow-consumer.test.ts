import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { DeskCustomEvent, StreamMessage } from '../../shared/index';
import { collector, eventually, startTestDesk, type TestDesk } from './harness';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({ statsIntervalMs: 3_600_000, highWaterMark: 64 * 1024, desk: { hub: { maxQueue: 200 } } });
});
afterAll(() => desk.close());

/** A client that speaks tRPC's WebSocket protocol by hand, so it can stop reading its socket. */
async function rawSubscriber(url: string, path: string, input: unknown) {
  const socket = new WebSocket(url);
  const messages: Array<{ id: string; data: StreamMessage<DeskCustomEvent> }> = [];
  socket.on('message', (raw) => {
    const frame = JSON.parse(String(raw));
    if (frame.result?.type === 'data') messages.push(frame.result.data);
  });
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ id: 1, method: 'subscription', params: { path, input } }));
  const tcp = (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  return { socket, messages, pause: () => tcp.pause(), resume: () => tcp.resume() };
}

const payload = 'x'.repeat(4096);
const itemsAfterLastSnapshot = (messages: Array<{ data: StreamMessage<DeskCustomEvent> }>) => {
  const start = messages.findLastIndex((m) => m.data.type === 'snapshot');
  return messages.slice(start + 1).flatMap((m) => (m.data.type === 'append' ? m.data.items : []));
};

describe('a client that stops reading', () => {
  it('does not grow server memory without bound or hold up others, and is resynced when it reads again', { timeout: 90_000 }, async () => {
    const slow = await rawSubscriber(desk.app.wsUrl, 'feeds.onCustom', { type: 'slow', limit: 0 });
    await eventually(() => slow.messages.length === 1, 5000, 'slow client snapshot');
    const fast = collector<StreamMessage<DeskCustomEvent>>();
    const sub = desk.client().feeds.onCustom.subscribe({ type: 'slow', limit: 0 }, fast);
    await fast.until((m) => m.length === 1);
    const serverSide = [...desk.app.wss.clients];
    slow.pause();

    const total = 6000; // ~24 MB of events while the slow client reads nothing
    const fastItems = () => fast.messages.flatMap((m) => (m.data.type === 'append' ? m.data.items : []));
    let maxBuffered = 0;
    for (let i = 0; i < total; i++) {
      desk.app.desk.activity.broadcastCustom({ type: 'slow', data: { i, payload } });
      if (i % 50 === 49) {
        await new Promise((resolve) => setImmediate(resolve));
        for (const socket of serverSide) maxBuffered = Math.max(maxBuffered, socket.bufferedAmount);
        // Paced by the reading client, at most half its queue ahead: on a busy machine this process
        // parses 4 KB events slower than it publishes them, and a client that falls 200 behind is
        // rightly resynced, which is the slow client's case, not the one this client stands for.
        await fast.until(() => fastItems().length > i - 100, 60_000);
      }
    }
    // ~24 MB to parse: seconds on a quiet machine, far more when the machine is shared; all of it must come.
    await fast.until(() => fastItems().length === total, 60_000);
    expect(fastItems().map((e) => (e.data as { i: number }).i)).toEqual(Array.from({ length: total }, (_, i) => i));
    // Bounded: the high-water mark plus at most one merged message of the bounded queue.
    expect(maxBuffered).toBeLessThan(64 * 1024 + 200 * 4200 + 64 * 1024);
    const resyncedBefore = desk.app.desk.hub.counters.resynced;

    slow.resume();
    await eventually(() => slow.messages.some((m) => m.data.type === 'snapshot' && m.data.resync), 10_000, 'slow client resync');
    desk.app.desk.activity.broadcastCustom({ type: 'slow', data: { i: total, payload: '' } });
    await eventually(() => itemsAfterLastSnapshot(slow.messages).some((e) => (e.data as { i: number }).i === total), 10_000, 'slow client caught up');
    expect(desk.app.desk.hub.counters.resynced).toBeGreaterThan(resyncedBefore);
    // Before the resync: an in-order prefix with no duplicate; after it: in order again.
    const beforeResync = slow.messages.slice(1, slow.messages.findIndex((m) => m.data.type === 'snapshot' && m.data.resync));
    const prefix = beforeResync.flatMap((m) => (m.data.type === 'append' ? m.data.items : [])).map((e) => (e.data as { i: number }).i);
    expect(prefix).toEqual(Array.from({ length: prefix.length }, (_, i) => i));
    const ids = slow.messages.map((m) => BigInt(m.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    sub.unsubscribe();
    slow.socket.close();
  });
});

describe('a congested connection on a latest-class stream', () => {
  it('conflates to the newest value instead of queueing a backlog', async () => {
    await desk.client().market.setPrice.mutate({ symbol: 'CF', price: 1 });
    const slow = await rawSubscriber(desk.app.wsUrl, 'feeds.onCustom', { type: 'filler', limit: 0 });
    slow.socket.send(JSON.stringify({ id: 2, method: 'subscription', params: { path: 'market.onPrices', input: { symbols: ['CF'] } } }));
    const prices: number[] = [];
    slow.socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw));
      const data = frame.id === 2 && frame.result?.type === 'data' ? frame.result.data.data : null;
      if (data?.type === 'changes') prices.push(...data.upserts.map((t: { price: number }) => t.price));
    });
    await eventually(() => slow.messages.length >= 1, 5000, 'filler snapshot');
    slow.pause();
    const conflatedBefore = desk.app.desk.hub.counters.conflated;
    for (let i = 0; i < 2000; i++) {
      desk.app.desk.activity.broadcastCustom({ type: 'filler', data: { payload } });
      desk.app.desk.market.setPrice({ symbol: 'CF', price: 2 + i });
      if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
    }
    slow.resume();
    await eventually(() => prices.at(-1) === 2001, 10_000, 'newest price delivered');
    expect(prices.length).toBeLessThan(2000);
    expect(desk.app.desk.hub.counters.conflated).toBeGreaterThan(conflatedBefore);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    slow.socket.close();
  });
});
