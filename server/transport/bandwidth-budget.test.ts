import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamMessage } from '../../shared/index';
import type { DeskClientOptions } from '../../shared/client';
import { sseMux } from '../../shared/sse-mux';
import type { WsTransport } from '../app';
import { collector, eventually, startTestDesk, type TestDesk } from '../test/harness';

const TICKS = 200;
const EVENTS = 40;
const BUDGET = 4000;

const price = (value: number) => ({ symbol: 'AAA', price: value, bid: value - 0.01, ask: value + 0.01, change: 0, changePct: 0, volume: value, ts: 1 });
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** Every transport a subscription can travel: the budget is per socket, per SSE stream, per multiplexed stream. */
const TRANSPORTS: Array<{ name: string; ws: WsTransport; client: Partial<DeskClientOptions> }> = [
  { name: 'the desk WebSocket transport', ws: 'desk', client: {} },
  { name: 'the stock WebSocket transport', ws: 'stock', client: {} },
  { name: 'SSE', ws: 'desk', client: { transport: 'sse' } },
  { name: 'the multiplexed SSE stream', ws: 'desk', client: { transport: sseMux() } },
];

describe.each(TRANSPORTS)(`a connection with a bandwidth budget (${BUDGET} B/s) over $name`, (transport) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk({ transport: transport.ws, connectionBytesPerSec: BUDGET, statsIntervalMs: 3_600_000 });
  });
  afterAll(() => desk.close());

  it('gets fewer, newer state frames, ends with the same final state, loses no log event, and the holds are counted', async () => {
    const api = desk.client(transport.client);
    const holdsBefore = (await api.system.stats.query()).budgetHolds;
    const prices = collector<StreamMessage<ReturnType<typeof price>>>();
    const custom = collector<StreamMessage<{ id: string; data: unknown }>>();
    const subs = [api.market.onPrices.subscribe({ symbols: ['AAA'] }, prices as never), api.feeds.onCustom.subscribe({ limit: 0 }, custom as never)];
    await prices.until((m) => m.length === 1);
    await custom.until((m) => m.length === 1);
    const { hub, topics, activity } = desk.app.desk;
    // Ticks one per turn of the event loop (about 50 KB as whole frames, over 12 s of budget), and
    // log events among them on the same connection.
    for (let i = 1; i <= TICKS; i++) {
      hub.commit((tx) => tx.upsert(topics.prices, price(100 + i)));
      if (i % (TICKS / EVENTS) === 0) activity.broadcastCustom({ type: 'budget', data: i });
      await nextTurn();
    }
    const last = price(100 + TICKS);
    await eventually(() => JSON.stringify(prices.messages.at(-1)?.data) === JSON.stringify({ type: 'changes', upserts: [last], removes: [] }), 10_000, 'the newest price');
    await custom.until((m) => m.flatMap((x) => (x.data.type === 'append' ? x.data.items : [])).length === EVENTS, 10_000);

    // State: conflated to far fewer frames, each newer than the one before, ending at the final value.
    const changes = prices.messages.slice(1);
    expect(changes.length).toBeLessThan(TICKS / 2);
    const values = changes.map((m) => (m.data.type === 'changes' ? m.data.upserts[0]!.price : NaN));
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThan(values[i - 1]!);
    expect(values.at(-1)).toBe(last.price);
    // Log: every event, in order, no resync.
    const events = custom.messages.slice(1).flatMap((m) => {
      expect(m.data.type).toBe('append');
      return m.data.type === 'append' ? m.data.items.map((item) => item.data) : [];
    });
    expect(events).toEqual(Array.from({ length: EVENTS }, (_, k) => (k + 1) * (TICKS / EVENTS)));
    expect(prices.errors).toEqual([]);
    expect(custom.errors).toEqual([]);

    // A log event of 12 KB spends three seconds of budget (log topics are never held by it), so the
    // next price waits for it, however the ticks above conflated: the holds are counted, in stats
    // and on /metrics alike.
    const received = custom.messages.length;
    activity.broadcastCustom({ type: 'budget', data: 'x'.repeat(12_000) });
    await custom.until((m) => m.length > received, 10_000);
    const after = price(100 + TICKS + 1);
    hub.commit((tx) => tx.upsert(topics.prices, after));
    await eventually(() => JSON.stringify(prices.messages.at(-1)?.data) === JSON.stringify({ type: 'changes', upserts: [after], removes: [] }), 10_000, 'the price after the big event');
    for (const sub of subs) sub.unsubscribe();
    const holds = (await api.system.stats.query()).budgetHolds;
    expect(holds).toBeGreaterThan(holdsBefore);
    const metrics = await (await fetch(`${desk.app.url}/metrics`)).text();
    expect(Number(/^livedesk_budget_holds_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(holds);
  }, 30_000);
});
