import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../app';
import { runCommand } from './process';
import { sendRaw } from './raw-http';
import { startTestDesk, type TestDesk } from './harness';

const ADMIN = 'admin-token-0123456789';
const VIEWER = 'viewer-token-0123456789';
const MAX_BODY = 64 * 1024;

let dir: string;
let desk: TestDesk;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'static-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>desk</title>');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  // What a careless deployment could leave in the static folder.
  writeFileSync(join(dir, '.env'), 'SECRET=1');
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, '.git', 'config'), '[core]');
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'admin-token'), 'leaked-token');
  for (const name of ['desk.db', 'desk.db-wal', 'desk.db-shm', 'old.sqlite']) writeFileSync(join(dir, 'data', name), 'SQLite format 3');
  desk = await startTestDesk({ staticDir: dir, maxBodyBytes: MAX_BODY, statsIntervalMs: 3_600_000, auth: { tokens: { [ADMIN]: 'admin', [VIEWER]: 'viewer' } } });
});
afterAll(async () => {
  await desk.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('security headers', () => {
  it.each(['/', '/some/route', '/assets/index-abc123.js', '/health', '/metrics', '/trpc/system.health', '/trpc/no.such', '/nope.js'])('are on %s', async (path) => {
    const res = await fetch(`${desk.app.url}${path}`);
    await res.arrayBuffer();
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('has index.html revalidated on every load and hashed assets cached for good', async () => {
    for (const path of ['/', '/index.html', '/some/route']) {
      const res = await fetch(`${desk.app.url}${path}`);
      expect(await res.text()).toContain('<title>desk</title>');
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
    }
    const asset = await fetch(`${desk.app.url}/assets/index-abc123.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });
});

describe('static files', () => {
  it.each([
    '/.env', '/.git/config', '/data/admin-token', '/data/desk.db', '/data/desk.db-wal', '/data/desk.db-shm', '/data/old.sqlite',
    '/data/desk%2edb', '/data%2fdesk.db', '/%2eenv', '/data/ADMIN-TOKEN', '/assets/../data/desk.db', '/assets/..%2f.env',
  ])('never serve %s', async (path) => {
    const res = await sendRaw(desk.app.port, { target: path });
    expect([400, 404]).toContain(res.status);
    expect(res.body).not.toMatch(/leaked-token|SQLite format|SECRET|\[core\]/);
  });

  it('refuses to start with the database inside the static folder', async () => {
    await expect(startApp({ port: 0, staticDir: dir, desk: { journal: { path: join(dir, 'data', 'desk.db') } } })).rejects.toThrow(/inside the static folder/);
  });

  it('the server refuses that configuration at start with one line', async () => {
    const { code, stderr } = await runCommand(['server/main.ts'], { PORT: '0', DESK_STATIC_DIR: dir, DESK_DATA_DIR: join(dir, 'data'), DESK_ADMIN_TOKENS: ADMIN, DESK_SIM: '0' });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/refusing to start: .*desk\.db is inside the static folder/);
  });
});

describe('request bodies', () => {
  const post = (body: string | ReadableStream, headers: Record<string, string> = {}) =>
    fetch(`${desk.app.url}/trpc/feeds.broadcastCustom`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}`, ...headers },
      duplex: 'half',
    } as RequestInit);

  it('accepts a body just under the limit', async () => {
    const body = JSON.stringify({ type: 'big', data: 'x'.repeat(9000) });
    const res = await post(body);
    expect(res.status).toBe(200);
  });

  it('refuses a declared body over the limit with 413 PAYLOAD_TOO_LARGE before reading it', async () => {
    const res = await post(JSON.stringify({ type: 'big', data: 'x'.repeat(MAX_BODY) }));
    expect(res.status).toBe(413);
    // In tRPC's error shape, as for a body counted as it came: a tRPC client reads the code.
    const body = (await res.json()) as { error: { message: string; data: { code: string; httpStatus: number; stack?: unknown } } };
    expect(body.error.data).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 });
    expect(body.error.data.stack).toBeUndefined();
    expect(body.error.message).toMatch(/request body over \d+ bytes \(DESK_MAX_BODY_BYTES\)/);
  });

  it('refuses a chunked body once it passes the limit, and the server goes on', async () => {
    let sent = 0;
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    const stream = new ReadableStream({
      pull(controller) {
        // Bounded: four times the limit at most, whatever the server does.
        if (sent++ >= 16) return controller.close();
        controller.enqueue(chunk);
      },
    });
    const res = await post(stream);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { data: { code: string } } }).error.data.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await fetch(`${desk.app.url}/health`)).status).toBe(200);
  });
});

describe('Authorization header', () => {
  it.each(['Bearer', 'bearer', 'BEARER', 'BeArEr'])('accepts the scheme spelled %s, on the API and /metrics', async (scheme) => {
    const metrics = await fetch(`${desk.app.url}/metrics`, { headers: { authorization: `${scheme} ${ADMIN}` } });
    expect(metrics.status).toBe(200);
    await metrics.arrayBuffer();
    const stats = await fetch(`${desk.app.url}/trpc/system.stats`, { headers: { authorization: `${scheme} ${ADMIN}` } });
    expect(stats.status).toBe(200);
    await stats.arrayBuffer();
  });

  it.each(['Basic x', `Bearer${ADMIN}`, ADMIN, `Bearer ${ADMIN} extra`])('refuses %s', async (header) => {
    const res = await fetch(`${desk.app.url}/metrics`, { headers: { authorization: header } });
    expect(res.status).toBe(401);
    await res.arrayBuffer();
  });
});

