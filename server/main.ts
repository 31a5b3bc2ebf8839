import { dirname, join } from 'node:path';
import { startApp } from './app';
import { authFromEnv } from './auth/config';
import { parseEnv } from './env';
import { DatabaseOpenError } from './persist/open-database';
import { assertOutsideStatic } from './net/static-files';

const DAY_MS = 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;

let env;
let access;
let db: string;
try {
  env = parseEnv();
  db = env.DESK_DB ?? join(env.DESK_DATA_DIR, 'desk.db');
  // A desk with a database file keeps its generated token beside it; a throwaway one makes a new one.
  const tokenFile = db === ':memory:' ? undefined : join(dirname(db), 'admin-token');
  assertOutsideStatic(env.DESK_STATIC_DIR, tokenFile ? [db, tokenFile] : []);
  access = authFromEnv(env, tokenFile);
} catch (error) {
  exitWith(error);
}

/** A failure to start is one line (which file or setting, what is wrong, what to do), then exit 1. */
function exitWith(error: unknown): never {
  console.error(startupFailure(error));
  process.exit(1);
}

function startupFailure(error: unknown): string {
  if (error instanceof DatabaseOpenError) return `livedesk: ${error.message}`;
  const { code, path, message } = error as NodeJS.ErrnoException;
  if (code === 'EADDRINUSE') return `livedesk: the port is already in use (${message}); stop what listens there, or set PORT`;
  if (code && path) return `livedesk: cannot use ${path} (${message}); make it writable by this user, or set DESK_DATA_DIR`;
  return `livedesk: cannot start: ${message ?? String(error)}`;
}

const app = await startApp({
  port: env.PORT,
  host: env.HOST,
  staticDir: env.DESK_STATIC_DIR,
  highWaterMark: env.DESK_HIGH_WATER_MARK,
  auth: access.auth,
  allowedOrigins: env.DESK_ALLOWED_ORIGINS,
  maxFrameBytes: env.DESK_MAX_FRAME_BYTES,
  wsDeflate: env.DESK_WS_DEFLATE,
  connectionBytesPerSec: env.DESK_CONNECTION_BYTES_PER_SEC || undefined,
  maxBodyBytes: env.DESK_MAX_BODY_BYTES,
  maxConnectionsPerIp: env.DESK_MAX_CONNECTIONS_PER_IP,
  trustedProxies: env.DESK_TRUSTED_PROXIES,
  limits: {
    maxSubscriptions: env.DESK_MAX_SUBSCRIPTIONS,
    mutationsPerSecond: env.DESK_MUTATIONS_PER_SEC,
    mutationBurst: env.DESK_MUTATION_BURST,
    maxBatch: env.DESK_MAX_BATCH,
    maxInFlight: env.DESK_MAX_IN_FLIGHT,
    requestsPerSecond: env.DESK_REQUESTS_PER_SEC,
    requestBurst: env.DESK_REQUEST_BURST,
    callerRequestsPerSecond: env.DESK_CALLER_REQUESTS_PER_SEC,
    callerRequestBurst: env.DESK_CALLER_REQUEST_BURST,
  },
  tradeLimits: { maxQty: env.DESK_MAX_TRADE_QTY, maxNotional: env.DESK_MAX_TRADE_NOTIONAL, priceBandPct: env.DESK_PRICE_BAND_PCT },
  logLevel: env.LOG_LEVEL,
  // In a cluster the journal is in memory; the audit log keeps a file of its own beside where it would be.
  auditPath: db === ':memory:' ? ':memory:' : join(dirname(db), 'audit.db'),
  auditRetainMs: env.DESK_AUDIT_RETAIN_DAYS * 24 * 3600 * 1000,
  cluster: env.DESK_REDIS_URL
    ? { url: env.DESK_REDIS_URL, prefix: env.DESK_REDIS_PREFIX, snapshotEvery: env.DESK_SNAPSHOT_EVERY, snapshotKeep: env.DESK_SNAPSHOT_KEEP, simLeaseMs: env.DESK_SIM_LEASE_MS }
    : undefined,
  transport: env.DESK_WS_TRANSPORT,
  agents: { commandTimeoutMs: env.DESK_AGENT_COMMAND_TIMEOUT_MS, offlineGraceMs: env.DESK_AGENT_OFFLINE_GRACE_MS },
  desk: {
    hub: { replayCapacity: env.DESK_REPLAY_CAPACITY, maxQueue: env.DESK_MAX_QUEUE },
    market: { alertsLimit: env.DESK_ALERTS_LIMIT },
    candleRetention: {
      '1s': env.DESK_CANDLES_RETAIN_DAYS_1S * DAY_MS,
      '1m': env.DESK_CANDLES_RETAIN_DAYS_1M * DAY_MS,
      '5m': env.DESK_CANDLES_RETAIN_DAYS_5M * DAY_MS,
      '1h': env.DESK_CANDLES_RETAIN_DAYS_1H * DAY_MS,
    },
    equityRetention: {
      '1s': env.DESK_EQUITY_RETAIN_HOURS_1S * HOUR_MS,
      '1m': env.DESK_EQUITY_RETAIN_HOURS_1M * HOUR_MS,
      '1h': env.DESK_EQUITY_RETAIN_HOURS_1H * HOUR_MS,
    },
    journal: {
      path: env.DESK_DB ?? join(env.DESK_DATA_DIR, 'desk.db'),
      synchronous: env.DESK_DB_SYNC,
      retainEvents: env.DESK_RETAIN_EVENTS,
      retainMs: env.DESK_RETAIN_HOURS * 3600 * 1000,
    },
  },
  sim: { enabled: env.DESK_SIM, ticksPerSecond: env.DESK_SIM_TPS, symbols: env.DESK_SIM_SYMBOLS, seed: env.DESK_SIM_SEED },
}).catch(exitWith);
app.log.info({ url: app.url }, 'listening');
// Last resort only: every promise the desk makes is observed, so a rejection nobody handled is a bug.
// Log it loudly instead of dropping every client's connection with the process.
process.on('unhandledRejection', (reason) => {
  app.log.fatal({ err: reason }, 'unhandled promise rejection (a bug; the desk keeps running)');
  console.error('unhandled promise rejection:', reason);
});
// Before the line that says it listens: whoever waits for that line may signal at once.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: draining`);
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`livedesk: stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  });
}
console.log(`livedesk listening on ${app.url} (tRPC: ${app.url}/trpc, WebSocket: ${app.wsUrl})`);
const dashboard = (env.DESK_DASHBOARD_URL ?? app.url).replace(/\/+$/, '');
if (access.generated) {
  console.log(`no tokens configured: the admin token is ${access.generated}`);
  console.log(`open the dashboard: ${dashboard}/?token=${access.generated}`);
} else if (env.DESK_DASHBOARD_URL) console.log(`open the dashboard: ${dashboard}/`);

