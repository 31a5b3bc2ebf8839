import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import type { App } from '../app';
import type { AppRouter } from '../root';
import { useCluster, type ClusterFixture } from './cluster-fixture';
import { eventually, sleep } from './harness';
import { haveRedis } from './redis-server';

const get = async (app: App, path: string) => {
  const res = await fetch(`${app.url}${path}`);
  return { status: res.status, text: await res.text() };
};
const stallItems = (app: App) => app.desk.topics.custom.buffer.last(10_000, (e) => e.type === 'stall').map((e) => e.data as string);

/** Writers on each app, with clients of `cluster`, until `stop()`; every key's last answer (`OK` or the error code). */
function startWriters(cluster: ClusterFixture, targets: App[], type: string) {
  const outcomes = new Map<string, string>();
  let writing = true;
  const writer = async (app: App, name: string) => {
    const api = cluster.clientOf(app, { mutationRetries: 0 });
    for (let n = 0; writing; n++) {
      const key = `${name}-${n}`;
      outcomes.set(key, 'pending');
      const code = await api.feeds.broadcastCustom.mutate({ type, data: key, idempotencyKey: key }).then(
        () => 'OK',
        (e: unknown) => (e instanceof TRPCClientError ? String((e as TRPCClientError<AppRouter>).data?.code) : String(e)),
      );
      outcomes.set(key, code);
      if (code !== 'OK') await sleep(50);
    }
  };
  const running = targets.map((app, i) => writer(app, `${type}${i}`));
  return {
    outcomes,
    async stop() {
      writing = false;
      await Promise.all(running);
    },
  };
}

describe.skipIf(!haveRedis)('cluster mode: Redis stalls (SIGSTOP) with writers busy', () => {
  const cluster = useCluster({
    prefix: 'stall',
    app: {
      statsIntervalMs: 100,
      limits: { mutationsPerSecond: 10_000, mutationBurst: 10_000 },
      // Short timeouts keep the test quick; the stall lasts several times the longest of them.
      cluster: { commandTimeoutMs: 400, timeoutMs: 1200, heartbeatMs: 200 },
    },
  });
  const { instance } = cluster;
  const clientOf = (app: App, mutationRetries = 0) => cluster.clientOf(app, { mutationRetries });

  it('Redis killed (-9) under load and restarted: nothing acknowledged lost, nothing said "not applied" was applied', async () => {
    const [a, b] = [await instance(), await instance()];
    const writers = startWriters(cluster, [a, b, a], 'killed');
    await sleep(300);
    await cluster.redis.kill();
    await sleep(500);
    await cluster.redis.start();
    for (const app of [a, b]) await eventually(() => app.desk.topics.health.current?.status === 'ok', 10_000, 'health back to ok');
    await sleep(200);
    await writers.stop();
    for (const app of [a, b]) await eventually(() => app.desk.topics.health.current?.cluster?.inDoubt === 0, 10_000, 'in-doubt settled');
    await eventually(() => a.desk.hub.lastId === b.desk.hub.lastId, 5000, 'instances agree');
    const items = (app: App) => app.desk.topics.custom.buffer.last(10_000, (e) => e.type === 'killed').map((e) => e.data as string);
    const before = new Set(items(a));
    for (const [key, code] of writers.outcomes) {
      if (code === 'OK') expect(before.has(key), `${key} acknowledged`).toBe(true);
      if (code === 'SERVICE_UNAVAILABLE') expect(before.has(key), `${key} said not applied`).toBe(false);
    }
    const api = clientOf(a);
    for (const [key, code] of writers.outcomes) {
      if (code !== 'OK') await api.feeds.broadcastCustom.mutate({ type: 'killed', data: key, idempotencyKey: key });
    }
    await eventually(() => a.desk.hub.lastId === b.desk.hub.lastId, 5000, 'instances agree after retries');
    for (const app of [a, b]) {
      expect(items(app).length).toBe(new Set(items(app)).size);
      expect(new Set(items(app))).toEqual(new Set(writers.outcomes.keys()));
    }
  }, 30_000);

  it('keeps every instance up, reports degraded and not ready, answers honestly, and applies each key once', async () => {
    const [a, b] = [await instance(), await instance()];
    const writers = startWriters(cluster, [a, a, b], 'stall');
    const outcomes = writers.outcomes;
    await sleep(300);
    expect((await get(a, '/ready')).status).toBe(200);

    cluster.redis.pause();
    for (const app of [a, b]) {
      await eventually(() => app.desk.topics.health.current?.status === 'degraded', 5000, 'health turns degraded');
    }
    const health = JSON.parse((await get(a, '/health')).text);
    expect(health.status).toBe('degraded');
    expect(health.cluster.up).toBe(false);
    expect((await get(a, '/ready')).status).toBe(503);
    expect((await get(b, '/ready')).status).toBe(503);
    const metrics = (await get(a, '/metrics')).text;
    expect(metrics).toMatch(/^livedesk_cluster_log_up 0$/m);
    expect(metrics).toMatch(/^livedesk_cluster_ready 0$/m);
    await sleep(2500); // well past every timeout: mutation, Redis command, heartbeat
    cluster.redis.resume();

    for (const app of [a, b]) {
      await eventually(() => app.desk.topics.health.current?.status === 'ok', 10_000, 'health back to ok');
    }
    await writers.stop();
    expect((await get(a, '/ready')).status).toBe(200);
    const codes = new Set(outcomes.values());
    // During the stall appends were sent and not answered: their fate was unknown, and said so.
    expect(codes.has('GATEWAY_TIMEOUT')).toBe(true);
    for (const code of codes) expect(['OK', 'GATEWAY_TIMEOUT', 'SERVICE_UNAVAILABLE']).toContain(code);

    // Instances learn the fate of what they answered "unknown" once Redis is back.
    for (const app of [a, b]) await eventually(() => app.desk.topics.health.current?.cluster?.inDoubt === 0, 10_000, 'in-doubt settled');
    await eventually(() => a.desk.hub.lastId === b.desk.hub.lastId, 5000, 'instances agree');
    const before = new Set(stallItems(a));
    for (const [key, code] of outcomes) {
      if (code === 'OK') expect(before.has(key), `${key} acknowledged`).toBe(true);
      if (code === 'SERVICE_UNAVAILABLE') expect(before.has(key), `${key} said not applied`).toBe(false);
    }
    // Retrying every unanswered key with that key applies each exactly once.
    const api = clientOf(a);
    for (const [key, code] of outcomes) {
      if (code !== 'OK') await api.feeds.broadcastCustom.mutate({ type: 'stall', data: key, idempotencyKey: key });
    }
    await eventually(() => a.desk.hub.lastId === b.desk.hub.lastId, 5000, 'instances agree after retries');
    for (const app of [a, b]) {
      const items = stallItems(app);
      expect(items.length).toBe(new Set(items).size);
      expect(new Set(items)).toEqual(new Set(outcomes.keys()));
    }
  }, 30_000);
});
