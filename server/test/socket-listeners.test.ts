import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventually, startTestDesk, type TestDesk } from './harness';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({ statsIntervalMs: 3_600_000 });
});
afterAll(() => desk.close());

/** A bare client subscribed to the prices, resolved once its snapshot arrived. */
function subscriber(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(desk.app.wsUrl);
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: 'market.onPrices', input: {} } })));
    socket.on('message', (raw) => {
      if (JSON.parse(String(raw)).result?.type === 'data') resolve(socket);
    });
  });
}

const present = () => Object.values(desk.app.presence.registry.reading().counts).reduce((a, b) => a + b, 0);

describe('listeners on an accepted socket', () => {
  it('are one error listener of the desk and no close listener beside ws own, and closing undoes every part', async () => {
    const before = present();
    const clients = await Promise.all(Array.from({ length: 5 }, subscriber));
    expect(desk.app.wss.clients.size).toBe(5);
    for (const socket of desk.app.wss.clients) {
      // ws's own (its client set) only: the socket's class tells the upgrade, which runs the transport's, presence's and the log's hooks.
      expect(socket.listenerCount('close')).toBe(1);
      expect(socket.listenerCount('error')).toBe(1);
      // The upgrade's error listener on the TCP socket is gone once ws has its own there.
      expect((socket as unknown as { _socket: import('node:net').Socket })._socket.listenerCount('error')).toBe(1);
    }
    expect(present()).toBe(before + 5);
    expect(desk.app.addresses()).toBe(1);
    // The client's address is the connection's, read once: Node keeps no copy of it per socket.
    for (const socket of desk.app.wss.clients) expect((socket as unknown as { _socket: { _peername?: unknown } })._socket._peername ?? null).toBeNull();
    expect(desk.app.presence.registry.reading().connections.every((c) => c.address === '127.0.0.1')).toBe(true);
    clients.forEach((socket, i) => (i % 2 ? socket.close() : socket.terminate()));
    await eventually(() => desk.app.wss.clients.size === 0, 10_000, 'all sockets closed on the server');
    await eventually(() => Object.values(desk.app.desk.hub.subscriptionCounts()).every((n) => n === 0), 5_000, 'subscriptions released');
    expect(present()).toBe(before);
    expect(desk.app.addresses()).toBe(0);
  });
});
