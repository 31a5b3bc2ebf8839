import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamMessage } from '../../shared/index';
import { collector, eventually, startTestDesk, type TestDesk } from './harness';

let desk: TestDesk;
let connections = 0;
beforeAll(async () => {
  desk = await startTestDesk({ statsIntervalMs: 3_600_000 });
  desk.app.wss.on('connection', () => connections++);
});
afterAll(() => desk.close());

const DROPS = 1000;

describe('random client drops during a fast stream', () => {
  it(`loses nothing over ${DROPS} drops on any log-class procedure: no gap, no duplicate, in order`, async () => {
    const { desk: d } = desk.app;
    d.market.setPrice({ symbol: 'DRP', price: 100 });
    const start = d.hub.lastId;
    const api = desk.client({ retryDelayMs: () => 0 });
    type Item = { id: string };
    const streams = {
      trades: api.market.onTrades,
      decisions: api.agents.onDecisions,
      signals: api.feeds.onSignals,
      notifications: api.feeds.onNotifications,
      systemAlerts: api.feeds.onSystemAlerts,
      custom: api.feeds.onCustom,
      metrics: api.feeds.onMetrics,
    } as const;
    const got = Object.fromEntries(Object.keys(streams).map((name) => [name, collector<StreamMessage<Item>>()])) as Record<
      keyof typeof streams,
      ReturnType<typeof collector<StreamMessage<Item>>>
    >;
    const subs = Object.entries(streams).map(([name, procedure]) =>
      (procedure as { subscribe: (input: unknown, observer: unknown) => { unsubscribe(): void } }).subscribe({ limit: 0 }, got[name as keyof typeof streams]),
    );
    await Promise.all(Object.values(got).map((c) => c.until((m) => m.length > 0)));

    let n = 0;
    const publish = () => {
      n++;
      d.market.executeTrade({ symbol: 'DRP', side: n % 2 ? 'buy' : 'sell', qty: 1 });
      d.activity.recordDecision({ agentId: 'a', symbol: 'DRP', action: 'hold', confidence: 0.5, reasoning: '' });
      d.activity.publishSignal({ symbol: 'DRP', kind: 'k', strength: 0, source: 's' });
      d.activity.pushNotification({ title: `n${n}`, body: '', severity: 'info' });
      d.activity.raiseSystemAlert({ component: 'c', severity: 'info', message: `m${n}` });
      d.activity.broadcastCustom({ type: 'drop', data: n });
      d.activity.recordMetrics([{ name: 'drops', value: n, labels: {} }]);
    };
    const pump = setInterval(() => {
      for (let i = 0; i < 3; i++) publish();
    }, 1);
    try {
      for (let drop = 0; drop < DROPS; drop++) {
        const before = connections;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 4));
        for (const socket of desk.app.wss.clients) socket.terminate();
        await eventually(() => connections > before, 10_000, `reconnect after drop ${drop}`);
      }
    } finally {
      clearInterval(pump);
    }
    expect(connections).toBeGreaterThanOrEqual(DROPS);

    for (const [name, c] of Object.entries(got)) {
      const topic = d.topics[name as keyof typeof streams];
      const expected = topic.after(start, () => true)!.map((item) => (item as Item).id);
      const received = () => c.messages.flatMap((m) => (m.data.type === 'append' ? m.data.items.map((i) => i.id) : []));
      await c.until(() => received().length >= expected.length, 15_000);
      expect(c.messages.filter((m) => m.data.type === 'snapshot'), `${name}: one snapshot, no resync`).toHaveLength(1);
      expect(received(), `${name}: every event once, in order`).toEqual(expected);
      expect(expected.length).toBeGreaterThan(DROPS / 4);
    }
    for (const sub of subs) sub.unsubscribe();
  }, 120_000);
});
