import { dirname, join } from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { WebSocket } from 'ws';
import type { Health } from '../shared/schema/system';
import { hasRole, refusal, resolveToken, type AuthConfig, type Caller } from './auth/tokens';
import { createSessions } from './auth/sessions';
import { AuditLog, openAuditDatabase } from './persist/audit-log';
import { contextFactory, DEFAULT_LIMITS, type Context, type Limits } from './context';
import { createCallerBudgets } from './limits/caller-budgets';
import { createLimitCounters } from './limits/counters';
import { clientAddressResolver } from './net/client-address';
import { createLogger } from './observability/logger';
import { createMetrics } from './observability/metrics';
import { bearerToken } from './net/bearer';
import { refusalOf, refuse } from './net/http-guard';
import { Refusals } from './transport/refusals';
import { setSecurityHeaders } from './net/security-headers';
import { assertOutsideStatic, createStaticFiles } from './net/static-files';
import { appRouter } from './root';
import { earlyRefusal } from './trpc';
import { Simulator, type SimulatorOptions } from './sim/simulator';
import { readStats } from './stats';
import { connectCluster, type ClusterOptions } from './cluster/cluster';
import { sharePresence } from './cluster/shared-presence';
import { shareSimulatorSettings } from './cluster/sim-settings';
import { createCommandTimeouts } from './agents/command-timeouts';
import { createPresence } from './presence/presence';
import { localExecutor } from './store/commands';
import { defaultTradeLimits, type TradeLimits } from './store/trade-limits';
import { createDesk, type DeskOptions } from './store/desk';
import { applyDeskWSHandler, sendsPlainJson } from './transport/desk-ws-handler';
import { applyStockWSHandler } from './transport/stock-ws-handler';
import { createSseRefusal } from './transport/sse-refusal';
import { createSseMux, SSE_MUX_PATH } from './transport/sse-mux';
import { createUpgradeHandler, originChecker } from './transport/upgrade';
import { wsDeflateOptions } from './transport/deflate';

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
  /** Tokens and roles; null or absent: no authentication (every caller is admin), for tests and embedding. */
  auth?: AuthConfig | null;
  /** Extra browser origins allowed besides the server's own. */
  allowedOrigins?: string[];
  /** Largest WebSocket frame accepted; larger ones close the socket with 1009. @default 65536 */
  maxFrameBytes?: number;
  /** permessage-deflate on WebSocket connections whose client offers it (`wsDeflateOptions`). @default false */
  wsDeflate?: boolean;
  /** Bytes per second of stream data per WebSocket connection; past it state topics conflate. @default no limit */
  connectionBytesPerSec?: number;
  /** Largest HTTP request body accepted; larger ones get 413 `PAYLOAD_TOO_LARGE`. @default 1048576 */
  maxBodyBytes?: number;
  /** @default 1000 */
  maxConnectionsPerIp?: number;
  limits?: Partial<Limits>;
  /** What one operator's trade or price may be. @default defaultTradeLimits */
  tradeLimits?: Partial<TradeLimits>;
  /**
   * Addresses and CIDR ranges of proxies whose `X-Forwarded-For` names the client for per-address
   * limits (HTTP, SSE, WebSocket upgrades). @default [] (the header is ignored)
   */
  trustedProxies?: string[];
  /** @default 'silent' */
  logLevel?: string;
  /** Share one ordered command log with other instances on Redis (cluster mode). */
  cluster?: ClusterOptions;
  /**
   * Database file of the audit log in cluster mode, where the desk's own journal is in memory.
   * Otherwise the audit log is a table of the desk's journal. @default ':memory:'
   */
  auditPath?: string;
  /** How long audit entries are kept (0: for ever). @default 90 days */
  auditRetainMs?: number;
  /** Agents: how long one has to answer an operator's command before it times out. */
  agents?: {
    commandTimeoutMs?: number;
    /** How long an agent may have no connection claiming its id before the desk marks it offline. @default 10000 */
    offlineGraceMs?: number;
  };
  /**
   * WebSocket delivery: `desk` serves tRPC's wire protocol itself (topic streams fanned out with
   * shared serialization, no generator per subscriber); `stock` uses tRPC's own ws adapter.
   * @default process.env.DESK_WS_TRANSPORT, else 'desk'
   */
  transport?: WsTransport;
}

