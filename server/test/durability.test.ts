import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamMessage, Trade } from '../../shared/index';
import { createEventWaiter } from '../../shared/stream/event-waiter';
import { collector, startTestDesk, type TestDesk } from './harness';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({ statsIntervalMs: 3_600_000 });
});
afterAll(() => desk.close());

describe('idempotent mutations over the wire', () => {
  it('applies a retried key once and returns the original result; different keys apply twice', async () => {
    const api = desk.client();
    await api.market.setPrice.mutate({ symbol: 'IDM', price: 10 });
    const order = { symbol: 'IDM', side: 'buy' as const, qty: 2 };
    const first = await api.market.executeTrade.mutate({ ...order, idempotencyKey: 'order-1' });
    const retry = await api.market.executeTrade.mutate({ ...order, idempotencyKey: 'order-1' });
    expect(retry).toEqual(first);
    expect((await api.market.positions.query()).find((p) => p.symbol === 'IDM')?.qty).toBe(2);
    await api.market.executeTrade.mutate({ ...order, idempotencyKey: 'order-2' });
    expect((await api.market.positions.query()).find((p) => p.symbol === 'IDM')?.qty).toBe(4);
  });

  it('refuses a key reused for another mutation with CONFLICT', async () => {
    const api = desk.client();
    await api.feeds.pushNotification.mutate({ title: 'a', idempotencyKey: 'shared-key' });
    await expect(api.feeds.broadcastCustom.mutate({ type: 't', data: 1, idempotencyKey: 'shared-key' })).rejects.toThrow(/already used/);
  });
});

describe('read-your-writes', () => {
  it('lets a client wait until its subscription delivered the id its mutation returned', async () => {
    const api = desk.client();
    await api.market.setPrice.mutate({ symbol: 'RYW', price: 5 });
    const applied = createEventWaiter();
    const got = collector<StreamMessage<Trade>>();
    const sub = api.market.onTrades.subscribe({ symbols: ['RYW'] }, {
      onData: (message) => {
        got.onData(message);
        applied.observe(message.id);
      },
    });
    await got.until((m) => m.length === 1);
    const { eventId, trade } = await api.market.executeTrade.mutate({ symbol: 'RYW', side: 'sell', qty: 1 });
    await applied.waitFor(eventId, 5000);
    expect(got.messages.some((m) => m.data.type === 'append' && m.data.items.some((t) => t.id === trade.id))).toBe(true);
    sub.unsubscribe();
  });
});
