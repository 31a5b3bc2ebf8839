import { initTRPC } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import { applyDeskWSHandler } from './desk-ws-handler';
import { createGate, createTestServers } from './test-servers';

/**
 * The desk transport's bounds on what one connection may ask, through real sockets: calls per
 * batch, calls in flight, frames per second, and keep-alive that only a PONG satisfies.
 */
const t = initTRPC.create();
const gate = createGate();
const router = t.router({
  echo: t.procedure.input(z.number()).query(({ input }) => input),
  big: t.procedure.input(z.number()).query(({ input }) => ({ n: input, pad: 'x'.repeat(10_000) })),
  slow: t.procedure.input(z.number()).query(({ input }) => gate.hold(input)),
});

const servers = createTestServers();
const limited = { batch: 0, budget: 0 };
async function serve(keepAlive: { enabled: boolean; pingMs?: number; pongWaitMs?: number }, bounds = {}): Promise<string> {
  return servers.listen((wss) =>
    applyDeskWSHandler({
      wss,
      router,
      createContext: () => ({}),
      keepAlive,
      requests: { maxBatch: 10, maxInFlight: 4, perSecond: 500, burst: 100, ...bounds },
      onLimit: (limit, count) => (limited[limit] += count),
    }),
  );
}

let url: string;
beforeAll(async () => {
  url = await serve({ enabled: false });
});
afterAll(() => servers.closeAll());

async function open(at = url): Promise<{ socket: WebSocket; replies: Record<string, any>[] }> {
  const socket = new WebSocket(at);
  const replies: Record<string, any>[] = [];
  socket.on('message', (raw) => {
    const text = String(raw);
    if (text === 'PING') socket.send('PONG');
    else replies.push(JSON.parse(text));
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { socket, replies };
}

const call = (id: number, path: string, input: unknown) => ({ id, method: 'query', params: { path, input } });

describe('bounds on one connection', () => {
  it('runs a batch up to its limit and answers each call past it TOO_MANY_REQUESTS, under its own id', async () => {
    const { socket, replies } = await open();
    socket.send(JSON.stringify(Array.from({ length: 15 }, (_, i) => call(i + 1, 'echo', i + 1))));
    await expect.poll(() => replies.length).toBe(15);
    const ran = replies.filter((r) => r.result).map((r) => r.id);
    const refused = replies.filter((r) => r.error?.data?.code === 'TOO_MANY_REQUESTS');
    expect(ran.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(refused.map((r) => r.id).sort((a, b) => a - b)).toEqual([11, 12, 13, 14, 15]);
    expect(refused[0]!.error.message).toMatch(/at most 10 calls per batch/);
    expect(limited.batch).toBe(5);
    socket.close();
  });

  it('keeps no more calls in flight than the limit; the rest wait and are all answered', async () => {
    const { socket, replies } = await open();
    gate.mostRunning = 0;
    for (let frame = 0; frame < 4; frame++) socket.send(JSON.stringify(Array.from({ length: 10 }, (_, i) => call(frame * 10 + i + 1, 'slow', i))));
    await expect.poll(() => gate.running).toBe(4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gate.mostRunning).toBe(4);
    expect(replies).toHaveLength(0);
    gate.open();
    await expect.poll(() => replies.length).toBe(40);
    expect(new Set(replies.map((r) => r.id)).size).toBe(40);
    expect(gate.mostRunning).toBe(4);
    gate.close();
    socket.close();
  });

  it('answers junk frames with a prepared PARSE_ERROR in tRPC’s shape, no faster than the frame budget', async () => {
    const { socket, replies } = await open();
    const started = performance.now();
    for (let i = 0; i < 1500; i++) socket.send('not json');
    await expect.poll(() => replies.length, { timeout: 10_000 }).toBeGreaterThan(200);
    // A burst of 100 then 500/s: whatever arrived by now cannot beat that (plus slack for timers).
    const elapsedS = (performance.now() - started) / 1000;
    expect(replies.length).toBeLessThanOrEqual(100 + 500 * elapsedS + 50);
    expect(replies[0]).toEqual({
      id: null,
      error: { message: 'the frame is not JSON', code: -32700, data: { code: 'PARSE_ERROR', httpStatus: 400 } },
    });
    await expect.poll(() => replies.length, { timeout: 10_000 }).toBe(1500);
    expect(limited.budget).toBeGreaterThan(0);
    socket.close();
  });

  it('stops reading a socket that does not read its answers, and owes it nothing once it reads again', async () => {
    const at = await serve({ enabled: false }, { highWaterMark: 64 * 1024, perSecond: 100_000, burst: 100_000 });
    const server = servers.last;
    const { socket, replies } = await open(at);
    socket.pause();
    // 2,000 answers of 10 KB: 20 MB if the server buffered them all.
    for (let frame = 0; frame < 200; frame++) socket.send(JSON.stringify(Array.from({ length: 10 }, (_, i) => call(frame * 10 + i + 1, 'big', i))));
    let most = 0;
    for (let i = 0; i < 20; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      for (const peer of server.clients) most = Math.max(most, peer.bufferedAmount);
    }
    // The high-water mark, plus at most a slice and the calls in flight of answers past it.
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThan(64 * 1024 + (16 + 4) * 11_000);
    socket.resume();
    await expect.poll(() => replies.length, { timeout: 15_000 }).toBe(2000);
    expect(new Set(replies.map((r) => r.id)).size).toBe(2000);
    socket.close();
  });

  it('terminates a socket that keeps sending but never answers PING; keeps one that does', async () => {
    const pinging = await serve({ enabled: true, pingMs: 150, pongWaitMs: 150 });
    const answering = await open(pinging);
    const deaf = new WebSocket(pinging);
    await new Promise((resolve) => deaf.once('open', resolve));
    let closed = false;
    deaf.on('close', () => (closed = true));
    const chatter = setInterval(() => deaf.send(JSON.stringify(call(1, 'echo', 1))), 20);
    await expect.poll(() => closed, { timeout: 3000 }).toBe(true);
    clearInterval(chatter);
    // The deaf one was pinged at 150 ms and gone by 300 ms; the other has answered two PINGs since.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answering.socket.readyState).toBe(WebSocket.OPEN);
    answering.socket.close();
  });
});
