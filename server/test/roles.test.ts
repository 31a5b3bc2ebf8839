import { createTRPCClient, createWSClient, TRPCClientError, wsLink } from '@trpc/client';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedToken, hasRole, type Role } from '../auth/tokens';
import { appRouter, type AppRouter } from '../root';
import { startTestDesk, type TestDesk } from './harness';

const SECRET = 'a-test-secret-that-is-long-enough-0123';
const tokens = { 'viewer-token-0123456789': 'viewer', 'operator-token-0123456789': 'operator', 'admin-token-0123456789': 'admin' } as const;

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({ statsIntervalMs: 3_600_000, auth: { tokens, secret: SECRET } });
});
afterAll(() => desk.close());

type Procedure = { _def: { type: 'query' | 'mutation' | 'subscription'; meta?: { role?: Role } } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Procedure>);

const callers: Array<{ name: string; token?: string; role: Role | null }> = [
  { name: 'no token', role: null },
  { name: 'unknown token', token: 'not-a-token-at-all-0000', role: null },
  { name: 'viewer', token: 'viewer-token-0123456789', role: 'viewer' },
  { name: 'operator', token: 'operator-token-0123456789', role: 'operator' },
  { name: 'admin', token: 'admin-token-0123456789', role: 'admin' },
  { name: 'signed operator', token: createSignedToken(SECRET, { role: 'operator', ttlMs: 3_600_000, name: 'signer' }), role: 'operator' },
];

/** Calls a procedure with `{}` and returns the error code, or 'OK'. Subscriptions: the first event. */
async function call(api: unknown, path: string, type: string): Promise<string> {
  const [router, name] = path.split('.') as [string, string];
  const procedure = (api as Record<string, Record<string, Record<string, (...args: unknown[]) => unknown>>>)[router]![name]!;
  const codeOf = (error: unknown) => ((error as TRPCClientError<AppRouter>).data?.code ?? String(error));
  if (type === 'subscription') {
    return new Promise((resolve) => {
      const sub = procedure.subscribe!({}, {
        onData: () => {
          (sub as { unsubscribe(): void }).unsubscribe();
          resolve('OK');
        },
        onError: (error: unknown) => resolve(codeOf(error)),
      });
    });
  }
  const run = type === 'query' ? procedure.query! : procedure.mutate!;
  return (run({}) as Promise<unknown>).then(() => 'OK', codeOf);
}

