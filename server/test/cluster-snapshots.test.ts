import { describe, expect, it } from 'vitest';
import type { DeskCustomEvent, StreamMessage } from '../../shared/index';
import type { App } from '../app';
import { useCluster } from './cluster-fixture';
import { collector, eventually } from './harness';
import { haveRedis } from './redis-server';

const EVERY = 20;

const itemsOf = (messages: Array<{ data: StreamMessage<DeskCustomEvent> }>) =>
  messages.flatMap((m) => (m.data.type === 'append' ? m.data.items.map((e) => e.data as number) : []));
const statusOf = async (app: App) => (await (await fetch(`${app.url}/health`)).json()) as { cluster: { up: boolean } };
const metricsOf = async (app: App) => (await fetch(`${app.url}/metrics`)).text();
const gauge = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);

describe.skipIf(!haveRedis)('cluster mode: snapshots, trimming and bounded restarts', () => {
  const cluster = useCluster({
    prefix: 'snap',
    app: {
      statsIntervalMs: 100,
      // The tests write a few hundred mutations as fast as they go, from one address.
      limits: { mutationsPerSecond: 10_000, mutationBurst: 10_000 },
      cluster: { snapshotKeep: 2 },
    },
    client: { retryDelayMs: () => 50 },
  });
  const { apps, clientOf, prefix } = cluster;
  const instance = (snapshotEvery = EVERY) => cluster.instance({ cluster: { snapshotEvery } });

  it('stores snapshots, keeps the newest two, and trims the stream behind them', async () => {
    const a = await instance();
    const api = clientOf(a);
    await api.market.setPrice.mutate({ symbol: 'SNP', price: 20 });
    await api.market.executeTrade.mutate({ symbol: 'SNP', side: 'buy', qty: 3, idempotencyKey: 'snap-trade' });
    for (let i = 0; i < 5 * EVERY; i++) await api.feeds.broadcastCustom.mutate({ type: 'snap', data: i });
    await eventually(() => (a.cluster?.status().snapshots.stored ?? 0) >= 3 && !a.cluster?.status().snapshots.busy, 5000, 'snapshots stored');
    const metrics = await metricsOf(a);
    expect(gauge(metrics, 'livedesk_cluster_snapshots_stored_total')).toBeGreaterThanOrEqual(3);
    expect(await cluster.inspect().zcard(`${prefix}:snapshots`)).toBe(2);
    const length = await cluster.inspect().xlen(`${prefix}:commands`);
    // Trimmed to the older of the two snapshots kept: at most two intervals and what came after.
    expect(length).toBeLessThan(3 * EVERY);
    expect(gauge(metrics, 'livedesk_cluster_log_length')).toBeLessThan(3 * EVERY + 5);
    expect((await statusOf(a)).cluster.up).toBe(true);
  });

  it('starts a new instance from the newest snapshot, folds only the tail, and agrees on everything', async () => {
    const a = apps[0]!;
    const b = await instance();
    expect(gauge(await metricsOf(b), 'livedesk_cluster_snapshot_restored_seq')).toBeGreaterThan(0);
    await eventually(() => b.desk.hub.lastId === a.desk.hub.lastId, 5000, 'B caught up');
    expect(b.desk.topics.portfolio.get('portfolio')).toEqual(a.desk.topics.portfolio.get('portfolio'));
    expect(b.desk.topics.positions.values()).toEqual(a.desk.topics.positions.values());
    expect(b.desk.topics.prices.values()).toEqual(a.desk.topics.prices.values());
    expect(b.desk.topics.custom.buffer.last(1000, () => true)).toEqual(a.desk.topics.custom.buffer.last(1000, () => true));
    // Idempotency keys came along: a retry on B of a trade made before the snapshot applies nothing.
    const apiB = clientOf(b);
    const before = b.desk.hub.lastId;
    await apiB.market.executeTrade.mutate({ symbol: 'SNP', side: 'buy', qty: 3, idempotencyKey: 'snap-trade' });
    expect(b.desk.hub.lastId).toBe(before);
    // And both go on folding to the same state under the same ids.
    await apiB.market.setPrice.mutate({ symbol: 'SNP', price: 25 });
    const { trade } = await clientOf(a).market.executeTrade.mutate({ symbol: 'SNP', side: 'sell', qty: 1 });
    await eventually(() => b.desk.hub.lastId === a.desk.hub.lastId, 5000, 'agree');
    expect(b.desk.topics.portfolio.get('portfolio')).toEqual(a.desk.topics.portfolio.get('portfolio'));
    expect(b.desk.topics.trades.buffer.last(1, () => true)[0]?.id).toBe(trade.id);
  });

  it('a client resuming on the restarted instance from before the snapshot gets a resync, never a silent gap', async () => {
    const [a, b] = apps as [App, App];
    const apiA = clientOf(a);
    const early = collector<StreamMessage<DeskCustomEvent>>();
    const sub = apiA.feeds.onCustom.subscribe({ type: 'resume', limit: 0 }, early);
    await early.until((m) => m.length > 0);
    for (let i = 0; i < 3; i++) await apiA.feeds.broadcastCustom.mutate({ type: 'resume', data: i });
    await early.until((m) => itemsOf(m).length === 3);
    const oldId = early.messages.at(-1)!.id;
    sub.unsubscribe();
    // Enough commands for a new snapshot past oldId, then a restart of B from it.
    for (let i = 3; i < 3 + 2 * EVERY; i++) await apiA.feeds.broadcastCustom.mutate({ type: 'resume', data: i });
    await b.stop();
    const c = await instance();
    const restoredFrom = gauge(await metricsOf(c), 'livedesk_cluster_snapshot_restored_seq');
    expect(restoredFrom).toBeGreaterThan(0);
    const resumed = collector<StreamMessage<DeskCustomEvent>>();
    const sub2 = clientOf(c).feeds.onCustom.subscribe({ type: 'resume', limit: 1000, lastEventId: oldId }, resumed);
    await resumed.until((m) => m.length > 0);
    // C holds no history from before its snapshot: it tells the client to start over, with
    // everything it has, rather than answer "changes since" with some missing.
    const first = resumed.messages[0]!.data;
    expect(first.type).toBe('snapshot');
    if (first.type === 'snapshot') expect(first.items.map((e) => e.data)).toEqual([...Array(3 + 2 * EVERY).keys()]);
    sub2.unsubscribe();
  });

  it('refuses to start from the beginning of a trimmed log instead of folding it with a gap', async () => {
    await expect(instance(0)).rejects.toThrow(/trimmed/);
  });
});

