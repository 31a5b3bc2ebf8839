import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, createWSClient, TRPCClientError, wsLink } from '@trpc/client';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedToken, type AuthConfig } from '../auth/tokens';
import type { AppRouter } from '../root';
import { collector, startTestDesk, type TestDesk } from './harness';

const SECRET = 'a-test-secret-that-is-long-enough-0123';
const ADMIN = 'admin-token-0123456789';
const auth: AuthConfig = {
  tokens: { [ADMIN]: { role: 'admin', name: 'root' }, 'alice-token-0123456789': { role: 'operator', name: 'alice' }, 'bob-token-01234567890': { role: 'operator', name: 'bob' } },
  secret: SECRET,
};

const codeOf = (promise: Promise<unknown>) =>
  promise.then(() => 'OK', (e: TRPCClientError<AppRouter>) => `${e.data?.code}: ${e.message}`);

/** A WebSocket client that records every close code it sees. */
function socketClient(url: string, token: string) {
  const closes: number[] = [];
  const wsClient = createWSClient({
    url,
    WebSocket: WebSocket as never,
    connectionParams: { token },
    retryDelayMs: () => 50,
    onClose: (cause) => closes.push(cause?.code ?? -1),
  });
  return { api: createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] }), closes, close: () => wsClient.close() };
}

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({ statsIntervalMs: 3_600_000, auth });
});
afterAll(() => desk.close());

/** Alice's socket, SSE stream and calls end with her revocation; Bob's go on. */
async function revokeAlice(d: TestDesk): Promise<void> {
  const alice = socketClient(d.app.wsUrl, 'alice-token-0123456789');
  const bob = socketClient(d.app.wsUrl, 'bob-token-01234567890');
  const aliceSse = d.client({ token: 'alice-token-0123456789', transport: 'sse' });
  const aliceFeed = collector<unknown>();
  const bobFeed = collector<{ type: string; items?: Array<{ data: unknown }> }>();
  const sseFeed = collector<unknown>();
  alice.api.feeds.onCustom.subscribe({ type: 'rev', limit: 0 }, aliceFeed);
  bob.api.feeds.onCustom.subscribe({ type: 'rev', limit: 0 }, bobFeed);
  const sseStates: string[] = [];
  aliceSse.feeds.onCustom.subscribe({ type: 'rev', limit: 0 }, { ...sseFeed, onConnectionStateChange: (s) => sseStates.push(s.state) });
  await Promise.all([aliceFeed.until((m) => m.length === 1), bobFeed.until((m) => m.length === 1), sseFeed.until((m) => m.length === 1)]);
  expect(await codeOf(alice.api.feeds.broadcastCustom.mutate({ type: 'rev', data: 1 }))).toBe('OK');

  const admin = d.client({ token: ADMIN });
  // Only an admin may revoke.
  expect(await codeOf(bob.api.system.revokeToken.mutate({ id: 'alice' }))).toMatch(/^FORBIDDEN/);
  const statesBefore = sseStates.length;
  const { eventId } = await admin.system.revokeToken.mutate({ id: 'alice', reason: 'left the desk' });
  expect(eventId).not.toBeNull();

  await expect.poll(() => alice.closes, { timeout: 5000 }).toContain(1008);
  alice.close();
  // A new socket with the token is let in, but every call on it is refused, as over HTTP.
  const again = socketClient(d.app.wsUrl, 'alice-token-0123456789');
  expect(await codeOf(again.api.system.health.query())).toBe('UNAUTHORIZED: this token has been revoked');
  expect(await codeOf(again.api.feeds.broadcastCustom.mutate({ type: 'rev', data: 2 }))).toBe('UNAUTHORIZED: this token has been revoked');
  again.close();
  expect(await codeOf(d.client({ token: 'alice-token-0123456789' }).market.prices.query())).toBe('UNAUTHORIZED: this token has been revoked');
  expect(await codeOf(aliceSse.market.prices.query())).toBe('UNAUTHORIZED: this token has been revoked');

  // Bob's socket stayed open and his stream goes on.
  await bob.api.feeds.broadcastCustom.mutate({ type: 'rev', data: 3 });
  await bobFeed.until((m) => m.some((x) => x.data.type === 'append' && x.data.items!.some((i) => i.data === 3)));
  expect(bob.closes).toEqual([]);
  // The SSE stream was cut: its client is reconnecting (and will be refused when it does).
  await expect.poll(() => sseStates.slice(statesBefore), { timeout: 5000 }).toContain('connecting');
  expect(sseFeed.messages.some((m) => JSON.stringify(m.data).includes('"data":3'))).toBe(false);
  // So was the stream on Alice's socket: it got nothing after the revocation.
  expect(aliceFeed.messages.some((m) => JSON.stringify(m.data).includes('"data":3'))).toBe(false);

  expect(await admin.system.revocations.query()).toEqual([{ id: 'alice', reason: 'left the desk', by: 'root', revokedAt: expect.any(Number) }]);
  // Revoking again changes nothing.
  expect((await admin.system.revokeToken.mutate({ id: 'alice' })).eventId).toBeNull();
  bob.close();
}

describe('revoking a token', () => {
  it("closes the token's sockets and SSE streams and refuses its calls, and nobody else's", () => revokeAlice(desk));

  it('does the same on the stock WebSocket transport', async () => {
    const stock = await startTestDesk({ statsIntervalMs: 3_600_000, auth, transport: 'stock' });
    try {
      await revokeAlice(stock);
    } finally {
      await stock.close();
    }
  });

  it('revokes a signed token by its id, or all of a holder\'s signed tokens by name', async () => {
    const one = createSignedToken(SECRET, { role: 'viewer', ttlMs: 3_600_000, name: 'carol', id: 'carol-1' });
    const two = createSignedToken(SECRET, { role: 'viewer', ttlMs: 3_600_000, name: 'carol', id: 'carol-2' });
    const admin = desk.client({ token: ADMIN });
    await admin.system.revokeToken.mutate({ id: 'carol-1' });
    expect(await codeOf(desk.client({ token: one }).market.prices.query())).toMatch(/revoked/);
    expect(await codeOf(desk.client({ token: two }).market.prices.query())).toBe('OK');
    await admin.system.revokeToken.mutate({ id: 'carol' });
    expect(await codeOf(desk.client({ token: two }).market.prices.query())).toMatch(/revoked/);
    const metrics = await fetch(`${desk.app.url}/metrics`, { headers: { authorization: `Bearer ${createSignedToken(SECRET, { role: 'admin', ttlMs: 60_000, name: 'carol' })}` } });
    expect(metrics.status).toBe(401);
  });

  it('keeps revocations across a restart of a desk with a database, and refuses DESK_REVOKED_TOKENS from the start', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'revoke-')), 'desk.db');
    const first = await startTestDesk({ auth, desk: { journal: { path } } });
    await first.client({ token: ADMIN }).system.revokeToken.mutate({ id: 'bob' });
    await first.close();
    const second = await startTestDesk({ auth: { ...auth, revoked: ['alice'] }, desk: { journal: { path } } });
    try {
      expect(await codeOf(second.client({ token: 'bob-token-01234567890' }).market.prices.query())).toMatch(/revoked/);
      expect(await codeOf(second.client({ token: 'alice-token-0123456789' }).market.prices.query())).toMatch(/revoked/);
      expect(await codeOf(second.client({ token: ADMIN }).market.prices.query())).toBe('OK');
    } finally {
      await second.close();
    }
  });
});
