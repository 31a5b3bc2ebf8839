import { describe, expect, it } from 'vitest';
import type { DeskCustomEvent, StreamMessage } from '../../shared/index';
import { useCluster } from './cluster-fixture';
import { collector, eventually, sleep } from './harness';
import { haveRedis } from './redis-server';

describe.skipIf(!haveRedis)('cluster mode: one view of every instance', () => {
  const { instance, clientOf } = useCluster({ prefix: 'view', app: { statsIntervalMs: 100, cluster: { heartbeatMs: 200 } } });

  it("system.stats on any instance lists every instance with its connections and subscriptions", async () => {
    const [a, b] = [await instance(), await instance()];
    const onB = collector<StreamMessage<DeskCustomEvent>>();
    const sub = clientOf(b).feeds.onCustom.subscribe({ type: 'view', limit: 0 }, onB);
    await onB.until((m) => m.length > 0);
    const apiA = clientOf(a);
    const idB = b.cluster!.instance;
    let view = (await apiA.system.stats.query()).cluster;
    for (let i = 0; i < 50 && !(view?.find((x) => x.instance === idB)?.subscriptions ?? 0); i++) {
      await sleep(100);
      view = (await apiA.system.stats.query()).cluster;
    }
    expect(view?.map((x) => x.instance).sort()).toEqual([a.cluster!.instance, idB].sort());
    const fromB = view!.find((x) => x.instance === idB)!;
    expect(fromB).toMatchObject({ connections: 1, subscriptions: 1, up: true, ready: true, simulating: false, lagCommands: 0 });
    expect(fromB.ageMs).toBeLessThan(5000);
    sub.unsubscribe();

    await b.stop(); // it leaves the view at once
    await eventually(() => a.desk.topics.stats.current?.cluster?.length === 1, 5000, 'B gone from the view');
    expect(a.desk.topics.stats.current?.cluster?.[0]?.instance).toBe(a.cluster!.instance);
  });
});