describe.skipIf(!haveRedis)('cluster mode: an instance started from a snapshot never diverges', () => {
  const cluster = useCluster({ prefix: 'diverge', app: { cluster: { snapshotEvery: 50, simLeaseMs: 1000 } } });

  /** Every journaled topic's rows (with their event ids) and replay buffer. */
  const stateOf = (app: App) =>
    Object.fromEntries(
      [...app.desk.hub.topics].map(([name, t]) => [name, t.deliveryClass === 'log' ? t.buffer.dump() : t.dump()]),
    );

  it('agrees on every topic, row id and buffer with the instance that folded everything, while the simulator runs', async () => {
    const a = await cluster.instance({ sim: { enabled: true, ticksPerSecond: 300 } });
    await eventually(() => (a.cluster?.status().snapshots.stored ?? 0) >= 3, 10_000, 'snapshots while simulating');
    const b = await cluster.instance({ sim: { enabled: false } });
    expect(b.cluster!.status().snapshots.restoredFrom).toBeGreaterThan(0);
    await eventually(() => (a.cluster?.status().snapshots.stored ?? 0) >= 6, 10_000, 'more commands after B started');
    a.sim.stop();
    await eventually(() => a.cluster!.status().lagCommands === 0 && b.desk.hub.lastId === a.desk.hub.lastId, 10_000, 'B caught up');
    expect(a.desk.topics.trades.buffer.size + a.desk.topics.decisions.buffer.size).toBeGreaterThan(0);
    expect(stateOf(b)).toEqual(stateOf(a));
  }, 30_000);
});
