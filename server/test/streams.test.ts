import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskCustomEvent, Decision, Position, PriceTick, StreamMessage, Trade } from '../../shared/index';
import { collector, sleep, startTestDesk, type TestDesk } from './harness';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({ statsIntervalMs: 3_600_000 });
});
afterAll(() => desk.close());

describe('latest class (prices, portfolio)', () => {
  it('sends the snapshot first, then only real changes', async () => {
    const api = desk.client();
    await api.market.setPrice.mutate({ symbol: 'SNAP', price: 10 });
    const got = collector<StreamMessage<PriceTick>>();
    const sub = api.market.onPrices.subscribe({ symbols: ['SNAP'] }, got);
    await got.until((m) => m.length === 1);
    expect(got.messages[0]!.data).toMatchObject({ type: 'snapshot', resync: false, items: [{ symbol: 'SNAP', price: 10 }] });

    await api.market.setPrice.mutate({ symbol: 'SNAP', price: 11 });
    await got.until((m) => m.length === 2);
    expect(got.messages[1]!.data).toMatchObject({ type: 'changes', upserts: [{ symbol: 'SNAP', price: 11 }], removes: [] });
    expect(BigInt(got.messages[1]!.id)).toBeGreaterThan(BigInt(got.messages[0]!.id));
    sub.unsubscribe();
  });

  it('does not deliver a re-sent identical value or one whose keys were only reordered', async () => {
    const { hub, topics } = desk.app.desk;
    const api = desk.client();
    await api.market.setPrice.mutate({ symbol: 'ORD', price: 7 });
    const row = { ...topics.prices.get('ORD')! };
    const got = collector<StreamMessage<PriceTick>>();
    const sub = api.market.onPrices.subscribe({ symbols: ['ORD'] }, got);
    await got.until((m) => m.length === 1);
    // Written directly: the same value, in another key order, then a copy of it.
    const reordered = Object.fromEntries(Object.entries(row).reverse()) as typeof row;
    expect(hub.commit((tx) => tx.upsert(topics.prices, reordered))).toBeNull();
    expect(hub.commit((tx) => tx.upsert(topics.prices, { ...row }))).toBeNull();
    const changedId = hub.commit((tx) => tx.upsert(topics.prices, { ...row, volume: row.volume + 100 }));
    expect(changedId).not.toBeNull();
    await got.until((m) => m.length === 2);
    expect(got.messages[1]!.id).toBe(String(changedId));
    await sleep(100);
    expect(got.messages).toHaveLength(2);
    sub.unsubscribe();
  });

  it('with maxHz, delivers the newest value at most that often and never a backlog', async () => {
    const api = desk.client();
    await api.market.setPrice.mutate({ symbol: 'HZ', price: 1 });
    const got = collector<StreamMessage<PriceTick>>();
    const sub = api.market.onPrices.subscribe({ symbols: ['HZ'], maxHz: 4 }, got);
    await got.until((m) => m.length === 1);
    for (let i = 2; i <= 41; i++) {
      await api.market.setPrice.mutate({ symbol: 'HZ', price: i });
      await sleep(10);
    }
    await got.until((m) => m.at(-1)!.data.type === 'changes' && (m.at(-1)!.data as { upserts: PriceTick[] }).upserts[0]!.price === 41, 3000);
    // 40 updates over about half a second at 4 Hz: far fewer messages, the last one the newest value.
    expect(got.messages.length).toBeLessThan(10);
    sub.unsubscribe();
  });
});

describe('keyed class (positions)', () => {
  it('sends all rows, then upserts and removes only for rows that changed', async () => {
    const api = desk.client();
    await api.market.setPrice.mutate({ symbol: 'KA', price: 50 });
    await api.market.setPrice.mutate({ symbol: 'KB', price: 20 });
    await api.market.executeTrade.mutate({ symbol: 'KA', side: 'buy', qty: 2 });
    const got = collector<StreamMessage<Position>>();
    const sub = api.market.onPositions.subscribe({ symbols: ['KA', 'KB'] }, got);
    await got.until((m) => m.length === 1);
    expect(got.messages[0]!.data).toMatchObject({ type: 'snapshot', items: [{ symbol: 'KA', qty: 2, side: 'long' }] });

    await api.market.executeTrade.mutate({ symbol: 'KB', side: 'sell', qty: 5 });
    await got.until((m) => m.length === 2);
    expect(got.messages[1]!.data).toMatchObject({ type: 'changes', upserts: [{ symbol: 'KB', side: 'short', qty: 5 }], removes: [] });

    const ka = (got.messages[0]!.data as { items: Position[] }).items[0]!;
    await api.market.executeTrade.mutate({ symbol: 'KA', side: 'sell', qty: 2 });
    await got.until((m) => m.length === 3);
    expect(got.messages[2]!.data).toEqual({ type: 'changes', upserts: [], removes: [ka.id] });
    sub.unsubscribe();
  });
});

