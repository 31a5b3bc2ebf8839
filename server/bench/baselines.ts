import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketIoServer } from 'socket.io';
import { WebSocketServer, type WebSocket } from 'ws';
import type { PriceTick } from '../../shared/schema/market';

/** A baseline broadcast server: what the desk is compared with. */
export interface Baseline {
  url: string;
  publish(tick: PriceTick): void;
  connections(): number;
  /** Bytes queued in user space for all connections. */
  buffered(): number;
  stop(): Promise<void>;
}

async function listen(server: ReturnType<typeof createServer>): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Raw `ws`: stringify once, `send` the same string to every open client. */
export async function startWsBaseline(): Promise<Baseline> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  wss.on('connection', (socket) => socket.on('error', () => socket.terminate()));
  const url = await listen(http);
  return {
    url,
    publish(tick) {
      const frame = JSON.stringify(tick);
      for (const client of wss.clients) if (client.readyState === 1) client.send(frame);
    },
    connections: () => wss.clients.size,
    buffered: () => sumBuffered(wss.clients),
    stop: () => closeAll(http, () => wss.clients.forEach((c) => c.terminate())),
  };
}

/**
 * Raw `ws`, coalescing: the ticks published in one turn of the event loop go out after it as one
 * JSON array, stringified once and sent to every client. The bound for any design that shares
 * frames between ticks.
 */
export async function startCoalescingWsBaseline(): Promise<Baseline> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  wss.on('connection', (socket) => socket.on('error', () => socket.terminate()));
  const url = await listen(http);
  let pending: PriceTick[] = [];
  const flush = () => {
    const frame = JSON.stringify(pending);
    pending = [];
    for (const client of wss.clients) if (client.readyState === 1) client.send(frame);
  };
  return {
    url,
    publish(tick) {
      if (pending.push(tick) === 1) setImmediate(flush);
    },
    connections: () => wss.clients.size,
    buffered: () => sumBuffered(wss.clients),
    stop: () => closeAll(http, () => wss.clients.forEach((c) => c.terminate())),
  };
}

/** Socket.IO 4.8: `io.emit` (encoded once, same buffer to every socket), WebSocket transport only. */
export async function startSocketIoBaseline(): Promise<Baseline> {
  const http = createServer();
  const io = new SocketIoServer(http, { transports: ['websocket'], serveClient: false, perMessageDeflate: false });
  const url = await listen(http);
  return {
    url,
    publish: (tick) => void io.emit('tick', tick),
    connections: () => io.engine.clientsCount,
    buffered: () => {
      let sum = 0;
      for (const socket of io.of('/').sockets.values()) {
        const ws = (socket.conn.transport as unknown as { socket?: WebSocket }).socket;
        sum += ws?.bufferedAmount ?? 0;
      }
      return sum;
    },
    stop: () => closeAll(http, () => io.disconnectSockets(true)),
  };
}

function sumBuffered(clients: Iterable<WebSocket>): number {
  let sum = 0;
  for (const client of clients) sum += client.bufferedAmount;
  return sum;
}

function closeAll(http: ReturnType<typeof createServer>, dropClients: () => void): Promise<void> {
  dropClients();
  http.closeAllConnections();
  return new Promise((resolve) => http.close(() => resolve()));
}