export type WsTransport = 'desk' | 'stock';

function pickTransport(option: WsTransport | undefined): WsTransport {
  const chosen = option ?? process.env.DESK_WS_TRANSPORT ?? 'desk';
  if (chosen !== 'desk' && chosen !== 'stock') throw new Error(`unknown WebSocket transport ${chosen}: desk or stock`);
  return chosen;
}

/** Wires desk, simulator, tRPC over HTTP (`/trpc`) and WebSocket, health, metrics and the SPA on one port. */
export async function startApp(options: AppOptions = {}) {
  const startedAt = Date.now();
  const dbPath = options.desk?.journal?.path;
  // The database and the admin token beside it must never be downloadable.
  if (options.staticDir && dbPath) assertOutsideStatic(options.staticDir, [dbPath, join(dirname(dbPath), 'admin-token')]);
  const log = createLogger(options.logLevel ?? 'silent');
  // A cluster folds one shared command log: it starts from the cluster's base id, or from the newest
  // snapshot in Redis, with a local in-memory journal (the log in Redis is the durable copy).
  const cluster = options.cluster ? await connectCluster(options.cluster) : null;
  const desk = createDesk(cluster ? await cluster.deskOptions(options.desk) : { journal: { path: ':memory:' }, ...options.desk });
  const commands = cluster ? cluster.executor : localExecutor(desk);
  const auditDb = cluster || !desk.journal ? openAuditDatabase(options.auditPath ?? ':memory:') : null;
  const audit = new AuditLog(auditDb ?? desk.journal!.db, { instance: cluster?.instance ?? null, retainMs: options.auditRetainMs });
  // Sharing the journal's database, an accepted mutation's entry goes in the mutation's transaction.
  if (!auditDb) desk.journal!.withMutation = (_path, answer, scope) => audit.inTransaction(scope, answer);
  // In a cluster every instance may run the simulator; only the holder of its lease ticks.
  const sim = new Simulator(desk, {
    ...options.sim,
    executor: commands,
    gate: cluster ? () => cluster.simLease.held : undefined,
    onConfigure: (state) => simSettings?.publish(state),
    onChange: () => desk.topics.health.refresh(),
  });
  // The simulator's settings are the cluster's: a change on any instance reaches all.
  const simSettings = cluster ? shareSimulatorSettings(cluster.setting('simulator'), sim) : null;
  const httpServer = createServer();
  const maxFrameBytes = options.maxFrameBytes ?? 64 * 1024;
  const rejected = createLimitCounters();
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const clientAddress = clientAddressResolver(options.trustedProxies ?? []);
  const callerBudgets = createCallerBudgets(limits.callerRequestsPerSecond, limits.callerRequestBurst);
  const auth = options.auth ?? null;
  const revokedAtStart = new Set(auth?.revoked ?? []);
  // Without authentication there is nobody to revoke (every caller is the same `open`).
  const isRevoked = (caller: Caller) =>
    auth !== null &&
    (revokedAtStart.has(caller.id) || revokedAtStart.has(caller.name) || desk.revocations.has(caller.id) || desk.revocations.has(caller.name));
  // Every instance folds a revocation and closes the connections it holds of that token.
  const sessions = createSessions();
  desk.revocations.onRevoke = (id) => {
    const closed = sessions.close(id);
    log.info({ token: id, closed }, 'token revoked');
  };
  // Open WebSockets and multiplexed SSE streams: each is one client holding its subscriptions.
  const openConnections = () => wss.clients.size + sseMux.size;
  const metrics = createMetrics(desk, openConnections, rejected, cluster ? () => cluster.status() : undefined);

  let selfOrigins: string[] = [];
  const allowed = originChecker(options.allowedOrigins ?? []);
  const isAllowedOrigin = (origin: string) => selfOrigins.includes(origin.toLowerCase()) || allowed(origin);
  const upgrades = createUpgradeHandler({
    server: { maxPayload: maxFrameBytes, perMessageDeflate: options.wsDeflate ? wsDeflateOptions : false },
    isAllowedOrigin,
    maxConnectionsPerIp: options.maxConnectionsPerIp ?? 1000,
    rejected,
    clientAddress,
    onReject: (reason, req) => log.warn({ ip: req.socket.remoteAddress, reason }, 'websocket refused'),
    // The record becomes the connection's context (one object, not a record and a context).
    record: (id, ip, socket) => createContext.socketRecord(id, ip, socket),
  });
  const wss = upgrades.wss;
  httpServer.on('upgrade', upgrades.handleUpgrade);

  // Who is connected; an agent whose connections are all gone is marked offline after the grace.
  const presence = createPresence(desk, commands, {
    instance: cluster?.instance ?? null,
    offlineGraceMs: options.agents?.offlineGraceMs ?? 10_000,
    socketClosesTold: true,
    onError: (agentId, error) => log.warn({ agentId, err: (error as Error).message }, 'could not mark an agent offline'),
  });
  const sharedPresence = cluster ? sharePresence(cluster, presence) : null;
  const createContext = contextFactory({
    presence: presence.registry,
    desk,
    sim,
    commands,
    catchUp: cluster ? (eventId) => cluster.caughtUp(eventId) : undefined,
    highWaterMark: options.highWaterMark ?? 1024 * 1024,
    connectionBytesPerSec: options.connectionBytesPerSec,
    connections: openConnections,
    auth,
    isRevoked,
    trackSession: sessions.track,
    audit,
    tradeLimits: { ...defaultTradeLimits, ...options.tradeLimits },
    limits,
    rejected,
    log,
    onMutation: metrics.countMutation,
    connectionOf: upgrades.connectionOf,
    clientAddress,
    callerBudgets,
  });
  const onError = ({ error, path, type, ctx }: { error: { code: string; message: string }; path?: string; type: string; ctx?: { connection?: { id: string } } }) => {
    log.debug({ connection: ctx?.connection?.id, path, type, code: error.code }, error.message);
  };

  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const sse = createSseRefusal(appRouter, createContext);
  const trpcHandler = createHTTPHandler({
    router: appRouter,
    // An SSE subscription's context was made (and its request counted) by the SSE check already.
    createContext: (opts) => sse.contextOf(opts.req) ?? createContext(opts),
    basePath: '/trpc/',
    onError,
    maxBodySize: maxBodyBytes,
    // A batch over HTTP is bounded like one over WebSocket (there call by call, here as a whole).
    maxBatchSize: limits.maxBatch,
  });
  // Every subscription of a tab over one SSE stream (a browser opens few connections per origin).
  const sseMux = createSseMux({
    router: appRouter,
    createContext,
    maxStreamsPerAddress: options.maxConnectionsPerIp ?? 1000,
    maxBodyBytes,
    pingMs: options.pingMs ?? 15_000,
    onError,
  });
  const serveStatic = createStaticFiles(options.staticDir);
  const notFound = (res: ServerResponse) => (hint?: string) => sendJson(res, 404, { error: 'not found', code: 'NOT_FOUND', ...(hint ? { hint } : {}) });

  // Error shapes for refusals before any route, formatted once per code.
  const httpRefusals = new Refusals(appRouter);
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    setSecurityHeaders(res);
    // A refused tRPC call is answered in tRPC's error shape, which its clients read; the rest as
    // `{ error, code }`. An allowed origin's CORS headers come first, so its page can read a refusal.
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!isAllowedOrigin(origin)) {
        rejected.origin++;
        return refuse(req, res, { status: 403, code: 'FORBIDDEN', message: `origin ${origin} is not allowed` }, httpRefusals);
      }
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
    }
    const refusal = refusalOf(req, maxBodyBytes);
    if (refusal) return refuse(req, res, refusal, httpRefusals);
    const path = req.url!.split('?')[0]!;
    if (origin !== undefined && req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-headers', 'authorization, content-type, trpc-accept');
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      res.writeHead(204).end();
      return;
    }
    if (path === SSE_MUX_PATH) return sseMux.handle(req, res);
    if (path.startsWith('/trpc/')) {
      if (sse.refused(req, res)) return;
      return trpcHandler(req, res);
    }
    // Alive unless the instance can never catch up again (it missed trimmed commands): then restart it.
    if (path === '/health') return sendJson(res, cluster?.status().broken ? 503 : 200, health());
    if (path === '/ready') return serveReady(res);
    if (path === '/metrics') return serveMetrics(req, res);
    if (serveStatic) return serveStatic(req, res, path, notFound(res));
    sendJson(res, 404, { error: 'not found', code: 'NOT_FOUND', hint: 'the dashboard is not built; run npm run build' });
  });

  /** For load balancers: 503 while stopping, and in cluster mode while the log is down or far behind. */
  function serveReady(res: ServerResponse) {
    const status = cluster?.status();
    const ready = stopping === null && (status?.ready ?? true);
    const reason = stopping !== null ? 'stopping' : status && !status.up ? 'the shared command log is unavailable' : status && !status.ready ? `folding: ${status.lagCommands} commands behind` : null;
    sendJson(res, ready ? 200 : 503, { ready, reason, lastEventId: String(desk.hub.lastId) });
  }

  async function serveMetrics(req: IncomingMessage, res: ServerResponse) {
    const header = req.headers.authorization;
    const caller = auth === null ? null : resolveToken(auth, bearerToken(header));
    if (auth !== null) {
      if (!caller) return sendJson(res, 401, { error: 'UNAUTHORIZED: Authorization: Bearer <admin token> required', code: 'UNAUTHORIZED' });
      const refused = refusal(caller, Date.now(), isRevoked);
      if (refused) return sendJson(res, 401, { error: `UNAUTHORIZED: ${refused}`, code: 'UNAUTHORIZED' });
      if (!hasRole(caller.role, 'admin')) return sendJson(res, 403, { error: 'FORBIDDEN: admin role required', code: 'FORBIDDEN' });
    }
    res.writeHead(200, { 'content-type': metrics.registry.contentType });
    res.end(await metrics.registry.metrics());
  }

  const transport = pickTransport(options.transport);
  const keepAlive = { enabled: true, pingMs: options.pingMs ?? 30_000, pongWaitMs: 10_000 };
  const highWaterMark = options.highWaterMark ?? 1024 * 1024;
  const deskTransport = transport === 'desk' && sendsPlainJson(appRouter);
  // Before its context exists (the frame with the token), a connection spends from its address's budget.
  // The address is the record's: reading the request's again would make Node keep a copy of it.
  const budgetOf = (ctx: unknown, req: IncomingMessage, socket: WebSocket) =>
    callerBudgets.of(ctx ? (ctx as Context).identity : `addr:${upgrades.connectionOf(socket)?.ip ?? clientAddress(req)}`);
  const wsHandler = deskTransport
    ? applyDeskWSHandler({
        wss,
        router: appRouter,
        createContext,
        onError,
        keepAlive,
        requests: {
          maxBatch: limits.maxBatch,
          maxInFlight: limits.maxInFlight,
          perSecond: limits.requestsPerSecond,
          burst: limits.requestBurst,
          highWaterMark,
        },
        sharedBudget: budgetOf,
        sockets: upgrades.sockets,
        onLimit: (limit, count) => (limit === 'batch' ? (rejected.requests += count) : (rejected.throttled += count)),
        precheck: (ctx, type, path, meta, input) => earlyRefusal(ctx as Context, type, path, meta?.role, input),
      })
    : applyStockWSHandler({
        wss,
        router: appRouter,
        createContext,
        onError,
        guard: {
          keepAlive,
          highWaterMark,
          perSecond: limits.requestsPerSecond,
          burst: limits.requestBurst,
          maxBatch: limits.maxBatch,
          maxInFlight: limits.maxInFlight,
          onThrottled: () => rejected.throttled++,
          onBatchLimit: (count) => (rejected.requests += count),
        },
        sharedBudget: (socket, req) => callerBudgets.of(`addr:${upgrades.connectionOf(socket)?.ip ?? clientAddress(req)}`),
      });
  // Through the upgrade's one close and one error listener per socket, after the transport's.
  upgrades.sockets.onError((socket, error) => {
    log.warn({ connection: upgrades.connectionOf(socket)?.id, err: error.message }, 'socket error');
    socket.terminate();
  });
  upgrades.sockets.onClose((socket, code) => {
    presence.registry.left(socket);
    log.info({ connection: upgrades.connectionOf(socket)?.id, code }, 'disconnected');
  });
  wss.on('connection', (socket, req) => {
    // The record's address: reading the socket's would make Node keep a copy of it again.
    const connection = upgrades.connectionOf(socket);
    log.info({ connection: connection?.id, ip: connection?.ip ?? req.socket.remoteAddress }, 'connected');
  });

  function health(): Health {
    const status = cluster?.status();
    return {
      status: status && !status.up ? 'degraded' : 'ok',
      cluster: status
        ? { instance: status.instance, up: status.up, ready: status.ready, lagCommands: status.lagCommands, inDoubt: status.inDoubt, simulating: status.simulating }
        : null,
      simulator: sim.status,
      connections: openConnections(),
      startedAt,
      lastEventId: String(desk.hub.lastId),
    };
  }

  // Health and stats are this instance's readings, taken afresh on a timer (and health when the
  // simulator changes or someone asks); they never take an event id.
  desk.topics.health.read = health;
  desk.topics.stats.read = () => ({ ...readStats(desk, openConnections(), rejected), cluster: cluster?.peers() ?? null });
  cluster?.reportWith(() => ({
    connections: openConnections(),
    subscriptions: Object.values(desk.hub.subscriptionCounts()).reduce((sum, n) => sum + n, 0),
    lastEventId: String(desk.hub.lastId),
  }));
  // An operator's command nobody answers in time is marked timed out (through the command path).
  const commandTimeouts = createCommandTimeouts(desk, commands, {
    timeoutMs: options.agents?.commandTimeoutMs ?? 30_000,
    onError: (error) => log.warn({ err: (error as Error).message }, 'could not time out an agent command'),
  });
  const statsTimer = setInterval(() => {
    desk.topics.health.refresh();
    desk.topics.stats.refresh();
  }, options.statsIntervalMs ?? 1000);
  statsTimer.unref();
  desk.topics.health.refresh();
  desk.journal?.start();
  desk.replay?.checkpointer.start();
  audit.start();
  commandTimeouts.start();
  await cluster?.start(desk);
  if (simSettings && cluster) {
    await simSettings.start(options.sim?.enabled ?? false);
    cluster.onBeat(simSettings.poll);
    cluster.simLease.start(() => sim.status.running, () => desk.topics.health.refresh());
  } else if (options.sim?.enabled) sim.start();

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = httpServer.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  selfOrigins = [`http://${host}:${port}`, `http://localhost:${port}`, `http://127.0.0.1:${port}`].map((o) => o.toLowerCase());

  let stopping: Promise<void> | null = null;
  /** Tells clients to reconnect, stops accepting, closes every connection and the timers. */
  function stop(): Promise<void> {
    stopping ??= (async () => {
      sim.stop();
      clearInterval(statsTimer);
      presence.stop();
      commandTimeouts.stop();
      wsHandler.broadcastReconnectNotification();
      sseMux.stop();
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
      await sharedPresence?.stop();
      await cluster?.stop();
      audit.stop();
      auditDb?.close();
      desk.replay?.checkpointer.stop();
      desk.journal?.close();
    })();
    return stopping;
  }

  return {
    port,
    url: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${port}/trpc`,
    desk,
    commands,
    /** Cluster mode: the shared log's connection and status; null for a single instance. */
    cluster,
    sim,
    wss,
    rejected,
    log,
    transport,
    audit,
    presence,
    /** The multiplexed SSE streams (`/sse-mux`). */
    sseMux,
    /** Client addresses with open WebSockets (the per-address limit's bookkeeping). */
    addresses: upgrades.addresses,
    /** Open WebSockets from one client address, as the per-address limit counts them. */
    openFrom: upgrades.openFrom,
    stop,
  };
}

export type App = Awaited<ReturnType<typeof startApp>>;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