describe('tokens in the URL', () => {
  const params = (token: string) => `connectionParams=${encodeURIComponent(JSON.stringify({ token }))}`;

  it.each([
    ['a query', `/trpc/system.health?${params(VIEWER)}`, 'GET'],
    ['a batched query', `/trpc/system.health,market.prices?batch=1&input=%7B%7D&${params(VIEWER)}`, 'GET'],
    ['a mutation', `/trpc/feeds.broadcastCustom?${params(ADMIN)}`, 'POST'],
    ['an unknown token', `/trpc/system.health?${params('not-a-token')}`, 'GET'],
  ])('refuses %s carrying ?connectionParams= with a token, with a typed error', async (_, path, method) => {
    const res = await fetch(`${desk.app.url}${path}`, { method, body: method === 'POST' ? JSON.stringify({ type: 'x', data: 1 }) : undefined, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    const body = JSON.stringify(await res.json());
    expect(body).toContain('BAD_REQUEST');
    expect(body).toContain('Authorization: Bearer');
  });

  it('still answers the same query with the token as a Bearer header', async () => {
    const res = await fetch(`${desk.app.url}/trpc/system.health`, { headers: { authorization: `Bearer ${VIEWER}` } });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });

  it('lets an SSE subscription carry it (an EventSource cannot send headers)', async () => {
    const controller = new AbortController();
    const res = await fetch(`${desk.app.url}/trpc/system.onHealth?${params(VIEWER)}`, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    // A handful of reads at most: the snapshot follows the connected event.
    for (let i = 0; i < 10 && !text.includes('"type":"snapshot"'); i++) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(text).toContain('"type":"snapshot"');
    expect(text).not.toMatch(/BAD_REQUEST|UNAUTHORIZED/);
  });
});

describe('custom data bounds', () => {
  const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  const broadcast = (data: string) =>
    fetch(`${desk.app.url}/trpc/feeds.broadcastCustom`, {
      method: 'POST',
      body: `{"type":"deep","data":${data}}`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
    });

  it('stores data 32 levels deep and refuses 33 and 20,000 levels with BAD_REQUEST, changing nothing', async () => {
    const before = desk.app.desk.hub.lastId;
    for (const depth of [33, 20_000]) {
      const res = await broadcast(deep(depth));
      const body = (await res.json()) as { error: { message: string; data: { code: string } } };
      expect(res.status, `depth ${depth}`).toBe(400);
      expect(body.error.data.code).toBe('BAD_REQUEST');
      expect(body.error.message).toMatch(/deeper than 32 levels/);
    }
    expect(desk.app.desk.hub.lastId).toBe(before);
    const api = desk.client({ token: ADMIN });
    await expect(api.feeds.broadcastCustom.mutate({ type: 'deep', data: JSON.parse(deep(32)) })).resolves.toMatchObject({ eventId: expect.any(String) });
  });
});

describe('refusals outside tRPC', () => {
  it.each([
    ['an unknown file', '/nope.js', {}, 404, 'NOT_FOUND'],
    ['a foreign origin', '/health', { origin: 'http://evil.example' }, 403, 'FORBIDDEN'],
    ['/metrics without a token', '/metrics', {}, 401, 'UNAUTHORIZED'],
    ['/metrics with a viewer token', '/metrics', { authorization: `Bearer ${VIEWER}` }, 403, 'FORBIDDEN'],
  ])('answer %s with a status and a code', async (_, path, headers, status, code) => {
    const res = await fetch(`${desk.app.url}${path}`, { headers });
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error: expect.any(String), code });
  });
});

describe('HTTP batches', () => {
  const batch = (n: number) => `${desk.app.url}/trpc/${Array.from({ length: n }, () => 'system.health').join(',')}?batch=1`;

  it('answers a batch of DESK_MAX_BATCH calls and refuses one call more as a whole with 400', async () => {
    const full = await fetch(batch(100), { headers: { authorization: `Bearer ${VIEWER}` } });
    expect(full.status).toBe(200);
    expect((await full.json()) as unknown[]).toHaveLength(100);
    const over = await fetch(batch(101), { headers: { authorization: `Bearer ${VIEWER}` } });
    expect(over.status).toBe(400);
    const body = JSON.stringify(await over.json());
    expect(body).toContain('BAD_REQUEST');
    expect(body).toContain('Batch call exceeds maximum size');
  });
});

describe('HTTP batches from the client', () => {
  it('a client firing 250 queries at once gets every answer (its batches stay under the limit)', async () => {
    const api = desk.client({ token: VIEWER });
    const answers = await Promise.all(Array.from({ length: 250 }, () => api.system.health.query()));
    expect(answers).toHaveLength(250);
    expect(answers.every((a) => a.status === 'ok')).toBe(true);
  });
});
