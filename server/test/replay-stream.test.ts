import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamMessage } from '../../shared/schema/stream';
import { applyStreamMessage } from '../../shared/stream/apply';
import { collector, eventually, sleep, startTestDesk, type TestDesk } from './harness';

type Api = ReturnType<TestDesk['client']>;

describe('a stream replayed from a past moment', () => {
  let desk: TestDesk;
  let api: Api;
  /** The recorded session: notification titles in order, the id before the first and each one's id. */
  const titles: string[] = [];
  let before = '';
  let recordedMs = 0;

  beforeAll(async () => {
    desk = await startTestDesk();
    api = desk.client();
    before = (await api.system.health.query()).lastEventId!;
    await api.market.setPrice.mutate({ symbol: 'RPL', price: 100 });
    const started = Date.now();
    for (let i = 0; i < 30; i++) {
      titles.push(`n${i}`);
      await api.feeds.pushNotification.mutate({ title: `n${i}`, body: 'b', severity: 'info' });
      await api.agents.setStatus.mutate({ id: `ag-${i % 3}`, status: i % 2 ? 'busy' : 'idle', cpu: i });
      if (i % 5 === 0) await api.market.executeTrade.mutate({ symbol: 'RPL', side: 'buy', qty: 1 });
      await sleep(10);
    }
    recordedMs = Date.now() - started;
  });
  afterAll(() => desk.close());

  it('sends the snapshot as of then, every recorded event after it once, in order, with the live ids, then goes on live', async () => {
    const got = collector<StreamMessage<{ id: string; title: string }>>();
    const started = Date.now();
    const sub = api.feeds.onNotifications.subscribe({ replay: { from: before, speed: 10 } }, { onData: got.onData, onError: got.onError });
    // The desk goes on meanwhile: what it records during the replay is replayed or sent live, once.
    const during: string[] = [];
    let writing = true;
    const writer = (async () => {
      for (let k = 0; writing; k++) {
        during.push(`w${k}`);
        await api.feeds.pushNotification.mutate({ title: `w${k}`, body: 'b', severity: 'info' });
        await sleep(5);
      }
    })();
    await got.until((m) => m.flatMap((x) => ('items' in x.data ? x.data.items : [])).length >= titles.length, 10_000);
    const replayMs = Date.now() - started;
    await sleep(200);
    // Enough writes to matter, however slowly a busy machine made them.
    while (during.length <= 5) await sleep(20);
    writing = false;
    await writer;
    // Paced by the recorded times at 10x: never faster (a lower bound only, whatever the load).
    expect(replayMs).toBeGreaterThanOrEqual(recordedMs / 10 - 50);
    await sleep(300);
    // Back live: a new event arrives, once.
    const live = await api.feeds.pushNotification.mutate({ title: 'live', body: 'b', severity: 'info' });
    await got.until((m) => m.some((x) => x.id === live.eventId));
    sub.unsubscribe();
    expect(got.errors).toEqual([]);
    expect(got.messages[0]!.data).toMatchObject({ type: 'snapshot', items: [], resync: false });
    expect(got.messages[0]!.id).toBe(before);
    const items = got.messages.flatMap((m) => ('items' in m.data ? m.data.items : []));
    expect(during.length).toBeGreaterThan(5);
    expect(items.map((n) => n.title)).toEqual([...titles, ...during, 'live']);
    const ids = got.messages.map((m) => BigInt(m.id));
    for (let i = 1; i < ids.length; i++) expect(ids[i]! >= ids[i - 1]!).toBe(true);
    // The same event ids as the live stream carried.
    const recorded = await api.replay.asOf.query({ at: live.eventId!, limit: 1000 });
    expect(items.map((n) => n.id)).toEqual(recorded.logs.notifications.map((n) => n.id));
  }, 20_000);

  it('replays keyed rows and the portfolio through their filter and ends at the live state', async () => {
    const middle = (await api.replay.asOf.query({ at: Math.round(Date.now() - recordedMs / 2) })).eventId;
    const asOf = await api.replay.asOf.query({ at: middle });
    let agents: Array<{ id: string }> = [];
    let portfolio: Array<{ equity: number }> = [];
    const firstAgents: unknown[] = [];
    const firstPortfolio: unknown[] = [];
    const a = api.agents.onAgents.subscribe({ ids: ['ag-1'], replay: { from: middle, speed: 100 } }, {
      onData: ({ data }) => {
        if (firstAgents.length === 0) firstAgents.push(data);
        agents = applyStreamMessage(agents, data as StreamMessage<{ id: string }>, { keyOf: (x) => x.id });
      },
    });
    const p = api.market.onPortfolio.subscribe({ replay: { from: middle, speed: 100 } }, {
      onData: ({ data }) => {
        if (firstPortfolio.length === 0) firstPortfolio.push(data);
        portfolio = applyStreamMessage(portfolio, data as StreamMessage<{ equity: number }>, { keyOf: () => 'portfolio' });
      },
    });
    await eventually(() => firstAgents.length > 0 && firstPortfolio.length > 0);
    expect(firstAgents[0]).toEqual({ type: 'snapshot', items: asOf.keyed.agents.filter((x) => x.id === 'ag-1'), resync: false });
    expect(firstPortfolio[0]).toEqual({ type: 'snapshot', items: [asOf.portfolio], resync: false });
    await sleep(recordedMs / 100 + 500);
    // Back live: a change made now arrives.
    await api.agents.setStatus.mutate({ id: 'ag-1', status: 'error', cpu: 99 });
    await api.market.executeTrade.mutate({ symbol: 'RPL', side: 'buy', qty: 2 });
    const now = await api.market.portfolio.query();
    await eventually(() => agents[0] !== undefined && (agents[0] as { status?: string }).status === 'error' && portfolio[0]?.equity === now.equity, 5000, 'live state');
    a.unsubscribe();
    p.unsubscribe();
    expect(agents).toEqual((await api.agents.agents.query()).filter((x) => x.id === 'ag-1'));
  }, 20_000);

  it('replays every log topic, the agents\' memory too', async () => {
    const from = (await api.system.health.query()).lastEventId!;
    await api.agents.recordMemory.mutate({ agentId: 'ag-1', content: 'remember this', importance: 0.9 });
    const got = collector<StreamMessage<{ content: string }>>();
    const sub = api.agents.onMemory.subscribe({ replay: { from, speed: 100 } }, { onData: got.onData, onError: got.onError });
    await got.until((m) => m.some((x) => x.data.type === 'append' && x.data.items.some((i) => i.content === 'remember this')) || got.errors.length > 0);
    sub.unsubscribe();
    expect(got.errors).toEqual([]);
    expect(got.messages[0]!.data).toMatchObject({ type: 'snapshot', resync: false });
  });

  it('holds still at speed 0: the snapshot as of the moment, nothing after it', async () => {
    const got = collector<StreamMessage<{ title: string }>>();
    const sub = api.feeds.onNotifications.subscribe({ limit: 3, replay: { from: before, speed: 0 } }, { onData: got.onData, onError: got.onError });
    await got.until((m) => m.length > 0);
    await api.feeds.pushNotification.mutate({ title: 'not-while-paused', body: 'b', severity: 'info' });
    await sleep(500);
    sub.unsubscribe();
    expect(got.errors).toEqual([]);
    expect(got.messages.map((m) => m.data)).toEqual([{ type: 'snapshot', items: [], resync: false }]);
  });

  it('refuses a moment after now or before the oldest one it can rebuild, as an error of the subscription', async () => {
    const last = (await api.system.health.query()).lastEventId!;
    for (const [from, code] of [[String(BigInt(last) + 1000n), 'BAD_REQUEST'], [0, 'NOT_FOUND'], [Date.now() + 60_000, 'BAD_REQUEST']] as const) {
      const got = collector<unknown>();
      const sub = api.feeds.onNotifications.subscribe({ replay: { from, speed: 1 } }, { onData: got.onData, onError: got.onError });
      await eventually(() => got.errors.length > 0, 5000, `an error for ${from}`);
      sub.unsubscribe();
      expect(got.messages).toEqual([]);
      expect(got.errors[0]).toMatchObject({ data: { code } });
    }
    const got = collector<unknown>();
    const sub = api.feeds.onNotifications.subscribe({ replay: { from: before, speed: 3 as never } }, { onData: got.onData, onError: got.onError });
    await eventually(() => got.errors.length > 0);
    sub.unsubscribe();
    expect(got.errors[0]).toMatchObject({ data: { code: 'BAD_REQUEST' } });
  });
});

