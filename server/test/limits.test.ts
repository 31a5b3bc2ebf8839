import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AppRouter } from '../root';
import { collector, startTestDesk, type TestDesk } from './harness';
import { exited, freePort, runCommand, spawnServer } from './process';
import type { DeskCustomEvent, StreamMessage } from '../../shared/index';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({
    statsIntervalMs: 3_600_000,
    allowedOrigins: ['http://dashboard.example'],
    maxConnectionsPerIp: 40,
    limits: { maxSubscriptions: 3, mutationsPerSecond: 20, mutationBurst: 20 },
  });
});
afterAll(() => desk.close());

function wsApi(extra: { connectionParams?: Record<string, string> } = {}) {
  const client = createWSClient({ url: desk.app.wsUrl, WebSocket: WebSocket as never, retryDelayMs: () => 100, ...extra });
  return { api: createTRPCClient<AppRouter>({ links: [wsLink({ client })] }), close: () => client.close() };
}

/** Opens a raw WebSocket and resolves with how it ended up: open, or the HTTP status it was refused with. */
function rawOpen(headers: Record<string, string> = {}): Promise<{ socket: WebSocket; status: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(desk.app.wsUrl, { headers });
    socket.once('open', () => resolve({ socket, status: 101 }));
    socket.once('unexpected-response', (_req, res) => resolve({ socket, status: res.statusCode ?? 0 }));
    socket.once('error', () => undefined);
  });
}

