import { TRPCClientError } from '@trpc/client';
import { beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app';
import type { AppRouter } from '../root';
import { useCluster } from './cluster-fixture';
import { eventually, sleep } from './harness';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { haveRedis } from './redis-server';

let proxy: FaultProxy;
let direct: App; // reaches Redis without the proxy: sees what was really applied
let behind: App; // reaches Redis through the proxy

const itemsOf = (app: App, type: string) => app.desk.topics.custom.buffer.last(10_000, (e) => e.type === type).map((e) => e.data);
const codeOf = async (call: Promise<unknown>) => {
  const error = await call.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCClientError);
  return { code: (error as TRPCClientError<AppRouter>).data?.code, message: (error as Error).message };
};
/** Waits until Redis has taken `count` more commands of `type` (seen by the instance that is not behind the proxy). */
const applied = (type: string, count: number) => eventually(() => itemsOf(direct, type).length >= count, 5000, `${type} reached Redis`);

describe.skipIf(!haveRedis)('cluster mode: the connection to Redis fails around an append', () => {
  const cluster = useCluster({ prefix: 'doubt', app: { statsIntervalMs: 100 }, client: { retryDelayMs: () => 100 } });
  const clientOf = (app: App, mutationRetries = 0) => cluster.clientOf(app, { mutationRetries });
  beforeAll(async () => {
    proxy = await startFaultProxy(cluster.redis.port);
    cluster.defer(() => proxy.close());
    direct = await cluster.instance();
    behind = await cluster.instance({ cluster: { url: proxy.url, commandTimeoutMs: 500, timeoutMs: 2000, heartbeatMs: 200 } });
  });

  it('finds out after a reconnect that Redis took the command, and answers with its result', async () => {
    const api = clientOf(behind);
    proxy.set('drop-replies');
    const pending = api.feeds.broadcastCustom.mutate({ type: 'found', data: 1 });
    await applied('found', 1);
    proxy.reset(); // the reply is lost with the connection
    proxy.set('pass');
    const { eventId } = await pending;
    expect(eventId).not.toBeNull();
    await eventually(() => behind.desk.hub.lastId >= Number(eventId), 5000, 'folded');
    expect(itemsOf(behind, 'found')).toEqual([1]);
    expect(itemsOf(direct, 'found')).toEqual([1]);
  });

  it('says "nothing was applied" only when Redis confirms the command never reached the log', async () => {
    const api = clientOf(behind);
    proxy.set('blackhole');
    const pending = codeOf(api.feeds.broadcastCustom.mutate({ type: 'lost', data: 1 }));
    await sleep(200);
    proxy.reset();
    proxy.set('pass');
    const { code, message } = await pending;
    expect(code).toBe('SERVICE_UNAVAILABLE');
    expect(message).toMatch(/nothing was applied/);
    // A late copy of the append can no longer add it: Redis marked it abandoned.
    await sleep(300);
    expect(itemsOf(direct, 'lost')).toEqual([]);
    expect(itemsOf(behind, 'lost')).toEqual([]);
  });

  it('answers GATEWAY_TIMEOUT (unknown) while Redis cannot be asked, learns the fate later, and a retry with the key applies once', async () => {
    const api = clientOf(behind);
    proxy.set('drop-replies');
    const key = `doubt-${Date.now()}`;
    const { code, message } = await codeOf(api.feeds.broadcastCustom.mutate({ type: 'unknown', data: 1, idempotencyKey: key }));
    expect(code).toBe('GATEWAY_TIMEOUT');
    expect(message).toMatch(/retry with the same idempotency key/);
    expect(itemsOf(direct, 'unknown')).toEqual([1]); // it was applied after all
    proxy.reset();
    proxy.set('pass');
    await eventually(() => behind.desk.topics.health.current?.cluster?.inDoubt === 0, 5000, 'fate learnt');
    await eventually(() => behind.desk.topics.health.current?.status === 'ok', 5000, 'log up again');
    const retried = await api.feeds.broadcastCustom.mutate({ type: 'unknown', data: 1, idempotencyKey: key });
    await eventually(() => direct.desk.hub.lastId === behind.desk.hub.lastId, 5000, 'agree');
    expect(retried.eventId).not.toBeNull();
    expect(itemsOf(direct, 'unknown')).toEqual([1]);
    expect(itemsOf(behind, 'unknown')).toEqual([1]);
  });

  it('the shared client keys every mutation and retries an unknown answer safely: applied once', async () => {
    const api = clientOf(behind, 3);
    proxy.set('drop-replies');
    const pending = api.feeds.broadcastCustom.mutate({ type: 'client', data: 1 }); // no key given
    await applied('client', 1);
    await sleep(2500); // past the instance's deadline: the first answer is GATEWAY_TIMEOUT
    proxy.reset();
    proxy.set('pass');
    const { eventId } = await pending;
    expect(eventId).not.toBeNull();
    await eventually(() => direct.desk.hub.lastId === behind.desk.hub.lastId, 5000, 'agree');
    expect(itemsOf(direct, 'client')).toEqual([1]);
    expect(itemsOf(behind, 'client')).toEqual([1]);
  });

  it('delays on the link slow answers down but change nothing', async () => {
    const api = clientOf(behind);
    proxy.set('delay', 150);
    const results = await Promise.all([1, 2, 3].map((data) => api.feeds.broadcastCustom.mutate({ type: 'slow', data })));
    proxy.set('pass');
    expect(results.every((r) => r.eventId !== null)).toBe(true);
    await eventually(() => direct.desk.hub.lastId === behind.desk.hub.lastId, 5000, 'agree');
    expect(itemsOf(direct, 'slow').sort()).toEqual([1, 2, 3]);
  });
});
