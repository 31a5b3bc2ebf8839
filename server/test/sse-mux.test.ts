import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskCustomEvent, PriceTick, StreamMessage } from '../../shared/index';
import { sseMux } from '../../shared/sse-mux';
import { startFaultProxy } from './fault-proxy';
import { collector, eventually, sleep, startTestDesk, type Received, type TestDesk } from './harness';

/**
 * The multiplexed SSE endpoint through the real client (`transport: sseMux()`) over real HTTP:
 * the same messages and ids as over WebSocket, one stream for many subscriptions, resume after the
 * stream is cut, and a reader that stops reading.
 */
let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({ statsIntervalMs: 3_600_000, desk: { hub: { maxQueue: 10 } } });
});
afterAll(() => desk.close());

const price = (symbol: string, value: number) => ({ symbol, price: value, bid: value - 0.01, ask: value + 0.01, change: 0, changePct: 0, volume: 1, ts: 1 });
const custom = (n: number, type: string) => ({ id: `mux-${type}-${n}`, type, data: n, ts: 1 });
type Streams = Record<string, Received<StreamMessage<unknown>>[]>;

describe('subscriptions over one multiplexed SSE stream', () => {
  it('deliver exactly the messages and ids the WebSocket and one-stream-per-subscription SSE deliver, all on one stream', async () => {
    const { hub, topics } = desk.app.desk;
    const t = topics as any;
    const commit = (write: (tx: any) => void) => hub.commit(write);
    commit((tx) => tx.upsert(t.prices, price('MXA', 1), price('MXB', 2)));
    for (let i = 0; i < 6; i++) commit((tx) => tx.append(t.custom, custom(i, i % 2 ? 'mx-odd' : 'mx-even')));
    const resumeFrom = String(hub.lastId - 2);

    const ws = desk.client();
    const connectionsBefore = (await ws.system.health.query()).connections;
    const sse = desk.client({ transport: sseMux() });
    // tRPC's own httpSubscriptionLink, one EventSource per subscription.
    const plain = desk.client({ transport: 'sse' });
    const streams: Record<'ws' | 'sse' | 'plain', Streams> = { ws: {}, sse: {}, plain: {} };
    const subs: Array<{ unsubscribe(): void }> = [];
    const waiting: Array<Promise<void>> = [];
    for (const [name, api] of [['ws', ws], ['sse', sse], ['plain', plain]] as const) {
      const watch = (key: string, start: (got: ReturnType<typeof collector<StreamMessage<unknown>>>) => { unsubscribe(): void }) => {
        const got = collector<StreamMessage<unknown>>();
        streams[name][key] = got.messages;
        subs.push(start(got));
        waiting.push(got.until((m) => m.length === 1));
      };
      watch('prices.AB', (got) => api.market.onPrices.subscribe({ symbols: ['MXA', 'MXB'] }, got as never));
      watch('custom.odd', (got) => api.feeds.onCustom.subscribe({ type: 'mx-odd', limit: 2 }, got as never));
      watch('custom.resume', (got) => api.feeds.onCustom.subscribe({ lastEventId: resumeFrom }, got as never));
      watch('custom.too-old', (got) => api.feeds.onCustom.subscribe({ lastEventId: '1', limit: 3 }, got as never));
    }
    await Promise.all(waiting);
    // Four subscriptions, one stream.
    expect(desk.app.sseMux.streams()).toEqual([expect.objectContaining({ subscriptions: 4 })]);
    // The stream is one connection in health, stats and /metrics, as a WebSocket is.
    expect((await ws.system.health.query()).connections).toBe(connectionsBefore + 1);

    const steps: Array<() => void> = [
      () => commit((tx) => tx.upsert(t.prices, price('MXA', 1.5))),
      () => {
        commit((tx) => tx.upsert(t.prices, price('MXA', 1.6), price('MXB', 2.1)));
        commit((tx) => tx.append(t.custom, custom(6, 'mx-even')));
      },
      () => commit((tx) => tx.remove(t.prices, 'MXB')),
      () => {
        for (let i = 7; i < 11; i++) commit((tx) => tx.append(t.custom, custom(i, i % 2 ? 'mx-odd' : 'mx-even')));
      },
      // More than maxQueue (10) at once: a resync, on both.
      () => {
        for (let i = 11; i < 25; i++) commit((tx) => tx.append(t.custom, custom(i, 'mx-odd')));
      },
      () => commit((tx) => tx.append(t.custom, custom(25, 'mx-odd'))),
    ];
    for (const step of steps) {
      step();
      await sleep(80);
    }
    const same = (a: Streams) => isDeepStrictEqual(a, streams.ws);
    await eventually(() => same(streams.sse) && same(streams.plain), 5000, 'every transport delivered the same');
    for (const sub of subs) sub.unsubscribe();
    expect(streams.sse).toEqual(streams.ws);
    expect(streams.plain).toEqual(streams.ws);
    for (const messages of Object.values(streams.sse)) {
      const ids = messages.map((m) => BigInt(m.id));
      for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    }
    const all = Object.values(streams.sse).flat().map((m) => m.data);
    expect(all.some((m) => m.type === 'snapshot' && m.resync)).toBe(true);
    expect(all.some((m) => m.type === 'changes' && m.removes.length > 0)).toBe(true);
    await eventually(() => desk.app.sseMux.streams()[0]?.subscriptions === 0, 5000, 'unsubscribed on the server');
  });

  it('resumes every subscription from its last event id after the stream is cut: nothing missed, nothing twice', async () => {
    const proxy = await startFaultProxy(desk.app.port);
    try {
      let opens = 0;
      const api = desk.client({ url: `http://127.0.0.1:${proxy.port}`, transport: sseMux(), retryDelayMs: () => 100, onConnectionChange: (s) => s === 'open' && opens++ });
      const events = collector<StreamMessage<DeskCustomEvent>>();
      const prices = collector<StreamMessage<PriceTick>>();
      const subs = [api.feeds.onCustom.subscribe({ type: 'cut', limit: 0 }, events), api.market.onPrices.subscribe({ symbols: ['CUT'] }, prices)];
      await events.until((m) => m.length === 1);
      await prices.until((m) => m.length === 1);
      const { activity } = desk.app.desk;
      const items = () => events.messages.flatMap((m) => (m.data.type === 'append' ? m.data.items.map((e) => e.data as number) : []));
      let n = 0;
      for (; n < 10; n++) activity.broadcastCustom({ type: 'cut', data: n });
      await events.until(() => items().length === 10);

      const cut = desk.app.sseMux.streams().find((s) => s.subscriptions === 2)!.id;
      proxy.reset();
      // While the stream is down: events the client has not seen, and a price that changes twice.
      await eventually(() => !desk.app.sseMux.streams().some((s) => s.id === cut), 5000, 'the cut stream closed on the server');
      for (; n < 20; n++) activity.broadcastCustom({ type: 'cut', data: n });
      desk.app.desk.hub.commit((tx: any) => tx.upsert((desk.app.desk.topics as any).prices, price('CUT', 7)));
      desk.app.desk.hub.commit((tx: any) => tx.upsert((desk.app.desk.topics as any).prices, price('CUT', 8)));
      await eventually(() => opens >= 2, 10_000, 'reopened');
      for (; n < 30; n++) activity.broadcastCustom({ type: 'cut', data: n });
      await events.until(() => items().length >= 30, 10_000);
      await prices.until((m) => m.some((p) => JSON.stringify(p.data).includes('"price":8')));
      await sleep(100);
      expect(items()).toEqual(Array.from({ length: 30 }, (_, i) => i));
      // Resumed, not started over: no second snapshot.
      expect(events.messages.filter((m) => m.data.type === 'snapshot')).toHaveLength(1);
      for (const got of [events.messages, prices.messages]) {
        const ids = got.map((m) => BigInt(m.id));
        for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
      }
      for (const sub of subs) sub.unsubscribe();
    } finally {
      await proxy.close();
    }
  });
});

describe('the transport option', () => {
  it("refuses the string 'sse-mux' with a TypeError naming the entry that has sseMux()", () => {
    expect(() => desk.client({ transport: 'sse-mux' as never })).toThrow(/^createDeskClient: transport 'sse-mux' is in its own entry: `import \{ sseMux \} from '@livedesk\/client\/sse-mux'`/);
  });
});
