import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { App } from '../app';
import { useCluster } from './cluster-fixture';
import { eventually, sleep } from './harness';
import { freePort, spawnServer, TEST_TOKEN } from './process';
import { haveRedis } from './redis-server';

let victim: ChildProcess | null = null;

const items = (app: App) => app.desk.topics.custom.buffer.last(10_000, (e) => e.type === 'kill').map((e) => e.data as string);

describe.skipIf(!haveRedis)('cluster mode: an instance killed (-9) during writes', () => {
  const cluster = useCluster({ prefix: 'kill' });
  cluster.defer(() => victim?.kill('SIGKILL'));

  it('loses nothing acknowledged, and retries of its unanswered mutations on another instance apply once', async () => {
    const port = await freePort();
    victim = await spawnServer(port, { DESK_REDIS_URL: cluster.redis.url, DESK_REDIS_PREFIX: cluster.prefix });
    const survivor = await cluster.instance();
    const onVictim = cluster.client({ url: `http://127.0.0.1:${port}`, token: TEST_TOKEN, mutationRetries: 0 });
    const onSurvivor = cluster.client({ url: survivor.url });

    const outcomes = new Map<string, boolean>();
    let writing = true;
    const writer = async (name: string) => {
      for (let n = 0; writing; n++) {
        const key = `${name}-${n}`;
        outcomes.set(key, false);
        const ok = await onVictim.api.feeds.broadcastCustom.mutate({ type: 'kill', data: key, idempotencyKey: key }).then(() => true, () => false);
        outcomes.set(key, ok);
        if (!ok) return;
      }
    };
    const writers = [writer('w1'), writer('w2'), writer('w3'), writer('w4')];
    const acked = () => [...outcomes.values()].filter(Boolean).length;
    await eventually(() => acked() >= 40, 10_000, 'writes flowing');
    victim.kill('SIGKILL');
    await Promise.race([Promise.all(writers), sleep(5000)]);
    writing = false;
    await Promise.all(writers);

    // Everything the dead instance acknowledged is in the cluster.
    const acknowledged = [...outcomes].filter(([, ok]) => ok).map(([key]) => key);
    await eventually(() => {
      const seen = new Set(items(survivor));
      return acknowledged.every((key) => seen.has(key));
    }, 5000, 'every acknowledged mutation folded by the survivor');
    // Its unanswered mutations, retried elsewhere with their keys, apply exactly once.
    for (const [key, ok] of outcomes) {
      if (!ok) await onSurvivor.api.feeds.broadcastCustom.mutate({ type: 'kill', data: key, idempotencyKey: key });
    }
    const all = items(survivor);
    expect(all.length).toBe(new Set(all).size);
    expect(new Set(all)).toEqual(new Set(outcomes.keys()));
    // And a new instance folds to the same state.
    const fresh = await cluster.instance();
    await eventually(() => fresh.desk.hub.lastId === survivor.desk.hub.lastId, 5000, 'the new instance agrees');
    expect(items(fresh)).toEqual(all);
  }, 30_000);
});
