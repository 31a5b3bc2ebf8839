import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamMessage } from '../../shared/index';
import { collector, startTestDesk, type TestDesk } from '../test/harness';

const price = (value: number) => ({ symbol: 'AAA', price: value, bid: value - 0.01, ask: value + 0.01, change: 0, changePct: 0, volume: value, ts: 1 });

describe('DESK_WS_DEFLATE', () => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk({ wsDeflate: true, statsIntervalMs: 3_600_000 });
  });
  afterAll(() => desk.close());

  it('compresses the frames of a client that offers permessage-deflate, which receives the same messages', async () => {
    const got = collector<StreamMessage<ReturnType<typeof price>>>();
    const sub = desk.client().market.onPrices.subscribe({ symbols: ['AAA'] }, got as never);
    await got.until((m) => m.length === 1);
    const { hub, topics } = desk.app.desk;
    hub.commit((tx) => tx.upsert(topics.prices, price(101)));
    await got.until((m) => m.length === 2);
    sub.unsubscribe();
    expect(got.messages[1]!.data).toEqual({ type: 'changes', upserts: [price(101)], removes: [] });
    const sockets = [...desk.app.wss.clients];
    expect(sockets.length).toBeGreaterThan(0);
    for (const socket of sockets) expect(socket.extensions).toContain('permessage-deflate');
  });
});