describe('prices replayed from a past moment', () => {
  let desk: TestDesk;
  /** The journal's and the checkpoints' clock, set into the past while the session is written. */
  let pinned: number | null = null;
  const now = () => pinned ?? Date.now();
  beforeAll(async () => {
    desk = await startTestDesk({ desk: { journal: { path: ':memory:', now }, checkpoints: { now } } });
  });
  afterAll(() => desk.close());

  it('are the 1 s closes second by second, then live', async () => {
    const { desk: d } = desk.app;
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 20_000;
    const at = (ts: number, run: () => void) => {
      pinned = ts;
      d.clock.at(ts, run);
      pinned = null;
    };
    at(t0 - 1000, () => d.hub.commit((tx) => d.market.writeTick(tx, 'PXR', 50)));
    at(t0 - 900, () => d.replay!.checkpointer.write());
    for (let s = 0; s < 10; s++) at(t0 + s * 1000 + 500, () => d.hub.commit((tx) => d.market.writeTick(tx, 'PXR', 100 + s)));
    d.journal!.flushLatest();
    const api = desk.client();
    const got = collector<StreamMessage<{ symbol: string; price: number }>>();
    const sub = api.market.onPrices.subscribe({ symbols: ['PXR'], replay: { from: t0 + 3200, speed: 100 } }, { onData: got.onData, onError: got.onError });
    await eventually(() => got.messages.length > 0 || got.errors.length > 0);
    expect(got.errors).toEqual([]);
    // Second 2 (102) had ended by then; 103 … 109 follow; then live.
    await got.until((m) => m.some((x) => x.data.type === 'changes' && x.data.upserts.some((t) => t.price === 109)), 10_000);
    await sleep(300);
    await api.market.setPrice.mutate({ symbol: 'PXR', price: 120 });
    await got.until((m) => m.some((x) => x.data.type === 'changes' && x.data.upserts.some((t) => t.price === 120)));
    sub.unsubscribe();
    const prices = got.messages.flatMap((m) => (m.data.type === 'snapshot' ? m.data.items : m.data.type === 'changes' ? m.data.upserts : [])).map((t) => t.price);
    // At the switch to live the desk's own last tick (its exact time and volume) replaces the one
    // rebuilt from the bar, at the same price.
    expect(prices.filter((p, i) => p !== prices[i - 1])).toEqual([102, 103, 104, 105, 106, 107, 108, 109, 120]);
    expect(prices.length).toBeLessThanOrEqual(10);
  }, 20_000);
});
