import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventually, startTestDesk, type TestDesk } from './harness';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({ statsIntervalMs: 3_600_000, maxConnectionsPerIp: 5000 });
});
afterAll(() => desk.close());

const CLIENTS = 2000;
const WAVE = 250;
const paths = ['market.onPrices', 'feeds.onCustom', 'market.onPositions', 'agents.onDecisions'];

async function cycle(): Promise<void> {
  const sockets: WebSocket[] = [];
  let started = 0;
  // Connections open in waves so that the listen backlog (511) never overflows on a loaded machine
  // and resets a connection; all 2,000 are still open and subscribed at once before they drop.
  const open = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(desk.app.wsUrl);
      sockets.push(socket);
      socket.once('error', reject);
      socket.once('open', () => {
        socket.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: paths[i % paths.length], input: { symbols: i % 8 === 0 ? ['AAA'] : undefined } } }));
      });
      socket.on('message', (raw) => {
        if (JSON.parse(String(raw)).result?.type === 'data') {
          started++;
          resolve();
        }
      });
    });
  for (let first = 0; first < CLIENTS; first += WAVE) {
    await Promise.all(Array.from({ length: Math.min(WAVE, CLIENTS - first) }, (_, k) => open(first + k)));
  }
  expect(started).toBeGreaterThanOrEqual(CLIENTS);
  desk.app.desk.market.setPrice({ symbol: 'AAA', price: 1 + Math.random() });
  // Half leave politely, half just vanish.
  sockets.forEach((socket, i) => (i % 2 ? socket.close() : socket.terminate()));
  await eventually(() => desk.app.wss.clients.size === 0, 20_000, 'all sockets closed on the server');
  await eventually(() => Object.values(desk.app.desk.hub.subscriptionCounts()).every((n) => n === 0), 10_000, 'hub subscriptions released');
}

function measure() {
  gc();
  gc();
  let groups = 0;
  for (const topic of desk.app.desk.hub.topics.values()) groups += topic.subscribers.groupCount;
  return {
    heap: process.memoryUsage().heapUsed,
    subscriptions: Object.values(desk.app.desk.hub.subscriptionCounts()).reduce((a, b) => a + b, 0),
    groups,
    addresses: desk.app.addresses(),
    serverListeners: desk.app.wss.listenerCount('connection'),
  };
}

describe('connection churn', () => {
  it(`5 cycles of ${CLIENTS} clients connecting, subscribing and dropping leave nothing behind`, async () => {
    await cycle(); // warm-up: code paths, JIT, pools
    const baseline = measure();
    const after = [];
    for (let i = 0; i < 5; i++) {
      await cycle();
      await new Promise((resolve) => setTimeout(resolve, 50));
      after.push(measure());
    }
    for (const m of after) {
      expect(m.subscriptions).toBe(0);
      expect(m.groups).toBe(0);
      expect(m.addresses).toBe(0);
      expect(m.serverListeners).toBe(baseline.serverListeners);
    }
    const growth = after.at(-1)!.heap - baseline.heap;
    console.log(`heap after warm-up ${(baseline.heap / 1e6).toFixed(1)} MB; after 5 cycles ${after.map((m) => (m.heap / 1e6).toFixed(1)).join(', ')} MB`);
    // 10,000 connections went through; a leak of even 1 KB each would show as 10 MB.
    expect(growth).toBeLessThan(3 * 1024 * 1024);
  }, 180_000);
});
