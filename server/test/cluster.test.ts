import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import type { DeskCustomEvent, MetricSample, StreamMessage } from '../../shared/index';
import type { App } from '../app';
import type { AppRouter } from '../root';
import { useCluster } from './cluster-fixture';
import { collector, eventually } from './harness';
import { haveRedis } from './redis-server';

const itemsOf = (messages: Array<{ data: StreamMessage<DeskCustomEvent> }>) =>
  messages.flatMap((m) => (m.data.type === 'append' ? m.data.items.map((e) => e.data as number) : []));

describe.skipIf(!haveRedis)('several instances sharing one command log on Redis', () => {
  const cluster = useCluster({ prefix: 't', app: { statsIntervalMs: 200 }, client: { retryDelayMs: () => 50 } });
  const { apps, instance, clientOf } = cluster;

  it('delivers mutations made on A to subscribers on B in order, under the same ids', async () => {
    const [a, b] = [await instance(), await instance()];
    const onB = collector<StreamMessage<DeskCustomEvent>>();
    const sub = clientOf(b).feeds.onCustom.subscribe({ type: 'ab', limit: 0 }, onB);
    await onB.until((m) => m.length > 0);
    const apiA = clientOf(a);
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await apiA.feeds.broadcastCustom.mutate({ type: 'ab', data: i })).eventId!);
    await onB.until((m) => itemsOf(m).length === 30);
    expect(itemsOf(onB.messages)).toEqual([...Array(30).keys()]);
    const delivered = onB.messages.slice(1).map((m) => m.id);
    expect(delivered.at(-1)).toBe(ids.at(-1));
    expect(a.desk.hub.lastId).toBe(b.desk.hub.lastId);
    sub.unsubscribe();
  });

  it('keeps state consistent: a trade on A shows in queries on B, and both agree on everything', async () => {
    const [a, b] = apps as [App, App];
    const apiA = clientOf(a);
    await apiA.market.setPrice.mutate({ symbol: 'CLU', price: 50 });
    const { trade } = await apiA.market.executeTrade.mutate({ symbol: 'CLU', side: 'buy', qty: 4 });
    await eventually(() => b.desk.hub.lastId >= a.desk.hub.lastId, 5000, 'B folded');
    const apiB = clientOf(b);
    expect((await apiB.market.positions.query()).find((p) => p.symbol === 'CLU')).toMatchObject({ qty: 4, avgPrice: 50 });
    expect((await apiB.market.trades.query()).map((t) => t.id)).toContain(trade.id);
    expect(await apiB.market.portfolio.query()).toEqual(await apiA.market.portfolio.query());
  });

  it('lets a client move from A to B mid-stream with its lastEventId: no gap, no duplicate', async () => {
    const [a, b] = apps as [App, App];
    const apiA = clientOf(a);
    const first = collector<StreamMessage<DeskCustomEvent>>();
    const subA = apiA.feeds.onCustom.subscribe({ type: 'move', limit: 0 }, first);
    await first.until((m) => m.length > 0);
    let n = 0;
    const publish = async (count: number) => {
      for (let i = 0; i < count; i++) await apiA.feeds.broadcastCustom.mutate({ type: 'move', data: n++ });
    };
    await publish(20);
    await first.until((m) => itemsOf(m).length === 20);
    subA.unsubscribe();
    const lastEventId = first.messages.at(-1)!.id;
    await publish(15); // while the client is between instances
    const second = collector<StreamMessage<DeskCustomEvent>>();
    const subB = clientOf(b).feeds.onCustom.subscribe({ type: 'move', limit: 0, lastEventId }, second);
    await publish(10);
    await second.until((m) => itemsOf(m).length === 25, 10_000).catch((e) => { throw new Error(String(e) + JSON.stringify(second.messages.slice(0, 3)) + ' last ' + lastEventId); });
    expect([...itemsOf(first.messages), ...itemsOf(second.messages)]).toEqual([...Array(45).keys()]);
    expect(second.messages.some((m) => m.data.type === 'snapshot')).toBe(false);
    subB.unsubscribe();
  });

  it('applies an idempotency key once across instances', async () => {
    const [a, b] = apps as [App, App];
    const key = `order-${Date.now()}`;
    const one = await clientOf(a).market.executeTrade.mutate({ symbol: 'CLU', side: 'sell', qty: 1, idempotencyKey: key });
    const two = await clientOf(b).market.executeTrade.mutate({ symbol: 'CLU', side: 'sell', qty: 1, idempotencyKey: key });
    expect(two.eventId).toBe(one.eventId);
    await eventually(() => a.desk.hub.lastId === b.desk.hub.lastId, 5000, 'folded');
    expect(a.desk.topics.positions.values().find((p) => p.symbol === 'CLU')?.qty).toBe(3);
    expect(b.desk.topics.positions.values().find((p) => p.symbol === 'CLU')?.qty).toBe(3);
  });

  it('rebuilds a restarted instance from the log, and a client resumes on it without a gap', async () => {
    const a = apps[0]!;
    const apiA = clientOf(a);
    const c = await instance();
    const onC = collector<StreamMessage<DeskCustomEvent>>();
    const sub = clientOf(c).feeds.onCustom.subscribe({ type: 'restart', limit: 0 }, onC);
    await onC.until((m) => m.length > 0);
    for (let i = 0; i < 5; i++) await apiA.feeds.broadcastCustom.mutate({ type: 'restart', data: i });
    await onC.until((m) => itemsOf(m).length === 5);
    const lastEventId = onC.messages.at(-1)!.id;
    sub.unsubscribe();
    await c.stop();
    for (let i = 5; i < 12; i++) await apiA.feeds.broadcastCustom.mutate({ type: 'restart', data: i });
    const again = await instance();
    expect(again.desk.hub.lastId).toBe(a.desk.hub.lastId);
    expect(again.desk.topics.portfolio.get('portfolio')).toEqual(a.desk.topics.portfolio.get('portfolio'));
    const resumed = collector<StreamMessage<DeskCustomEvent>>();
    const sub2 = clientOf(again).feeds.onCustom.subscribe({ type: 'restart', limit: 0, lastEventId }, resumed);
    await resumed.until((m) => itemsOf(m).length === 7);
    expect(itemsOf(resumed.messages)).toEqual([5, 6, 7, 8, 9, 10, 11]);
    sub2.unsubscribe();
  });

  it('logs recordMetrics like every mutation: one idempotency key across instances, one batch everywhere', async () => {
    const [a, b] = apps as [App, App];
    const key = `metrics-${Date.now()}`;
    const samples = [{ name: 'cluster_load', value: 0.5, labels: {} }];
    const onA = await clientOf(a).feeds.recordMetrics.mutate({ samples, idempotencyKey: key });
    expect(onA.eventId).toMatch(/^\d+$/);
    const onB = await clientOf(b).feeds.recordMetrics.mutate({ samples, idempotencyKey: key });
    expect(onB).toEqual(onA);
    // Both instances agree: the samples once, and the next command gets the same id on each.
    const next = await clientOf(a).feeds.broadcastCustom.mutate({ type: 'after-metrics', data: 2 });
    await eventually(() => b.desk.hub.lastId === a.desk.hub.lastId, 5000, 'B folded');
    expect(b.desk.hub.lastId).toBe(Number(next.eventId));
    for (const app of [a, b]) {
      const loads = app.desk.topics.metrics.buffer.last(1000, (m: MetricSample) => m.name === 'cluster_load');
      expect(loads.map((m) => m.value)).toEqual([0.5]);
    }
  });

  it('answers CONFLICT on B for a key A used for recordMetrics, and the instances do not diverge', async () => {
    const [a, b] = apps as [App, App];
    const key = `metrics-reuse-${Date.now()}`;
    await clientOf(a).feeds.recordMetrics.mutate({ samples: [{ name: 'reuse_load', value: 1, labels: {} }], idempotencyKey: key });
    const conflict = await clientOf(b).feeds.broadcastCustom.mutate({ type: 'reuse', data: 1, idempotencyKey: key }).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(TRPCClientError);
    expect((conflict as TRPCClientError<AppRouter>).data?.code).toBe('CONFLICT');
    const next = await clientOf(b).feeds.broadcastCustom.mutate({ type: 'after-reuse', data: 2 });
    await eventually(() => a.desk.hub.lastId === b.desk.hub.lastId, 5000, 'A folded');
    expect(a.desk.hub.lastId).toBe(Number(next.eventId));
    for (const app of [a, b]) {
      expect(app.desk.topics.custom.buffer.last(1000, (e) => e.type === 'reuse')).toEqual([]);
      expect(app.desk.topics.custom.buffer.last(1, (e) => e.type === 'after-reuse').map((e) => e.id)).toEqual(
        b.desk.topics.custom.buffer.last(1, (e) => e.type === 'after-reuse').map((e) => e.id),
      );
      expect(app.desk.topics.metrics.buffer.last(1000, (m) => m.name === 'reuse_load')).toHaveLength(1);
    }
  });

  it('refuses mutations while Redis is away, reports it, keeps serving, and catches up when it returns', async () => {
    const [a, b] = apps as [App, App];
    const apiA = clientOf(a);
    const acked: number[] = [];
    for (let i = 0; i < 5; i++) {
      await apiA.feeds.broadcastCustom.mutate({ type: 'outage', data: i });
      acked.push(i);
    }
    await cluster.redis.stop();
    await eventually(() => a.desk.topics.health.current?.status === 'degraded', 5000, 'health shows degraded');
    const refused = await apiA.feeds.broadcastCustom.mutate({ type: 'outage', data: 99 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect((refused as TRPCClientError<AppRouter>).data?.code).toBe('SERVICE_UNAVAILABLE');
    const refusedMetrics = await apiA.feeds.recordMetrics.mutate({ samples: [{ name: 'outage_metric', value: 1, labels: {} }] }).catch((e: unknown) => e);
    expect((refusedMetrics as TRPCClientError<AppRouter>).data?.code).toBe('SERVICE_UNAVAILABLE');
    // Still serving what it has.
    expect((await clientOf(b).market.positions.query()).length).toBeGreaterThan(0);

    await cluster.redis.start();
    await eventually(() => a.desk.topics.health.current?.status === 'ok', 15_000, 'health back to ok');
    for (let i = 5; i < 8; i++) {
      await apiA.feeds.broadcastCustom.mutate({ type: 'outage', data: i });
      acked.push(i);
    }
    await eventually(() => b.desk.hub.lastId === a.desk.hub.lastId, 10_000, 'B caught up');
    // Nothing acknowledged was lost, across the Redis restart, on either instance or on a new one.
    const fresh = await instance();
    for (const app of [a, b, fresh]) {
      const outage = app.desk.topics.custom.buffer.last(1000, (e) => e.type === 'outage').map((e) => e.data);
      expect(outage).toEqual(acked);
      // What was refused was applied nowhere.
      expect(app.desk.topics.metrics.buffer.last(1000, (m) => m.name === 'outage_metric')).toEqual([]);
    }
  }, 60_000);
});
