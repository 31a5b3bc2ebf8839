import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    expect(await res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
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
