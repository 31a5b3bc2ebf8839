import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import sirv from 'sirv';
import { WebSocketServer } from 'ws';
import type { Health } from '../shared/schema/system';
import { contextFactory } from './context';
import { appRouter } from './root';
import { Simulator, type SimulatorOptions } from './sim/simulator';
import { readStats } from './stats';
import { createDesk, type DeskOptions } from './store/desk';

export interface AppOptions {
  /** @default 0 (an ephemeral port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  desk?: DeskOptions;
  sim?: SimulatorOptions & { enabled?: boolean };
  /** Directory of the built dashboard; not served when missing. */
  staticDir?: string;
  /** @default 1 MiB */
  highWaterMark?: number;
  /** WebSocket ping interval. @default 30000 */
  pingMs?: number;
  /** How often health and stats are published. @default 1000 */
  statsIntervalMs?: number;
}

/** Wires desk, simulator, tRPC over HTTP (`/trpc`) and WebSocket, health and the SPA on one port. */
export async function startApp(options: AppOptions = {}) {
  const startedAt = Date.now();
  const desk = createDesk({ journal: { path: ':memory:' }, ...options.desk });
  const sim = new Simulator(desk, { ...options.sim, onChange: () => publishHealth() });
  const httpServer = createServer();
  const wss = new WebSocketServer({ server: httpServer, maxPayload: 1024 * 1024 });
  const createContext = contextFactory({
    desk,
    sim,
    highWaterMark: options.highWaterMark ?? 1024 * 1024,
    connections: () => wss.clients.size,
  });

  const trpcHandler = createHTTPHandler({ router: appRouter, createContext, basePath: '/trpc/' });
  const staticDir = options.staticDir;
  const serveStatic = staticDir && existsSync(staticDir) ? sirv(staticDir, { single: true, etag: true }) : null;

  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url?.split('?')[0] ?? '/';
    if (path.startsWith('/trpc/')) return trpcHandler(req, res);
    if (path === '/health') return sendJson(res, 200, health());
    if (serveStatic) return serveStatic(req, res, () => sendJson(res, 404, { error: 'not found' }));
    sendJson(res, 404, { error: 'not found', hint: 'the dashboard is not built; run npm run build' });
  });

  const wsHandler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext,
    keepAlive: { enabled: true, pingMs: options.pingMs ?? 30_000, pongWaitMs: 10_000 },
  });
  wss.on('connection', (socket) => socket.on('error', () => socket.terminate()));

  function health(): Health {
    return {
      status: 'ok',
      simulator: sim.status,
      connections: wss.clients.size,
      startedAt,
      lastEventId: String(desk.hub.lastId),
    };
  }

  function publishHealth(): void {
    // lastEventId moves with every commit; the topic carries the slower-moving fields only.
    desk.hub.commit((tx) => tx.upsert(desk.topics.health, { ...health(), lastEventId: '' }));
  }

  const statsTimer = setInterval(() => {
    publishHealth();
    desk.hub.commit((tx) => tx.upsert(desk.topics.stats, readStats(desk, wss.clients.size)));
  }, options.statsIntervalMs ?? 1000);
  statsTimer.unref();
  publishHealth();
  desk.metrics.start();
  desk.journal?.start();
  if (options.sim?.enabled) sim.start();

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = httpServer.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  let stopping: Promise<void> | null = null;
  /** Tells clients to reconnect, stops accepting, closes every connection and the timers. */
  function stop(): Promise<void> {
    stopping ??= (async () => {
      sim.stop();
      clearInterval(statsTimer);
      desk.metrics.stop();
      wsHandler.broadcastReconnectNotification();
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      for (const socket of wss.clients) socket.close(1012, 'server restarting');
      const deadline = setTimeout(() => {
        for (const socket of wss.clients) socket.terminate();
        httpServer.closeAllConnections();
      }, 2000);
      await closed;
      clearTimeout(deadline);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      desk.journal?.close();
    })();
    return stopping;
  }

  return {
    port,
    url: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${port}/trpc`,
    desk,
    sim,
    wss,
    stop,
  };
}

export type App = Awaited<ReturnType<typeof startApp>>;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
