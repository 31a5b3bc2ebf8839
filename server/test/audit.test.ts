import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, createWSClient, TRPCClientError, wsLink } from '@trpc/client';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedToken, type AuthConfig } from '../auth/tokens';
import type { AppRouter } from '../root';
import { startTestDesk, type TestDesk } from './harness';

const SECRET = 'a-test-secret-that-is-long-enough-0123';
const ADMIN = 'admin-token-0123456789';
const ALICE = 'alice-token-0123456789';
const VIEWER = 'viewer-token-0123456789';
const auth: AuthConfig = {
  tokens: { [ADMIN]: { role: 'admin', name: 'root' }, [ALICE]: { role: 'operator', name: 'alice' }, [VIEWER]: 'viewer' },
  secret: SECRET,
};
const codeOf = (promise: Promise<unknown>) => promise.then(() => 'OK', (e: TRPCClientError<AppRouter>) => e.data?.code ?? String(e));

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({ statsIntervalMs: 3_600_000, auth });
});
afterAll(() => desk.close());
const admin = () => desk.client({ token: ADMIN });

/** Every call over one WebSocket (the desk client sends mutations over HTTP). */
function overSocket(url: string, token: string) {
  const client = createWSClient({ url, WebSocket: WebSocket as never, connectionParams: { token } });
  return { api: createTRPCClient<AppRouter>({ links: [wsLink({ client })] }), close: () => client.close() };
}

