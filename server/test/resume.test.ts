import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskCustomEvent, PriceTick, StreamMessage } from '../../shared/index';
import { collector, eventually, startTestDesk, type TestDesk } from './harness';

let desk: TestDesk;
let connections = 0;
beforeAll(async () => {
  desk = await startTestDesk({
    statsIntervalMs: 3_600_000,
    desk: { hub: { replayCapacity: 200 }, journal: { path: ':memory:', retainEvents: 250 } },
  });
  desk.app.wss.on('connection', () => connections++);
});
afterAll(() => desk.close());

const itemsOf = (messages: Array<{ data: StreamMessage<DeskCustomEvent> }>) =>
  messages.flatMap((m) => (m.data.type === 'snapshot' ? [] : m.data.type === 'append' ? m.data.items : []));

/** Drops every client socket on the server side, as a network failure would. */
function dropAllSockets() {
  for (const socket of desk.app.wss.clients) socket.terminate();
}

describe('resume with lastEventId', () => {
  it('after a dropped socket, delivers exactly the missed events: no gap, no duplicate', async () => {
    const api = desk.client();
    const got = collector<StreamMessage<DeskCustomEvent>>();
    const sub = api.feeds.onCustom.subscribe({ type: 'resume', limit: 0 }, got);
    await got.until((m) => m.length === 1);
    const publish = (i: number) => desk.app.desk.activity.broadcastCustom({ type: 'resume', data: i });
    let sent = 0;
    for (; sent < 30; sent++) publish(sent);
    await got.until((m) => itemsOf(m).length === 30);
    for (let round = 0; round < 5; round++) {
      const before = connections;
      dropAllSockets();
      for (let i = 0; i < 20; i++) publish(sent++); // while the client is away
      await eventually(() => connections > before, 10_000, 'reconnect');
      for (let i = 0; i < 10; i++) publish(sent++);
    }
    await got.until((m) => itemsOf(m).length >= sent, 10_000);
    expect(itemsOf(got.messages).map((e) => e.data)).toEqual(Array.from({ length: sent }, (_, i) => i));
    expect(got.messages.filter((m) => m.data.type === 'snapshot')).toHaveLength(1);
    sub.unsubscribe();
  });

  it('resumes a latest-class stream with the newest value of what changed', async () => {
    const api = desk.client();
    await api.market.setPrice.mutate({ symbol: 'RS', price: 1 });
    await api.market.setPrice.mutate({ symbol: 'RT', price: 1 });
    const got = collector<StreamMessage<PriceTick>>();
    const sub = api.market.onPrices.subscribe({ symbols: ['RS', 'RT'] }, got);
    await got.until((m) => m.length === 1);
    dropAllSockets();
    for (let p = 2; p <= 10; p++) desk.app.desk.market.setPrice({ symbol: 'RS', price: p });
    await got.until((m) => m.length === 2, 10_000);
    expect(got.messages[1]!.data).toMatchObject({ type: 'changes', upserts: [{ symbol: 'RS', price: 10 }], removes: [] });
    sub.unsubscribe();
  });

  it('answers an id older than the replay buffer with a resync snapshot, never a silent gap', async () => {
    const api = desk.client();
    const first = collector<StreamMessage<DeskCustomEvent>>();
    const sub = api.feeds.onCustom.subscribe({ type: 'old', limit: 5 }, first);
    await first.until((m) => m.length === 1);
    const staleId = first.messages[0]!.id;
    sub.unsubscribe();
    for (let i = 0; i < 300; i++) desk.app.desk.activity.broadcastCustom({ type: 'old', data: i });
    // Neither the in-memory buffer (200) nor the retained log (250 after pruning) reaches back.
    while (desk.app.desk.journal!.prune() > 0);
    const again = collector<StreamMessage<DeskCustomEvent>>();
    const sub2 = api.feeds.onCustom.subscribe({ type: 'old', limit: 5, lastEventId: staleId }, again);
    await again.until((m) => m.length === 1);
    expect(again.messages[0]!.data).toMatchObject({ type: 'snapshot', resync: true });
    expect((again.messages[0]!.data as { items: DeskCustomEvent[] }).items.map((e) => e.data)).toEqual([295, 296, 297, 298, 299]);
    sub2.unsubscribe();
  });

  it('answers an id from the future (another server run) with a resync', async () => {
    const api = desk.client();
    const got = collector<StreamMessage<DeskCustomEvent>>();
    const sub = api.feeds.onCustom.subscribe({ type: 'future', lastEventId: '9999999999999999' }, got);
    await got.until((m) => m.length === 1);
    expect(got.messages[0]!.data).toMatchObject({ type: 'snapshot', resync: true });
    sub.unsubscribe();
  });

  it('resumes a keyed stream with the rows changed and removed meanwhile', async () => {
    const api = desk.client();
    await api.market.setPrice.mutate({ symbol: 'KR', price: 10 });
    await api.market.executeTrade.mutate({ symbol: 'KR', side: 'buy', qty: 1 });
    const got = collector<StreamMessage<{ id: string; symbol: string }>>();
    const sub = api.market.onPositions.subscribe({ symbols: ['KR'] }, got);
    await got.until((m) => m.length === 1);
    const from = got.messages[0]!.id;
    const opened = (got.messages[0]!.data as { items: Array<{ id: string }> }).items[0]!.id;
    sub.unsubscribe();
    desk.app.desk.market.executeTrade({ symbol: 'KR', side: 'sell', qty: 3 }); // close and flip short
    const again = collector<StreamMessage<{ id: string; symbol: string; side: string }>>();
    const sub2 = api.market.onPositions.subscribe({ symbols: ['KR'], lastEventId: from }, again);
    await again.until((m) => m.length === 1);
    expect(again.messages[0]!.data).toMatchObject({ type: 'changes', removes: [opened], upserts: [{ symbol: 'KR', side: 'short' }] });
    sub2.unsubscribe();
  });
});