describe('log class (trades, decisions, custom)', () => {
  it('sends the last N as snapshot, then every event in order', async () => {
    const api = desk.client();
    for (let i = 0; i < 5; i++) await api.feeds.broadcastCustom.mutate({ type: 'snap-test', data: { i } });
    const got = collector<StreamMessage<DeskCustomEvent>>();
    const sub = api.feeds.onCustom.subscribe({ type: 'snap-test', limit: 3 }, got);
    await got.until((m) => m.length === 1);
    expect(got.messages[0]!.data).toMatchObject({ type: 'snapshot', items: [{ data: { i: 2 } }, { data: { i: 3 } }, { data: { i: 4 } }] });
    for (let i = 5; i < 10; i++) await api.feeds.broadcastCustom.mutate({ type: 'snap-test', data: { i } });
    const items = () => got.messages.slice(1).flatMap((m) => (m.data.type === 'append' ? m.data.items : []));
    await got.until(() => items().length === 5);
    expect(items().map((e) => (e.data as { i: number }).i)).toEqual([5, 6, 7, 8, 9]);
    sub.unsubscribe();
  });

  it('filters by agent and symbol on the server', async () => {
    const api = desk.client();
    await api.market.setPrice.mutate({ symbol: 'FA', price: 10 });
    await api.market.setPrice.mutate({ symbol: 'FB', price: 10 });
    const mine = collector<StreamMessage<Decision>>();
    const trades = collector<StreamMessage<Trade>>();
    const s1 = api.agents.onDecisions.subscribe({ agentId: 'alpha', symbols: ['FA'] }, mine);
    const s2 = api.market.onTrades.subscribe({ agentId: 'alpha' }, trades);
    await mine.until((m) => m.length === 1);
    await trades.until((m) => m.length === 1);
    await api.agents.recordDecision.mutate({ agentId: 'beta', symbol: 'FA', action: 'buy', confidence: 0.9, executeQty: 1 });
    await api.agents.recordDecision.mutate({ agentId: 'alpha', symbol: 'FB', action: 'hold', confidence: 0.2 });
    const { decision } = await api.agents.recordDecision.mutate({ agentId: 'alpha', symbol: 'FA', action: 'buy', confidence: 0.8, executeQty: 3 });
    await mine.until((m) => m.length === 2);
    await trades.until((m) => m.length === 2);
    expect(mine.messages[1]!.data).toEqual({ type: 'append', items: [decision] });
    expect(decision.tradeId).not.toBeNull();
    expect(trades.messages[1]!.data).toMatchObject({ type: 'append', items: [{ id: decision.tradeId, agentId: 'alpha', qty: 3, decisionId: decision.id }] });
    await sleep(100);
    expect(mine.messages).toHaveLength(2);
    s1.unsubscribe();
    s2.unsubscribe();
  });

  it('filters alerts by minimum severity', async () => {
    const api = desk.client();
    await api.market.setPrice.mutate({ symbol: 'AL', price: 100 });
    await api.alerts.createRule.mutate({ symbol: 'AL', condition: 'above', threshold: 105, severity: 'info' });
    await api.alerts.createRule.mutate({ symbol: 'AL', condition: 'above', threshold: 110, severity: 'critical' });
    const got = collector<StreamMessage<{ severity: string; symbol: string }>>();
    const sub = api.alerts.onAlerts.subscribe({ symbols: ['AL'], minSeverity: 'warning' }, got);
    await got.until((m) => m.length === 1);
    await api.market.setPrice.mutate({ symbol: 'AL', price: 107 });
    await api.market.setPrice.mutate({ symbol: 'AL', price: 111 });
    await got.until((m) => m.length === 2);
    expect(got.messages[1]!.data).toMatchObject({ type: 'changes', upserts: [{ severity: 'critical', symbol: 'AL' }] });
    const all = await api.alerts.alerts.query();
    expect(all.filter((a) => a.symbol === 'AL').map((a) => a.severity).sort()).toEqual(['critical', 'info']);
    sub.unsubscribe();
  });
});

describe('fan-out', () => {
  it('gives 100 clients the same ordered stream', async () => {
    const subs = [];
    const got = Array.from({ length: 100 }, () => collector<StreamMessage<DeskCustomEvent>>());
    for (const c of got) subs.push(desk.client().feeds.onCustom.subscribe({ type: 'fan', limit: 0 }, c));
    await Promise.all(got.map((c) => c.until((m) => m.length === 1)));
    const api = desk.client();
    for (let i = 0; i < 50; i++) await api.feeds.broadcastCustom.mutate({ type: 'fan', data: i });
    const seq = (c: (typeof got)[number]) => c.messages.flatMap((m) => (m.data.type === 'append' ? m.data.items.map((e) => e.data) : []));
    await Promise.all(got.map((c) => c.until(() => seq(c).length === 50, 10_000)));
    const expected = Array.from({ length: 50 }, (_, i) => i);
    for (const c of got) {
      expect(seq(c)).toEqual(expected);
      const ids = c.messages.map((m) => BigInt(m.id));
      expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    for (const s of subs) s.unsubscribe();
  });
});
