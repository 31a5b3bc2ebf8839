import { initTRPC } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import { startApp, type App } from '../app';
import { haveRedis, startRedis, type RedisServer } from '../test/redis-server';
import type { FrameGuardOptions } from './frame-guard';
import { applyStockWSHandler } from './stock-ws-handler';
import { createGate, createTestServers } from './test-servers';

/** What the stock transport (tRPC's own adapter) gets from the frame guard, through real sockets. */
const t = initTRPC.create();
const gate = createGate();
const router = t.router({
  ping: t.procedure.query(() => 'pong'),
  echo: t.procedure.input(z.number()).query(({ input }) => input),
  slow: t.procedure.input(z.number()).query(({ input }) => gate.hold(input)),
  ticks: t.procedure.subscription(async function* ({ signal }) {
    for (let n = 0; !signal?.aborted; n++) {
      yield n;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }),
});

const servers = createTestServers();
let throttled = 0;
let batchRefused = 0;
async function serve(keepAlive: boolean, bounds: Partial<FrameGuardOptions> = {}): Promise<string> {
  return servers.listen((wss) =>
    applyStockWSHandler({
      wss,
      router,
      createContext: () => ({}),
      guard: {
        keepAlive: { enabled: keepAlive, pingMs: 150, pongWaitMs: 150 },
        highWaterMark: 1024 * 1024,
        perSecond: 5000,
        burst: 1000,
        maxBatch: 10,
        maxInFlight: 4,
        onThrottled: () => throttled++,
        onBatchLimit: (count) => (batchRefused += count),
        ...bounds,
      },
    }),
  );
}

let url: string;
let pinging: string;
beforeAll(async () => {
  url = await serve(false);
  pinging = await serve(true);
});
afterAll(() => servers.closeAll());

async function open(answerPings: boolean, at = url) {
  const socket = new WebSocket(at);
  const replies: string[] = [];
  let closed = false;
  socket.on('message', (raw) => {
    const text = String(raw);
    if (text === 'PING') {
      if (answerPings) socket.send('PONG');
    } else replies.push(text);
  });
  socket.on('close', () => (closed = true));
  await new Promise((resolve) => socket.once('open', resolve));
  return { socket, replies, closed: () => closed, parsed: () => replies.map((r) => JSON.parse(r) as Record<string, any>) };
}

const call = (id: number | string, path: string, input?: unknown, method = 'query') => ({ id, method, params: { path, input } });
const byId = (a: Record<string, any>, b: Record<string, any>) => a.id - b.id;

describe('the frame guard on the stock transport', () => {
  it('reads junk frames no faster than the frame budget (by their size), and answers every one', async () => {
    const { socket, replies } = await open(true);
    const started = performance.now();
    // 1 KB each: 21 of the budget's units, so a burst of ~48 frames, then ~240/s.
    for (let i = 0; i < 300; i++) socket.send(`not json ${'x'.repeat(1000)}`);
    await expect.poll(() => replies.length, { timeout: 10_000 }).toBeGreaterThan(100);
    const elapsedS = (performance.now() - started) / 1000;
    // What ws had already read when the socket paused (one read of up to 64 KB) still goes through.
    expect(replies.length).toBeLessThanOrEqual((1000 + 5000 * elapsedS) / 21 + 64 + 20);
    await expect.poll(() => replies.length, { timeout: 10_000 }).toBe(300);
    expect(throttled).toBeGreaterThan(0);
    expect(JSON.parse(replies[0]!)).toMatchObject({ id: null, error: { data: { code: 'PARSE_ERROR' } } });
    socket.close();
  });

  it('terminates a socket that keeps sending but never answers PING; keeps one that does', async () => {
    const answering = await open(true, pinging);
    const deaf = await open(false, pinging);
    const chatter = setInterval(() => deaf.socket.send(JSON.stringify({ id: 1, method: 'query', params: { path: 'ping' } })), 20);
    await expect.poll(() => deaf.closed(), { timeout: 3000 }).toBe(true);
    clearInterval(chatter);
    expect(deaf.replies.length).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answering.closed()).toBe(false);
    answering.socket.close();
  });

  it('runs a batch up to its limit and answers each call past it TOO_MANY_REQUESTS, under its own id', async () => {
    const { socket, parsed } = await open(true);
    const before = batchRefused;
    socket.send(JSON.stringify(Array.from({ length: 15 }, (_, i) => ({ ...call(i + 1, 'echo', i + 1), jsonrpc: '2.0' }))));
    await expect.poll(() => parsed().length).toBe(15);
    const replies = parsed();
    expect(replies.filter((r) => r.result).sort(byId)).toEqual(Array.from({ length: 10 }, (_, i) => ({ id: i + 1, jsonrpc: '2.0', result: { type: 'data', data: i + 1 } })));
    const refused = replies.filter((r) => r.error).sort(byId);
    expect(refused.map((r) => r.id)).toEqual([11, 12, 13, 14, 15]);
    expect(refused[0]).toEqual({
      id: 11,
      jsonrpc: '2.0',
      error: { message: 'at most 10 calls per batch; this call was not run', code: -32029, data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429 } },
    });
    expect(batchRefused - before).toBe(5);
    socket.close();
  });

  it('keeps no more calls in flight than the limit; the rest wait, then are all answered', async () => {
    const { socket, parsed } = await open(true);
    gate.mostRunning = 0;
    for (let frame = 0; frame < 4; frame++) socket.send(JSON.stringify(Array.from({ length: 10 }, (_, i) => call(frame * 10 + i + 1, 'slow', i))));
    // A lone call behind them waits too.
    socket.send(JSON.stringify(call(99, 'ping')));
    await expect.poll(() => gate.running).toBe(4);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(gate.mostRunning).toBe(4);
    expect(parsed()).toHaveLength(0);
    gate.open();
    await expect.poll(() => parsed().length).toBe(41);
    expect(new Set(parsed().map((r) => r.id)).size).toBe(41);
    expect(parsed().every((r) => r.result?.type === 'data')).toBe(true);
    expect(gate.mostRunning).toBe(4);
    gate.close();
    socket.close();
  });

  it('counts a subscription in flight only until it has started', async () => {
    const { socket, parsed } = await open(true);
    // Twice the in-flight limit of subscriptions, then a query: all start, and the query is answered.
    socket.send(JSON.stringify(Array.from({ length: 8 }, (_, i) => call(`s${i}`, 'ticks', undefined, 'subscription'))));
    socket.send(JSON.stringify(call(1, 'echo', 7)));
    await expect.poll(() => parsed().filter((r) => r.result?.type === 'started').length).toBe(8);
    await expect.poll(() => parsed().some((r) => r.id === 1)).toBe(true);
    expect(parsed().find((r) => r.id === 1)).toEqual({ id: 1, result: { type: 'data', data: 7 } });
    // A running subscription's id cannot be taken by another call while its data flows.
    socket.send(JSON.stringify(call('s0', 'echo', 1)));
    await expect.poll(() => parsed().some((r) => r.id === 's0' && r.error)).toBe(true);
    expect(parsed().find((r) => r.id === 's0' && r.error)!.error.data.code).toBe('BAD_REQUEST');
    // Stopped, the id is free again.
    socket.send(JSON.stringify({ id: 's0', method: 'subscription.stop' }));
    await expect.poll(() => parsed().some((r) => r.id === 's0' && r.result?.type === 'stopped')).toBe(true);
    socket.send(JSON.stringify(call('s0', 'echo', 2)));
    await expect.poll(() => parsed().some((r) => r.id === 's0' && r.result?.data === 2)).toBe(true);
    socket.close();
  });

  it('refuses a call that reuses the id of a call in flight, and leaves that call counted', async () => {
    const { socket, parsed } = await open(true);
    gate.mostRunning = 0;
    socket.send(JSON.stringify([call(1, 'slow', 1), call(1, 'slow', 2)]));
    await expect.poll(() => parsed().length).toBe(1);
    expect(parsed()[0]).toMatchObject({ id: 1, error: { data: { code: 'BAD_REQUEST' } } });
    // The refusal went out under id 1 but the first call still holds its place: 3 more fit, not 4.
    socket.send(JSON.stringify(Array.from({ length: 6 }, (_, i) => call(i + 10, 'slow', i))));
    await expect.poll(() => gate.running).toBe(4);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(gate.mostRunning).toBe(4);
    gate.open();
    await expect.poll(() => parsed().length).toBe(8);
    expect(parsed().filter((r) => r.result).map((r) => r.id).sort((a, b) => a - b)).toEqual([1, 10, 11, 12, 13, 14, 15]);
    gate.close();
    socket.close();
  });
});

