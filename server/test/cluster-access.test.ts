import { createTRPCClient, createWSClient, TRPCClientError, wsLink } from '@trpc/client';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import type { App } from '../app';
import type { AuthConfig } from '../auth/tokens';
import type { AppRouter } from '../root';
import { useCluster } from './cluster-fixture';
import { eventually } from './harness';
import { haveRedis } from './redis-server';

const ADMIN = 'admin-token-0123456789';
const ERIN = 'erin-token-01234567890';
const auth: AuthConfig = { tokens: { [ADMIN]: { role: 'admin', name: 'root' }, [ERIN]: { role: 'operator', name: 'erin' } } };
const codeOf = (promise: Promise<unknown>) => promise.then(() => 'OK', (e: TRPCClientError<AppRouter>) => `${e.data?.code}: ${e.message}`);

describe.skipIf(!haveRedis)('access in a cluster', () => {
  const cluster = useCluster({ prefix: 'access', app: { statsIntervalMs: 3_600_000, auth }, client: { retryDelayMs: () => 50 } });
  const { apps, instance } = cluster;
  const clientOf = (app: App, token: string) => cluster.clientOf(app, { token });

  it('decides trading limits from the command, so instances with other settings fold the same', async () => {
    const strict = await instance({ tradeLimits: { maxQty: 10 } });
    const loose = await instance();
    await clientOf(loose, ERIN).market.setPrice.mutate({ symbol: 'CLM', price: 20 });
    // Taken by the loose instance: booked everywhere, though the strict one would refuse it itself.
    expect(await codeOf(clientOf(loose, ERIN).market.executeTrade.mutate({ symbol: 'CLM', side: 'buy', qty: 50 }))).toBe('OK');
    // Taken by the strict one: refused, and nothing changes on either.
    const before = loose.desk.hub.lastId;
    expect(await codeOf(clientOf(strict, ERIN).market.executeTrade.mutate({ symbol: 'CLM', side: 'buy', qty: 50 }))).toMatch(/^BAD_REQUEST: .*maxQty/);
    await clientOf(strict, ERIN).feeds.broadcastCustom.mutate({ type: 'fence', data: 1 });
    await eventually(() => loose.desk.hub.lastId === strict.desk.hub.lastId, 5000, 'both folded');
    expect(loose.desk.hub.lastId).toBe(before + 1);
    expect(strict.desk.topics.positions.values()).toEqual(loose.desk.topics.positions.values());
    expect(strict.desk.topics.positions.values().find((p) => p.symbol === 'CLM')?.qty).toBe(50);
    // Each instance audits the calls it took, and only those.
    const onStrict = (await clientOf(strict, ADMIN).system.audit.query({ path: 'market.executeTrade' })).entries;
    const onLoose = (await clientOf(loose, ADMIN).system.audit.query({ path: 'market.executeTrade' })).entries;
    expect(onStrict.map((e) => [e.code, e.instance])).toEqual([['BAD_REQUEST', expect.any(String)]]);
    expect(onLoose.map((e) => e.code)).toEqual(['OK']);
    expect(onLoose[0]!.instance).not.toBe(onStrict[0]!.instance);
  });

  it('a revocation made on one instance closes the token\'s sockets on another', async () => {
    const [a, b] = apps as [App, App];
    const closes: number[] = [];
    const wsClient = createWSClient({ url: b.wsUrl, WebSocket: WebSocket as never, connectionParams: { token: ERIN }, onClose: (cause) => closes.push(cause?.code ?? -1) });
    cluster.defer(() => void wsClient.close());
    const onB = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
    expect(await codeOf(onB.system.health.query())).toBe('OK');
    await clientOf(a, ADMIN).system.revokeToken.mutate({ id: 'erin' });
    await expect.poll(() => closes, { timeout: 5000 }).toContain(1008);
    expect(await codeOf(clientOf(b, ERIN).market.prices.query())).toBe('UNAUTHORIZED: this token has been revoked');
    expect(await codeOf(clientOf(a, ERIN).market.prices.query())).toBe('UNAUTHORIZED: this token has been revoked');
    wsClient.close();
  });
});
