import { z } from 'zod';
import { symbolSchema } from '../shared/schema/common';
import { namedTokensSchema } from './auth/named-tokens';
import { parseProxyList } from './net/client-address';

const bool = z
  .enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'])
  .transform((v) => ['1', 'true', 'on', 'yes'].includes(v));
const list = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(symbolSchema).min(1));

const tokens = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string().min(16, 'tokens must be at least 16 characters').max(256)));

/** Every environment variable the server reads, with its default. */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Run the market simulator at start. */
  DESK_SIM: bool.default(true),
  DESK_SIM_TPS: z.coerce.number().min(0.1).max(10_000).default(8),
  DESK_SIM_SYMBOLS: list.optional(),
  DESK_SIM_SEED: z.coerce.number().int().min(0).default(42),
  /** Log events kept per topic for resume. */
  DESK_REPLAY_CAPACITY: z.coerce.number().int().min(10).max(10_000_000).default(10_000),
  /** Log events queued per subscriber before it gets a resync. */
  DESK_MAX_QUEUE: z.coerce.number().int().min(10).max(1_000_000).default(2_000),
  /** Outgoing bytes buffered on a connection above which delivery waits and conflates. */
  DESK_HIGH_WATER_MARK: z.coerce.number().int().min(1024).default(1024 * 1024),
  DESK_ALERTS_LIMIT: z.coerce.number().int().min(1).max(10_000).default(50),
  /** Directory of the SQLite database (created on first start). */
  DESK_DATA_DIR: z.string().min(1).default('data'),
  /** Database file; `:memory:` for a throwaway desk. Default: `<DESK_DATA_DIR>/desk.db`. */
  DESK_DB: z.string().min(1).optional(),
  /** `normal`: commits survive a process crash; `full`: also power loss. */
  DESK_DB_SYNC: z.enum(['normal', 'full']).default('normal'),
  /** Events retained for resume (0: unlimited). */
  DESK_RETAIN_EVENTS: z.coerce.number().int().min(0).default(1_000_000),
  /** Hours of events retained for resume (0: unlimited). */
  DESK_RETAIN_HOURS: z.coerce.number().min(0).default(168),
  /** Days closed candles are kept, per interval (0: for ever). */
  DESK_CANDLES_RETAIN_DAYS_1S: z.coerce.number().min(0).max(36_500).default(1),
  DESK_CANDLES_RETAIN_DAYS_1M: z.coerce.number().min(0).max(36_500).default(30),
  DESK_CANDLES_RETAIN_DAYS_5M: z.coerce.number().min(0).max(36_500).default(90),
  DESK_CANDLES_RETAIN_DAYS_1H: z.coerce.number().min(0).max(36_500).default(730),
  /** Hours the portfolio's history is kept, per resolution (0: for ever). */
  DESK_EQUITY_RETAIN_HOURS_1S: z.coerce.number().min(0).max(876_000).default(1),
  DESK_EQUITY_RETAIN_HOURS_1M: z.coerce.number().min(0).max(876_000).default(168),
  DESK_EQUITY_RETAIN_HOURS_1H: z.coerce.number().min(0).max(876_000).default(0),
  /** Named tokens: `name:role:token,…` (the audit log and limits tell their holders apart). */
  DESK_TOKENS: namedTokensSchema.optional(),
  /** Comma-separated unnamed tokens per role. */
  DESK_VIEWER_TOKENS: tokens.optional(),
  DESK_OPERATOR_TOKENS: tokens.optional(),
  DESK_ADMIN_TOKENS: tokens.optional(),
  /** Token ids or names refused from the start, comma-separated. */
  DESK_REVOKED_TOKENS: z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(128)))
    .optional(),
  /** Days audit entries are kept (0: for ever). */
  DESK_AUDIT_RETAIN_DAYS: z.coerce.number().min(0).max(36_500).default(90),
  /** Secret for signed tokens with an expiry (`npm run token`). */
  DESK_AUTH_SECRET: z.string().min(32, 'DESK_AUTH_SECRET must be at least 32 characters').optional(),
  /** Browser origins allowed besides the server's own, comma-separated. */
  DESK_ALLOWED_ORIGINS: z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.url()))
    .optional(),
  DESK_MAX_FRAME_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(64 * 1024),
  /** permessage-deflate on WebSockets whose client offers it: fewer bytes, more CPU and memory per connection. */
  DESK_WS_DEFLATE: bool.default(false),
  /** Bytes per second of stream data per WebSocket connection before its state topics conflate (0: no limit). */
  DESK_CONNECTION_BYTES_PER_SEC: z.coerce.number().int().min(0).max(1e12).default(0),
  /** Largest HTTP request body; larger ones get 413. */
  DESK_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(1024 * 1024),
  DESK_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).max(100_000).default(100),
  DESK_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  DESK_MUTATIONS_PER_SEC: z.coerce.number().min(0.1).max(1_000_000).default(50),
  /** Largest quantity of one operator's trade. */
  DESK_MAX_TRADE_QTY: z.coerce.number().positive().max(1e9).default(1_000_000),
  /** Largest notional (qty × price) of one operator's trade. */
  DESK_MAX_TRADE_NOTIONAL: z.coerce.number().positive().max(1e18).default(10_000_000),
  /** Band around the last tick for a chosen price, in percent (100: at most double or half); 0: none. */
  DESK_PRICE_BAND_PCT: z.coerce.number().min(0).max(10_000).default(100),
  DESK_MUTATION_BURST: z.coerce.number().int().min(1).max(1_000_000).default(100),
  /** Calls in one WebSocket batch frame; the rest are answered TOO_MANY_REQUESTS. */
  DESK_MAX_BATCH: z.coerce.number().int().min(1).max(10_000).default(100),
  /** Calls one WebSocket connection may have awaiting an answer; further frames wait unread. */
  DESK_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(32),
  /** Frames and calls per second per WebSocket connection, and the burst; past it the socket is not read. */
  DESK_REQUESTS_PER_SEC: z.coerce.number().min(1).max(1_000_000).default(1000),
  DESK_REQUEST_BURST: z.coerce.number().int().min(1).max(1_000_000).default(2000),
  /** The same per caller (token; address without one) across all its connections and HTTP requests. */
  DESK_CALLER_REQUESTS_PER_SEC: z.coerce.number().min(1).max(1_000_000).default(2000),
  DESK_CALLER_REQUEST_BURST: z.coerce.number().int().min(1).max(1_000_000).default(4000),
  /** Proxies (addresses, CIDR ranges) whose X-Forwarded-For names the client for per-address limits. */
  DESK_TRUSTED_PROXIES: z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .superRefine((entries, ctx) => {
      try {
        parseProxyList(entries);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    })
    .optional(),
  /** WebSocket delivery: `desk` (tRPC's wire protocol served by the desk, shared serialization) or `stock` (tRPC's adapter). */
  /** How long an agent has to answer an operator's command before it is marked timed out, ms. */
  DESK_AGENT_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(100).max(86_400_000).default(30_000),
  /** How long an agent may have no connection claiming its id before the desk marks it offline, ms. */
  DESK_AGENT_OFFLINE_GRACE_MS: z.coerce.number().int().min(0).max(86_400_000).default(10_000),
  DESK_WS_TRANSPORT: z.enum(['desk', 'stock']).default('desk'),
  /** Cluster mode: share one ordered command log with other instances on this Redis. */
  DESK_REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** Key prefix of the cluster's keys in Redis. */
  DESK_REDIS_PREFIX: z.string().regex(/^[\w:.-]{1,64}$/).default('livedesk'),
  /** Cluster mode: a snapshot of the folded state is stored in Redis every this many commands (0: never). */
  DESK_SNAPSHOT_EVERY: z.coerce.number().int().min(0).max(100_000_000).default(10_000),
  /** Cluster mode: the simulator's lease lasts this long unrenewed (how soon another instance takes over). */
  DESK_SIM_LEASE_MS: z.coerce.number().int().min(500).max(600_000).default(5000),
  /** Cluster mode: snapshots kept in Redis; the command stream is trimmed to the oldest kept. */
  DESK_SNAPSHOT_KEEP: z.coerce.number().int().min(1).max(100).default(2),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where the built dashboard is served from. */
  DESK_STATIC_DIR: z.string().default('dist/web'),
  /** Where people open the dashboard, when not at the desk's own URL (`npm run dev`: Vite's dev server). */
  DESK_DASHBOARD_URL: z.url({ protocol: /^https?$/ }).optional(),
});
export type Env = z.infer<typeof envSchema>;

/** Parses the environment, or throws one error that lists every bad variable. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
  throw new Error(`invalid environment:\n${lines.join('\n')}`);
}
