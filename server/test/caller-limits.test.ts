import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { DeskCustomEvent, StreamMessage } from '../../shared/index';
import { collector, startTestDesk, type TestDesk } from './harness';

const VIEWER = 'viewer-token-0123456789';
const OPERATOR = 'operator-token-0123456789';
const ADMIN = 'admin-token-0123456789ab';

/** Limits go by caller (token) first and by address second; every test client here shares 127.0.0.1. */
describe('limits per caller', () => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk({
      statsIntervalMs: 3_600_000,
      auth: { tokens: { [VIEWER]: 'viewer', [OPERATOR]: 'operator', [ADMIN]: 'admin' } },
      limits: { maxSubscriptions: 3, mutationsPerSecond: 1, mutationBurst: 5 },
    });
  });
  afterAll(() => desk.close());

  it('a viewer holding its SSE streams up to the limit does not stop an admin’s', async () => {
    const viewer = desk.client({ transport: 'sse', token: VIEWER });
    const held = [0, 1, 2].map(() => collector<StreamMessage<DeskCustomEvent>>());
    const subs = held.map((got, i) => viewer.feeds.onCustom.subscribe({ type: `held-${i}`, limit: 0 }, got));
    await Promise.all(held.map((got) => got.until((m) => m.length > 0)));
    const extra = collector<StreamMessage<DeskCustomEvent>>();
    subs.push(viewer.feeds.onCustom.subscribe({ type: 'one-too-many', limit: 0 }, extra));
    await expect.poll(() => extra.errors.length).toBeGreaterThan(0);
    expect(String(extra.errors[0])).toMatch(/at most 3 subscriptions/);

    const admin = desk.client({ transport: 'sse', token: ADMIN });
    const mine = collector<StreamMessage<DeskCustomEvent>>();
    subs.push(admin.feeds.onCustom.subscribe({ type: 'admin', limit: 0 }, mine));
    await mine.until((m) => m.length > 0);
    expect(mine.errors).toEqual([]);
    for (const sub of subs) sub.unsubscribe();
  });

  it('an operator spending its HTTP mutation bucket leaves the admin’s whole', async () => {
    const operator = desk.client({ token: OPERATOR });
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => operator.feeds.broadcastCustom.mutate({ type: 'op', data: i })));
    expect(results.filter((r) => r.status === 'rejected' && /mutations\/s/.test(String(r.reason))).length).toBeGreaterThanOrEqual(4);
    const admin = desk.client({ token: ADMIN });
    const mine = await Promise.all(Array.from({ length: 5 }, (_, i) => admin.feeds.broadcastCustom.mutate({ type: 'admin', data: i })));
    expect(mine.every((r) => typeof r.eventId === 'string')).toBe(true);
  });
});

function upgrade(url: string, headers: Record<string, string>): Promise<{ status: number; socket: WebSocket }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve({ status: 101, socket }));
    socket.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0, socket }));
    socket.once('error', () => undefined);
  });
}

describe('per-address limits behind a trusted proxy', () => {
  it('count the X-Forwarded-For client when the peer is a trusted proxy, and ignore the header otherwise', async () => {
    const behind = await startTestDesk({ statsIntervalMs: 3_600_000, maxConnectionsPerIp: 2, trustedProxies: ['127.0.0.1'] });
    const direct = await startTestDesk({ statsIntervalMs: 3_600_000, maxConnectionsPerIp: 2 });
    const open: WebSocket[] = [];
    try {
      const a = { 'x-forwarded-for': '203.0.113.7' };
      const b = { 'x-forwarded-for': '198.51.100.9, 203.0.113.8' };
      const viaProxy = [];
      for (const headers of [a, a, a, b, b]) viaProxy.push(await upgrade(behind.app.wsUrl, headers));
      open.push(...viaProxy.map((r) => r.socket));
      expect(viaProxy.map((r) => r.status)).toEqual([101, 101, 429, 101, 101]);

      // Not a trusted proxy: the header is the client's to invent, so it is not believed.
      const spoofed = [];
      for (const headers of [a, b, { 'x-forwarded-for': '192.0.2.1' }]) spoofed.push(await upgrade(direct.app.wsUrl, headers));
      open.push(...spoofed.map((r) => r.socket));
      expect(spoofed.map((r) => r.status)).toEqual([101, 101, 429]);
    } finally {
      for (const socket of open) socket.close();
      await behind.close();
      await direct.close();
    }
  });

  it('give anonymous HTTP callers behind the proxy a request budget each', async () => {
    const behind = await startTestDesk({ statsIntervalMs: 3_600_000, trustedProxies: ['127.0.0.1'], limits: { callerRequestsPerSecond: 1, callerRequestBurst: 3 } });
    try {
      const get = (client: string) => fetch(`${behind.app.url}/trpc/system.health`, { headers: { 'x-forwarded-for': client } }).then((r) => r.status);
      const first = [];
      for (let i = 0; i < 5; i++) first.push(await get('203.0.113.7'));
      expect(first.slice(0, 3)).toEqual([200, 200, 200]);
      expect(first.slice(3)).toContain(429);
      expect(await get('203.0.113.8')).toBe(200);
    } finally {
      await behind.close();
    }
  });
});