describe('roles', () => {
  it('every procedure declares the role it needs', () => {
    const missing = procedures.filter(([, p]) => !p._def.meta?.role).map(([path]) => path);
    expect(missing).toEqual([]);
    expect(procedures.length).toBeGreaterThan(40);
  });

  it('access (revocations, audit), stats and presence need admin, other mutations operator, everything else viewer', () => {
    const admin = new Set(['system.revokeToken', 'system.revocations', 'system.audit', 'system.stats', 'system.onStats', 'system.presence', 'system.onPresence']);
    for (const [path, p] of procedures) {
      const expected = admin.has(path) ? 'admin' : p._def.type === 'mutation' ? 'operator' : 'viewer';
      expect(p._def.meta?.role, path).toBe(expected);
    }
  });

  for (const caller of callers) {
    it(`allows or refuses every procedure for ${caller.name} as the table says`, async () => {
      const api = desk.client({ token: caller.token });
      const outcomes = await Promise.all(
        procedures.map(async ([path, p]) => [path, p._def.meta!.role!, await call(api, path, p._def.type)] as const),
      );
      for (const [path, required, code] of outcomes) {
        if (caller.role === null) expect(code, path).toBe('UNAUTHORIZED');
        else if (!hasRole(caller.role, required)) expect(code, path).toBe('FORBIDDEN');
        else expect(['UNAUTHORIZED', 'FORBIDDEN'], `${path} refused ${caller.name}`).not.toContain(code);
      }
    });
  }

  it.concurrent('refuses every new call once a signed token expires on an open socket, while its viewer streams go on', async ({ expect }) => {
    const token = createSignedToken(SECRET, { role: 'admin', ttlMs: 1500, name: 'expiring' });
    // Everything over this one WebSocket: the connection outlives the token.
    const wsClient = createWSClient({ url: desk.app.wsUrl, WebSocket: WebSocket as never, connectionParams: { token } });
    const api = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
    const received: number[] = [];
    let snapshots = 0;
    const sub = api.feeds.onCustom.subscribe({ type: 'expiry', limit: 0 }, {
      onData: (m) => {
        if (m.data.type === 'snapshot') snapshots++;
        if (m.data.type === 'append') received.push(...m.data.items.map((e) => e.data as number));
      },
    });
    await expect.poll(() => snapshots).toBe(1);
    await api.feeds.broadcastCustom.mutate({ type: 'expiry', data: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const refusedCall = (promise: Promise<unknown>) => promise.then(() => 'OK', (e: TRPCClientError<AppRouter>) => `${e.data?.code}: ${e.message}`);
    expect(await refusedCall(api.feeds.broadcastCustom.mutate({ type: 'expiry', data: 2 }))).toMatch(/^UNAUTHORIZED: the token has expired/);
    expect(await refusedCall(api.system.health.query())).toMatch(/^UNAUTHORIZED: the token has expired/);
    // New subscriptions, viewer and admin ones alike, are refused on the same socket.
    const opened = (subscribe: (handlers: { onData: () => void; onError: (e: unknown) => void }) => { unsubscribe(): void }) =>
      new Promise<string>((resolve) => {
        const s = subscribe({ onData: () => (s.unsubscribe(), resolve('OK')), onError: (e) => resolve(`${(e as TRPCClientError<AppRouter>).data?.code}: ${(e as Error).message}`) });
      });
    expect(await opened((h) => api.market.onPrices.subscribe({}, h))).toMatch(/^UNAUTHORIZED: the token has expired/);
    expect(await opened((h) => api.system.onStats.subscribe({}, h))).toMatch(/^UNAUTHORIZED: the token has expired/);
    // A new request over HTTP with the expired token is not let in at all.
    await expect(desk.client({ token }).feeds.broadcastCustom.mutate({ type: 'expiry', data: 2 })).rejects.toThrow(/valid token/);
    // The viewer stream opened while the token was valid goes on until the socket closes.
    await desk.client({ token: 'admin-token-0123456789' }).feeds.broadcastCustom.mutate({ type: 'expiry', data: 3 });
    await expect.poll(() => received, { timeout: 5000 }).toEqual([1, 3]);
    sub.unsubscribe();
    wsClient.close();
  });

  for (const transport of ['desk', 'stock', 'sse'] as const) {
    // The three wait for an expiry each: they run side by side.
    it.concurrent(`ends an admin stream when its token expires (${transport === 'sse' ? 'SSE' : `${transport} WebSocket transport`})`, async ({ expect }) => {
      const own = transport === 'stock' ? await startTestDesk({ statsIntervalMs: 3_600_000, auth: { tokens, secret: SECRET }, transport: 'stock' }) : desk;
      try {
        const token = createSignedToken(SECRET, { role: 'admin', ttlMs: 1500, name: 'expiring-admin' });
        const api = own.client({ token, transport: transport === 'sse' ? 'sse' : 'ws', WebSocket: WebSocket as never });
        const events: string[] = [];
        const sub = api.system.onStats.subscribe({}, {
          onData: (m) => events.push(m.type),
          onError: (e) => events.push(`${(e as TRPCClientError<AppRouter>).data?.code}: ${e.message}`),
        });
        await expect.poll(() => events, { timeout: 5000 }).toContain('snapshot');
        expect(events.some((e) => e.startsWith('UNAUTHORIZED'))).toBe(false);
        await expect.poll(() => events.at(-1), { timeout: 5000 }).toMatch(/^UNAUTHORIZED: the token has expired; this admin stream has ended/);
        sub.unsubscribe();
      } finally {
        if (own !== desk) await own.close();
      }
    });
  }

  it('tells each caller its role and name through system.whoami, and refuses a caller without a valid token', async () => {
    const signed = createSignedToken(SECRET, { role: 'operator', ttlMs: 3_600_000, name: 'carol' });
    const before = Date.now();
    const me = await desk.client({ token: signed }).system.whoami.query();
    expect(me).toMatchObject({ role: 'operator', name: 'carol' });
    expect(me.expiresAt).toBeGreaterThan(before);
    expect(me.serverTime).toBeGreaterThanOrEqual(before);
    expect(await desk.client({ token: 'viewer-token-0123456789' }).system.whoami.query()).toMatchObject({ role: 'viewer', expiresAt: null });
    // over HTTP, as the dashboard asks
    const http = await fetch(`${desk.app.url}/trpc/system.whoami`, { headers: { authorization: 'Bearer admin-token-0123456789' } });
    expect((await http.json()).result.data).toMatchObject({ role: 'admin', expiresAt: null });
    expect(await call(desk.client({ token: 'not-a-token-at-all-0000' }), 'system.whoami', 'query')).toBe('UNAUTHORIZED');
    expect((await fetch(`${desk.app.url}/trpc/system.whoami`)).status).toBe(401);
  });

  it('refuses a signed token with a trailing segment over WebSocket, HTTP and /metrics', async () => {
    const token = createSignedToken(SECRET, { role: 'admin', ttlMs: 3_600_000, name: 'trailing' });
    expect(await call(desk.client({ token }), 'system.stats', 'query')).toBe('OK');
    for (const bad of [`${token}.anything`, `${token}.`]) {
      expect(await call(desk.client({ token: bad }), 'system.stats', 'query'), bad).toBe('UNAUTHORIZED');
      expect(await call(desk.client({ token: bad }), 'system.onStats', 'subscription'), bad).toBe('UNAUTHORIZED');
      const metrics = await fetch(`${desk.app.url}/metrics`, { headers: { authorization: `Bearer ${bad}` } });
      expect(metrics.status).toBe(401);
    }
  });

  it('serves /metrics to admins only', async () => {
    const get = (token?: string) => fetch(`${desk.app.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await get()).status).toBe(401);
    expect((await get('operator-token-0123456789')).status).toBe(403);
    const res = await get('admin-token-0123456789');
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const name of ['livedesk_connections', 'livedesk_subscriptions', 'livedesk_messages_sent_total', 'livedesk_messages_conflated_total', 'livedesk_resyncs_total', 'livedesk_rejected_total', 'livedesk_mutations_total', 'livedesk_hub_queue_depth', 'livedesk_nodejs_eventloop_lag_seconds']) {
      expect(text, name).toContain(name);
    }
    expect(text).toMatch(/livedesk_mutations_total\{path="feeds.broadcastCustom",code="OK"\} \d+/);
    expect(text).toMatch(/livedesk_rejected_total\{reason="forbidden"\} [1-9]/);
  });
});