describe('the audit log', () => {
  it('names who made each mutation, from where, with what input and outcome, over WebSocket and HTTP', async () => {
    const alice = desk.client({ token: ALICE });
    await alice.market.setPrice.mutate({ symbol: 'AUD', price: 10 });
    const { eventId, trade } = await alice.market.executeTrade.mutate({ symbol: 'AUD', side: 'buy', qty: 2 });
    const carol = overSocket(desk.app.wsUrl, createSignedToken(SECRET, { role: 'operator', ttlMs: 60_000, name: 'carol', id: 'carol-7' }));
    await carol.api.feeds.broadcastCustom.mutate({ type: 'aud', data: { n: 1 } });
    carol.close();

    const { entries } = await admin().system.audit.query({ who: 'alice' });
    expect(entries.map((e) => e.path)).toEqual(['market.executeTrade', 'market.setPrice']);
    expect(entries[0]).toEqual({
      seq: expect.any(Number),
      ts: expect.any(Number),
      who: 'alice',
      name: 'alice',
      role: 'operator',
      address: '127.0.0.1',
      path: 'market.executeTrade',
      input: expect.any(String),
      code: 'OK',
      eventId,
      count: 1,
      instance: null,
    });
    expect(JSON.parse(entries[0]!.input!)).toMatchObject({ symbol: 'AUD', side: 'buy', qty: 2 });
    expect(trade.qty).toBe(2);
    // A signed token is found by its holder's name and its own id.
    const [byName] = (await admin().system.audit.query({ who: 'carol' })).entries;
    expect(byName).toMatchObject({ who: 'carol-7', name: 'carol', path: 'feeds.broadcastCustom', code: 'OK' });
    expect((await admin().system.audit.query({ who: 'carol-7' })).entries).toHaveLength(1);
  });

  it('audits refused mutations too: no token, the wrong role, bad input, and a rate limit (one entry with a count)', async () => {
    expect(await codeOf(desk.client().alerts.clear.mutate({}))).toBe('UNAUTHORIZED');
    expect(await codeOf(desk.client({ token: VIEWER }).alerts.clear.mutate({}))).toBe('FORBIDDEN');
    const bob = createSignedToken(SECRET, { role: 'operator', ttlMs: 60_000, name: 'bob' });
    const api = desk.client({ token: bob });
    expect(await codeOf(api.alerts.dismiss.mutate({ id: 'no-such-alert' }))).toBe('NOT_FOUND');
    expect(await codeOf(api.market.executeTrade.mutate({ symbol: 'AUD', side: 'buy', qty: -1 }))).toBe('BAD_REQUEST');
    const { entries } = await admin().system.audit.query({ path: 'alerts.clear', limit: 50 });
    expect(entries.find((e) => e.code === 'UNAUTHORIZED')).toMatchObject({ who: '-', name: null, role: null, input: expect.stringMatching(/^\{/) });
    expect(entries.find((e) => e.code === 'FORBIDDEN')).toMatchObject({ who: expect.stringMatching(/^viewer-[0-9a-f]{10}$/), role: 'viewer' });
    const [bad] = (await admin().system.audit.query({ who: 'bob', path: 'market.executeTrade' })).entries;
    expect(bad).toMatchObject({ code: 'BAD_REQUEST', eventId: null });
    expect(JSON.parse(bad!.input!)).toMatchObject({ symbol: 'AUD', side: 'buy', qty: -1 });
    expect((await admin().system.audit.query({ who: 'bob', path: 'alerts.dismiss' })).entries[0]).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('audits mutations the WebSocket transport refuses before they run: no token, the wrong role', async () => {
    const anonymous = createWSClient({ url: desk.app.wsUrl, WebSocket: WebSocket as never });
    const api = createTRPCClient<AppRouter>({ links: [wsLink({ client: anonymous })] });
    const viewer = overSocket(desk.app.wsUrl, VIEWER);
    expect(await codeOf(api.alerts.deleteRule.mutate({ id: 'ws-anonymous' }))).toBe('UNAUTHORIZED');
    expect(await codeOf(viewer.api.alerts.deleteRule.mutate({ id: 'ws-viewer' }))).toBe('FORBIDDEN');
    anonymous.close();
    viewer.close();
    const { entries } = await admin().system.audit.query({ path: 'alerts.deleteRule', limit: 50 });
    expect(entries.find((e) => e.code === 'UNAUTHORIZED' && e.input?.includes('ws-anonymous'))).toMatchObject({ who: '-', role: null });
    expect(entries.find((e) => e.code === 'FORBIDDEN' && e.input?.includes('ws-viewer'))).toMatchObject({ role: 'viewer' });
  });

  it('audits rate-limited mutations cheaply: no input, identical ones in a row as one entry with a count', async () => {
    const own = await startTestDesk({ auth, limits: { mutationsPerSecond: 0.1, mutationBurst: 3 } });
    try {
      const dave = overSocket(own.app.wsUrl, createSignedToken(SECRET, { role: 'operator', ttlMs: 60_000, name: 'dave' }));
      const codes = await Promise.all(Array.from({ length: 20 }, (_, i) => codeOf(dave.api.feeds.broadcastCustom.mutate({ type: 'flood', data: i }))));
      const throttled = codes.filter((c) => c === 'TOO_MANY_REQUESTS').length;
      expect(throttled).toBeGreaterThanOrEqual(16);
      dave.close();
      const { entries } = await own.client({ token: ADMIN }).system.audit.query({ who: 'dave' });
      const refused = entries.filter((e) => e.code === 'TOO_MANY_REQUESTS');
      expect(refused.reduce((n, e) => n + e.count, 0)).toBe(throttled);
      // Sent in one batch, they were refused in one turn: fewer entries than calls.
      expect(refused.length).toBeLessThan(throttled);
      expect(refused.every((e) => e.input === null && e.name === 'dave')).toBe(true);
      expect(entries.filter((e) => e.code === 'OK')).toHaveLength(20 - throttled);
    } finally {
      await own.close();
    }
  });

  it('audits refusals made before a call runs: the wrong role over a socket, the caller budget over HTTP', async () => {
    // A burst of 3: the viewer's socket (its params and one call) is never paused by its budget.
    const own = await startTestDesk({ auth, limits: { callerRequestsPerSecond: 0.1, callerRequestBurst: 3 } });
    try {
      const viewer = overSocket(own.app.wsUrl, VIEWER);
      expect(await codeOf(viewer.api.alerts.clear.mutate({}))).toBe('FORBIDDEN');
      viewer.close();
      const alice = own.client({ token: ALICE });
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push(await codeOf(alice.feeds.broadcastCustom.mutate({ type: 'budget', data: i })));
      expect(codes).toEqual(['OK', 'OK', 'OK', 'TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
      const { entries } = await own.client({ token: ADMIN }).system.audit.query({});
      expect(entries.find((e) => e.path === 'alerts.clear')).toMatchObject({ code: 'FORBIDDEN', role: 'viewer', input: expect.stringMatching(/^\{/) });
      const throttled = entries.filter((e) => e.name === 'alice' && e.code === 'TOO_MANY_REQUESTS');
      expect(throttled.reduce((n, e) => n + e.count, 0)).toBe(2);
      expect(throttled.every((e) => e.path === 'feeds.broadcastCustom' && e.input === null)).toBe(true);
    } finally {
      await own.close();
    }
  });

  it('pages newest first with before / next, and is for admins only', async () => {
    const all = (await admin().system.audit.query({ limit: 500 })).entries;
    expect(all.length).toBeGreaterThan(5);
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page: { entries: Array<{ seq: number }>; next: number | null } = await admin().system.audit.query({ limit: 2, before });
      seen.push(...page.entries.map((e) => e.seq));
      if (page.next === null) break;
      before = page.next;
    }
    expect(seen).toEqual(all.map((e) => e.seq));
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    expect(await codeOf(desk.client({ token: ALICE }).system.audit.query({}))).toBe('FORBIDDEN');
  });

  it('keeps the log across a restart of a desk with a database', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'audit-')), 'desk.db');
    const first = await startTestDesk({ auth, desk: { journal: { path } } });
    await first.client({ token: ALICE }).feeds.broadcastCustom.mutate({ type: 'kept', data: 1 });
    expect(await codeOf(first.client({ token: VIEWER }).feeds.broadcastCustom.mutate({ type: 'kept', data: 2 }))).toBe('FORBIDDEN');
    await first.close();
    const second = await startTestDesk({ auth, desk: { journal: { path } } });
    try {
      const { entries } = await second.client({ token: ADMIN }).system.audit.query({ path: 'feeds.broadcastCustom' });
      expect(entries.map((e) => [e.name, e.code])).toEqual([
        [expect.stringMatching(/^viewer-/), 'FORBIDDEN'],
        ['alice', 'OK'],
      ]);
    } finally {
      await second.close();
    }
  });
});