describe('origin checks', () => {
  it('refuses a browser WebSocket from a foreign origin and accepts its own and configured ones', async () => {
    expect((await rawOpen({ origin: 'http://evil.example' })).status).toBe(403);
    const own = await rawOpen({ origin: desk.app.url });
    const configured = await rawOpen({ origin: 'http://dashboard.example' });
    const noOrigin = await rawOpen();
    expect([own.status, configured.status, noOrigin.status]).toEqual([101, 101, 101]);
    for (const { socket } of [own, configured, noOrigin]) socket.close();
    expect(desk.app.rejected.origin).toBeGreaterThanOrEqual(1);
  });

  it('applies the same list to HTTP and answers CORS preflights for allowed origins only', async () => {
    const bad = await fetch(`${desk.app.url}/trpc/system.health`, { headers: { origin: 'http://evil.example' } });
    expect(bad.status).toBe(403);
    // A tRPC path is refused in tRPC's error shape (a tRPC client reads the code), others as { error, code }.
    expect(((await bad.json()) as { error: { data: { code: string } } }).error.data.code).toBe('FORBIDDEN');
    // An allowed origin's page can read a refusal made before any route: its CORS headers come first.
    const put = await fetch(`${desk.app.url}/trpc/system.health`, { method: 'PUT', headers: { origin: 'http://dashboard.example' } });
    expect(put.status).toBe(405);
    expect(put.headers.get('access-control-allow-origin')).toBe('http://dashboard.example');
    expect(((await put.json()) as { error: { data: { code: string } } }).error.data.code).toBe('METHOD_NOT_SUPPORTED');
    const health = await fetch(`${desk.app.url}/health`, { headers: { origin: 'http://evil.example' } });
    expect(await health.json()).toMatchObject({ code: 'FORBIDDEN', error: 'origin http://evil.example is not allowed' });
    const preflight = await fetch(`${desk.app.url}/trpc/market.setPrice`, { method: 'OPTIONS', headers: { origin: 'http://dashboard.example' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://dashboard.example');
  });
});

describe('limits', () => {
  it('closes a connection that sends an oversized frame with 1009, and others carry on', async () => {
    const { socket } = await rawOpen();
    const code = await new Promise<number>((resolve) => {
      socket.once('close', (c) => resolve(c));
      socket.send('x'.repeat(70 * 1024));
    });
    expect(code).toBe(1009);
    expect((await desk.client().system.health.query()).status).toBe('ok');
  });

  it('refuses subscriptions past the per-connection limit with TOO_MANY_REQUESTS', async () => {
    const { api, close } = wsApi();
    const got = [collector<unknown>(), collector<unknown>(), collector<unknown>(), collector<unknown>()];
    const subs = got.map((c, i) => api.feeds.onCustom.subscribe({ type: `s${i}` }, c));
    await Promise.all(got.slice(0, 3).map((c) => c.until((m) => m.length > 0)));
    await expect.poll(() => got[3]!.errors.length).toBe(1);
    expect(String(got[3]!.errors[0])).toMatch(/at most 3 subscriptions/);
    subs.forEach((s) => s.unsubscribe());
    close();
  });

  it('refuses connections past the per-address limit with 429', async () => {
    const open: WebSocket[] = [];
    let refused = 0;
    for (let i = 0; i < 45; i++) {
      const { socket, status } = await rawOpen();
      if (status === 101) open.push(socket);
      else if (status === 429) refused++;
    }
    expect(open.length).toBeLessThanOrEqual(40);
    expect(refused).toBeGreaterThanOrEqual(5);
    for (const socket of open) socket.close();
  });

  it('gives back the slot of a handshake it refuses, however many come from one address', async () => {
    const { connect } = await import('node:net');
    const { port } = new URL(desk.app.url);
    // Upgrades to the right path that ws refuses (no key, a bad version, a half-closed socket):
    // past the per-address limit of 40, they must leave no slot taken.
    const bad = [
      'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n',
      'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 99\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n',
      'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n',
    ];
    // The sockets earlier cases closed are gone first; the harness's own client may stay.
    await expect.poll(() => desk.app.openFrom('127.0.0.1')).toBeLessThanOrEqual(2);
    const held = desk.app.openFrom('127.0.0.1');
    const answers: string[] = [];
    for (let i = 0; i < 60; i++) {
      answers.push(
        await new Promise<string>((resolve) => {
          let got = '';
          const socket = connect(Number(port), '127.0.0.1', () => {
            socket.write(`GET /trpc HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${bad[i % 3]}\r\n`);
            // The third kind sends a good handshake and half closes at once.
            if (i % 3 === 2) socket.end();
          });
          socket.on('data', (chunk) => (got += chunk.toString('latin1')));
          socket.on('error', () => undefined);
          socket.on('close', () => resolve(got.split('\r\n')[0] ?? ''));
        }),
      );
    }
    expect(answers.filter((a) => /^HTTP\/1\.1 (400|426)/.test(a)).length).toBe(40);
    await expect.poll(() => desk.app.openFrom('127.0.0.1')).toBe(held);
    const { socket, status } = await rawOpen();
    expect(status).toBe(101);
    socket.close();
  });

  it('throttles a flooding client while another client keeps receiving and mutating', async () => {
    const flooder = wsApi();
    const other = wsApi();
    const got = collector<StreamMessage<DeskCustomEvent>>();
    const sub = other.api.feeds.onCustom.subscribe({ type: 'steady', limit: 0 }, got);
    await got.until((m) => m.length > 0);
    let steady = 0;
    const ticker = setInterval(() => desk.app.desk.activity.broadcastCustom({ type: 'steady', data: steady++ }), 5);
    const results = await Promise.allSettled(
      Array.from({ length: 300 }, (_, i) => flooder.api.feeds.broadcastCustom.mutate({ type: 'flood', data: i })),
    );
    // One batch of 300: the desk transport refuses the calls past its batch limit, then the
    // mutation rate refuses most of the rest (tRPC's adapter has no batch limit).
    const batchLimit = desk.app.transport === 'desk' ? 100 : 300;
    const overBatch = results.filter((r) => r.status === 'rejected' && /calls per batch/.test(String(r.reason))).length;
    const overRate = results.filter((r) => r.status === 'rejected' && /mutations\/s/.test(String(r.reason))).length;
    expect(overBatch).toBe(300 - batchLimit);
    if (desk.app.transport === 'desk') expect(desk.app.rejected.requests).toBeGreaterThanOrEqual(200);
    expect(overRate).toBeGreaterThanOrEqual(batchLimit - 30);
    await expect(other.api.feeds.broadcastCustom.mutate({ type: 'other', data: 1 })).resolves.toMatchObject({ eventId: expect.any(String) });
    clearInterval(ticker);
    const items = () => got.messages.flatMap((m) => (m.data.type === 'append' ? m.data.items.map((e) => e.data) : []));
    await got.until(() => items().length === steady, 5000);
    expect(items()).toEqual(Array.from({ length: steady }, (_, i) => i));
    sub.unsubscribe();
    flooder.close();
    other.close();
  });
});

describe('safe defaults', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('refuses to listen beyond loopback without configured tokens', async () => {
    const { code, stderr } = await runCommand(['server/main.ts'], { HOST: '0.0.0.0', PORT: '0', DESK_DB: ':memory:', DESK_ADMIN_TOKENS: '', DESK_VIEWER_TOKENS: '', DESK_OPERATOR_TOKENS: '' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/refusing to listen on 0\.0\.0\.0 without configured tokens/);
  });

  it('on loopback without tokens, makes a token for the run and prints a URL carrying it', async () => {
    const port = await freePort();
    const server = await spawnServer(port, { DESK_ADMIN_TOKENS: '' });
    children.push(server);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const match = server.output().match(/\?token=([\w-]+)/);
    expect(match).not.toBeNull();
    const health = (token?: string) =>
      fetch(`http://127.0.0.1:${port}/trpc/system.stats`, { headers: token ? { authorization: `Bearer ${token}` } : {} }).then((r) => r.status);
    expect(await health()).toBe(401);
    expect(await health(match![1])).toBe(200);
    server.kill('SIGTERM');
    await exited(server);
  });

  it('keeps the generated token beside a database file, so a restart keeps dashboards signed in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'token-'));
    const env = { DESK_ADMIN_TOKENS: '', DESK_DB: join(dir, 'desk.db') };
    const tokenOf = async () => {
      const server = await spawnServer(await freePort(), env);
      children.push(server);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const token = server.output().match(/\?token=([\w-]+)/)?.[1];
      server.kill('SIGTERM');
      await exited(server);
      return token;
    };
    const first = await tokenOf();
    expect(first).toMatch(/^[\w-]{16,}$/);
    expect(await tokenOf()).toBe(first);
    expect(statSync(join(dir, 'admin-token')).mode & 0o777).toBe(0o600);
  });
});
