import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { initTRPC } from '@trpc/server';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createFrameGuard } from './frame-guard';

/** What the stock transport (tRPC's own adapter) gets from the frame guard, through real sockets. */
const t = initTRPC.create();
const router = t.router({ ping: t.procedure.query(() => 'pong') });

const servers: { server: Server; wss: WebSocketServer }[] = [];
let throttled = 0;
async function serve(keepAlive: boolean): Promise<string> {
  const server = createServer();
  const wss = new WebSocketServer({ server });
  applyWSSHandler({ wss, router, createContext: () => ({}), keepAlive: { enabled: false } });
  const guard = createFrameGuard({ keepAlive: { enabled: keepAlive, pingMs: 150, pongWaitMs: 150 }, highWaterMark: 1024 * 1024, perSecond: 5000, burst: 1000, onThrottled: () => throttled++ });
  wss.on('connection', (socket) => guard.guard(socket, null));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({ server, wss });
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let url: string;
let pinging: string;
beforeAll(async () => {
  url = await serve(false);
  pinging = await serve(true);
});
afterAll(async () => {
  for (const { server, wss } of servers) {
    for (const socket of wss.clients) socket.terminate();
    await new Promise((resolve) => wss.close(resolve));
    await new Promise((resolve) => server.close(resolve));
  }
});

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
  return { socket, replies, closed: () => closed };
}

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
});
