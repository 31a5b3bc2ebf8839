import { describe, expect, it } from 'vitest';
import type { App } from '../app';
import { useCluster } from './cluster-fixture';
import { eventually, sleep } from './harness';
import { haveRedis } from './redis-server';

const WINDOW_MS = 1500;

const keyed = (app: App) => app.desk.topics.custom.buffer.last(100, (e) => e.type === 'keyed').map((e) => e.data);

describe.skipIf(!haveRedis)('cluster mode: idempotency keys expire by the log, not by a clock', () => {
  const { instance, clientOf } = useCluster({ prefix: 'keys', app: { desk: { journal: { path: ':memory:', idempotencyMs: WINDOW_MS } } } });

  it('every instance, and one that folds the log long after, applies a reused key the same number of times', async () => {
    const [a, b] = [await instance(), await instance()];
    const key = `reused-${Date.now()}`;
    const first = await clientOf(a).feeds.broadcastCustom.mutate({ type: 'keyed', data: 1, idempotencyKey: key });
    const retry = await clientOf(b).feeds.broadcastCustom.mutate({ type: 'keyed', data: 2, idempotencyKey: key });
    expect(retry.eventId).toBe(first.eventId);
    await sleep(WINDOW_MS + 200); // the key's window, by the commands' own times, has passed
    const late = await clientOf(b).feeds.broadcastCustom.mutate({ type: 'keyed', data: 3, idempotencyKey: key });
    expect(late.eventId).not.toBe(first.eventId);
    await sleep(1100); // within the window of the late use, and every instance has had a pruning pass
    const again = await clientOf(a).feeds.broadcastCustom.mutate({ type: 'keyed', data: 4, idempotencyKey: key });
    expect(again.eventId).toBe(late.eventId);
    // A new instance folds the whole log at once, long after the keys' windows by its clock.
    const c = await instance();
    await eventually(() => a.desk.hub.lastId === b.desk.hub.lastId && c.desk.hub.lastId === a.desk.hub.lastId, 5000, 'all folded');
    for (const app of [a, b, c]) expect(keyed(app)).toEqual([1, 3]);
    expect(c.desk.hub.lastId).toBe(a.desk.hub.lastId);
  });
});