describe('the stock transport of the real server', () => {
  let stock: App;
  let desk: App;
  beforeAll(async () => {
    const limits = { maxBatch: 10, maxInFlight: 4 };
    stock = await startApp({ port: 0, sim: { enabled: false }, transport: 'stock', limits });
    desk = await startApp({ port: 0, sim: { enabled: false }, transport: 'desk', limits });
  });
  afterAll(async () => {
    await stock?.stop();
    await desk?.stop();
  });

  it('refuses the calls of a batch past DESK_MAX_BATCH with the same frames as the desk transport', async () => {
    const frames: Record<string, any>[][] = [];
    for (const app of [stock, desk]) {
      const { socket, parsed } = await open(true, app.wsUrl);
      socket.send(JSON.stringify(Array.from({ length: 15 }, (_, i) => call(i + 1, 'system.simulator'))));
      await expect.poll(() => parsed().length).toBe(15);
      expect(parsed().filter((r) => r.result).map((r) => r.id).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      frames.push(parsed().filter((r) => r.error).sort(byId));
      socket.close();
    }
    expect(frames[0]!.map((r) => r.id)).toEqual([11, 12, 13, 14, 15]);
    expect(frames[0]).toEqual(frames[1]);
    expect(frames[0]![0]!.error).toMatchObject({ message: 'at most 10 calls per batch; this call was not run', data: { code: 'TOO_MANY_REQUESTS' } });
  });

  it('answers every call of frames holding many times DESK_MAX_IN_FLIGHT, once each, as the desk transport does', async () => {
    const answers: string[][] = [];
    for (const app of [stock, desk]) {
      const { socket, parsed } = await open(true, app.wsUrl);
      for (let frame = 0; frame < 5; frame++) socket.send(JSON.stringify(Array.from({ length: 10 }, (_, i) => call(frame * 10 + i + 1, 'market.prices'))));
      await expect.poll(() => parsed().length).toBe(50);
      expect(new Set(parsed().map((r) => r.id)).size).toBe(50);
      answers.push(parsed().sort(byId).map((r) => JSON.stringify(r)));
      socket.close();
    }
    expect(answers[0]).toEqual(answers[1]);
  });
});

describe.skipIf(!haveRedis)('calls in flight on the real server, held by a stalled command log', () => {
  let redis: RedisServer;
  const apps: App[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    const cluster = { url: redis.url, prefix: `inflight${Date.now()}`, commandTimeoutMs: 5000 };
    for (const transport of ['stock', 'desk'] as const) apps.push(await startApp({ port: 0, sim: { enabled: false }, transport, limits: { maxBatch: 20, maxInFlight: 4 }, cluster }));
  });
  afterAll(async () => {
    redis?.resume();
    for (const app of apps) await app.stop();
    await redis?.stop();
  });

  it('holds a query behind DESK_MAX_IN_FLIGHT mutations waiting on Redis, on both transports, and answers all once it is back', async () => {
    const sockets = await Promise.all(apps.map((app) => open(true, app.wsUrl)));
    const mutation = (id: number, key: string) => call(id, 'feeds.broadcastCustom', { type: 'inflight', data: key, idempotencyKey: key }, 'mutation');
    redis.pause();
    try {
      // Alone, the query needs nothing from Redis: it is answered during the stall.
      for (const { socket } of sockets) socket.send(JSON.stringify(call(1, 'system.simulator')));
      for (const { parsed } of sockets) await expect.poll(() => parsed().length).toBe(1);
      // Behind 10 mutations waiting on Redis (4 in flight, the limit), it waits with them.
      sockets.forEach(({ socket }, n) => {
        socket.send(JSON.stringify(Array.from({ length: 10 }, (_, i) => mutation(i + 10, `${n}-${i}`))));
        socket.send(JSON.stringify(call(2, 'system.simulator')));
      });
      await new Promise((resolve) => setTimeout(resolve, 400));
      for (const { parsed } of sockets) expect(parsed().map((r) => r.id)).toEqual([1]);
    } finally {
      redis.resume();
    }
    for (const { socket, parsed } of sockets) {
      await expect.poll(() => parsed().length, { timeout: 10_000 }).toBe(12);
      expect(parsed().filter((r) => r.id >= 10 && r.result).length).toBe(10);
      expect(parsed().find((r) => r.id === 2)?.result?.type).toBe('data');
      socket.close();
    }
  });
});
