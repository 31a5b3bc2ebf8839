import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import type { AppRouter } from '../root';
import { useCluster } from './cluster-fixture';
import { eventually } from './harness';
import { haveRedis } from './redis-server';

async function codeOf(call: Promise<unknown>): Promise<string | undefined> {
  const error = await call.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCClientError);
  return (error as TRPCClientError<AppRouter>).data?.code;
}

describe.skipIf(!haveRedis)('cluster mode: a refused command', () => {
  const { apps, instance, clientOf } = useCluster({ prefix: 'refusals' });

  it('answers the caller with its error, and the instance keeps serving', async () => {
    const a = await instance();
    const api = clientOf(a);
    expect(await codeOf(api.alerts.dismiss.mutate({ id: 'nope' }))).toBe('NOT_FOUND');
    expect(await codeOf(api.alerts.deleteRule.mutate({ id: 'nope' }))).toBe('NOT_FOUND');
    expect(await codeOf(api.market.executeTrade.mutate({ symbol: 'NOPX', side: 'buy', qty: 1 }))).toBe('BAD_REQUEST');
    const key = `k-${Date.now()}`;
    await api.feeds.broadcastCustom.mutate({ type: 'refusal', data: 1, idempotencyKey: key });
    expect(await codeOf(api.feeds.pushNotification.mutate({ title: 't', body: 'b', idempotencyKey: key }))).toBe('CONFLICT');
    // Still up and still applying.
    const { eventId } = await api.market.setPrice.mutate({ symbol: 'REF', price: 10 });
    expect(Number(eventId)).toBe(a.desk.hub.lastId);
  });

  it('survives two operators dismissing the same alert on two instances at once', async () => {
    const [a, b] = [apps[0]!, await instance()];
    const [apiA, apiB] = [clientOf(a), clientOf(b)];
    await apiA.alerts.createRule.mutate({ symbol: 'DUP', condition: 'above', threshold: 100, severity: 'warning' });
    await apiA.market.setPrice.mutate({ symbol: 'DUP', price: 101 });
    await eventually(() => b.desk.hub.lastId === a.desk.hub.lastId, 5000, 'B folded');
    const alert = a.desk.topics.alerts.values().find((x) => x.symbol === 'DUP')!;
    const results = await Promise.allSettled([apiA.alerts.dismiss.mutate({ id: alert.id }), apiB.alerts.dismiss.mutate({ id: alert.id })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as TRPCClientError<AppRouter>).data?.code).toBe('NOT_FOUND');
    // Both instances are alive, agree, and keep applying.
    await apiB.market.setPrice.mutate({ symbol: 'DUP', price: 90 });
    await eventually(() => b.desk.hub.lastId === a.desk.hub.lastId, 5000, 'A folded');
    expect(a.desk.topics.alerts.get(alert.id)).toBeUndefined();
    expect(b.desk.topics.alerts.get(alert.id)).toBeUndefined();
  });
});
