import { describe, expect, it } from 'vitest';
import type { StreamMessage } from '../../shared/index';
import { useCluster } from './cluster-fixture';
import { collector, eventually } from './harness';
import { haveRedis } from './redis-server';

/**
 * Time travel in cluster mode: every instance folds the one command log into a journal of its own
 * (in memory), so every instance that folded a moment rebuilds it alike, and replays it alike
 * (the same ids, the same items, the same recorded times); an instance that joined later starts
 * from the newest snapshot and can rebuild only from its own first checkpoint on, its logs from
 * its journal and, before it, the snapshot's replay buffers.
 */
describe.skipIf(!haveRedis)('cluster mode: replay', () => {
  // A snapshot every 5 commands: an instance started later begins at the newest one and folds the tail.
  const { instance, clientOf } = useCluster({ prefix: 'replay', app: { statsIntervalMs: 3_600_000, cluster: { snapshotEvery: 5 } } });

  it('rebuilds and replays a moment alike on every instance that folded it; one that joined later only from its own first checkpoint on, logs included', async () => {
    const [a, b] = [await instance(), await instance()];
    const apiA = clientOf(a);
    const apiB = clientOf(b);
    await apiA.market.setPrice.mutate({ symbol: 'CRP', price: 50 });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const api = i % 2 ? apiA : apiB;
      ids.push((await api.feeds.pushNotification.mutate({ title: `cr${i}`, body: 'b', severity: i % 3 ? 'info' : 'critical' })).eventId!);
      if (i % 4 === 0) ids.push((await api.market.executeTrade.mutate({ symbol: 'CRP', side: 'buy', qty: 1 })).eventId!);
    }
    const last = ids[ids.length - 1]!;
    await eventually(() => a.desk.hub.lastId >= Number(last) && b.desk.hub.lastId >= Number(last), 5000, 'both instances folded the session');

    // The same moment, rebuilt on either instance.
    const moment = ids[3]!;
    const onA = await apiA.replay.asOf.query({ at: moment, limit: 100 });
    const onB = await apiB.replay.asOf.query({ at: moment, limit: 100 });
    expect(onB.keyed).toEqual(onA.keyed);
    expect(onB.logs).toEqual(onA.logs);
    expect(onB.portfolio).toEqual(onA.portfolio);
    // Commits are recorded at their command's time on every instance, so a moment's time is one.
    expect(onB.ts).toBe(onA.ts);
    expect(onA.logs.notifications.map((n) => n.title)).toEqual(['cr0', 'cr1', 'cr2']);

    // Replayed on either instance, the same messages under the same ids, up to going live.
    const replayed = async (api: typeof apiA) => {
      const got = collector<StreamMessage<{ title: string }>>();
      const sub = api.feeds.onNotifications.subscribe({ limit: 2, replay: { from: moment, speed: 100 } }, { onData: got.onData, onError: got.onError });
      await got.until((m) => m.some((x) => BigInt(x.id) >= BigInt(last)), 10_000);
      sub.unsubscribe();
      expect(got.errors).toEqual([]);
      // The empty message that says the stream is live comes before or after the last replayed one, as it happens.
      const messages = got.messages.filter((m) => BigInt(m.id) <= BigInt(last)).map((m) => ({ id: m.id, type: m.data.type, items: 'items' in m.data ? m.data.items.map((i) => i.title) : [] }));
      return messages.filter((m) => m.type === 'snapshot' || m.items.length > 0);
    };
    const [viaA, viaB] = [await replayed(apiA), await replayed(apiB)];
    expect(viaB).toEqual(viaA);
    expect(viaA.flatMap((m) => m.items)).toEqual(['cr1', 'cr2', ...Array.from({ length: 9 }, (_, i) => `cr${i + 3}`)]);

    // History by time finds the same events on either instance (recorded times are the commands').
    const from = onA.ts;
    const byTime = async (api: typeof apiA) => (await api.history.notifications.query({ from, order: 'oldest', limit: 100 })).items.map((i) => i.eventId);
    expect(await byTime(apiB)).toEqual(await byTime(apiA));

    // An instance that joined after the session starts from the newest snapshot: its journal and
    // its first checkpoint begin there, so a moment before it is refused; one after it is alike.
    // Whichever instance takes it: one stores a snapshot while the others leave it to it.
    const stored = () => [a, b].reduce((n, x) => n + (x.cluster?.status().snapshots.stored ?? 0), 0);
    await eventually(() => stored() >= 2 && [a, b].every((x) => !x.cluster?.status().snapshots.busy), 5000, 'snapshots stored');
    const c = await instance();
    const apiC = clientOf(c);
    await eventually(() => c.desk.hub.lastId >= Number(last), 5000, 'the late instance folded the log');
    const window = await apiC.replay.window.query();
    expect(BigInt(window.from!.eventId)).toBeGreaterThan(BigInt(moment));
    await expect(apiC.replay.asOf.query({ at: moment })).rejects.toMatchObject({ data: { code: 'NOT_FOUND' } });
    const [atStartA, atStartC] = [await apiA.replay.asOf.query({ at: window.from!.eventId, limit: 100 }), await apiC.replay.asOf.query({ at: window.from!.eventId, limit: 100 })];
    expect(atStartC.keyed).toEqual(atStartA.keyed);
    expect(atStartC.portfolio).toEqual(atStartA.portfolio);
    // Its journal holds only what it folded after the snapshot; the log events before it come from
    // the snapshot's replay buffers, so its rebuilt logs are A's too.
    expect(atStartA.logs.notifications.length).toBeGreaterThan(0);
    expect(atStartC.logs).toEqual(atStartA.logs);
    const [atLastA, atLastC] = [await apiA.replay.asOf.query({ at: last, limit: 100 }), await apiC.replay.asOf.query({ at: last, limit: 100 })];
    expect(atLastC.keyed).toEqual(atLastA.keyed);
    expect(atLastC.logs).toEqual(atLastA.logs);
    // And a stream replayed on it from that moment starts with the same snapshot.
    const got = collector<StreamMessage<{ title: string }>>();
    const sub = apiC.feeds.onNotifications.subscribe({ limit: 5, replay: { from: window.from!.eventId, speed: 0 } }, { onData: got.onData, onError: got.onError });
    await got.until((m) => m.length > 0);
    sub.unsubscribe();
    expect(got.messages[0]!.data).toEqual({ type: 'snapshot', items: atStartA.logs.notifications.slice(-5), resync: false });
  }, 60_000);
});
