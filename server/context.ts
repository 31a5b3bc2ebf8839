import type { IncomingMessage, ServerResponse } from 'node:http';
import { TRPCError } from '@trpc/server';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { resolveToken, type AuthConfig, type Caller } from './auth/tokens';
import { TokenBucket } from './limits/token-bucket';
import type { LimitCounters } from './limits/counters';
import { bearerToken } from './net/bearer';
import type { AuditLog } from './persist/audit-log';
import type { Simulator } from './sim/simulator';
import type { CommandExecutor } from './store/commands';
import type { TradeLimits } from './store/trade-limits';
import type { Desk } from './store/desk';

export interface Limits {
  /** Subscriptions one connection may hold at once. @default 100 */
  maxSubscriptions: number;
  /** Mutations per second per connection (per client address over HTTP), sustained. @default 50 */
  mutationsPerSecond: number;
  /** Mutations allowed in a burst. @default 100 */
  mutationBurst: number;
}

/** What every procedure can reach: the desk, the simulator, limits, logs. */
export interface DeskServices {
  desk: Desk;
  sim: Simulator;
  /** Runs mutations: on this desk, or through the cluster's shared command log. */
  commands: CommandExecutor;
  /** Cluster mode: waits (briefly) until this instance has folded up to an event id another one issued. */
  catchUp?: (eventId: number) => Promise<void>;
  /** Bytes buffered on a connection above which delivery waits and conflates. */
  highWaterMark: number;
  connections: () => number;
  /** null: no authentication (every caller is admin), for tests and embedding. */
  auth: AuthConfig | null;
  /** True when the caller's token (by id or name) has been revoked; checked on every call. */
  isRevoked: (caller: Caller) => boolean;
  /** Remembers a connection of a caller, so that revoking its token closes it. */
  trackSession: (out: WebSocket | ServerResponse, caller: Caller) => void;
  limits: Limits;
  rejected: LimitCounters;
  log: Logger;
  /** What one operator's trade or price may be (checked when the command is folded). */
  tradeLimits: TradeLimits;
  /** Who made which mutation, with what outcome (`system.audit`). */
  audit: AuditLog;
  /** Counts a mutation's outcome (`OK` or an error code). */
  onMutation: (path: string, code: string) => void;
  /** The connection record the transport made for a WebSocket. */
  connectionOf: (socket: WebSocket) => Connection | undefined;
}

/** One client connection (a WebSocket, or one client address over HTTP). */
export interface Connection {
  id: string;
  ip: string;
  subscriptions: number;
  mutations: TokenBucket;
}

export interface Context extends DeskServices {
  /**
   * Who is calling (`{ role, id, name, expiresAt }`), resolved when the connection opened; null
   * when no valid token was presented. Expiry and revocation are checked again on every call.
   */
  caller: Caller | null;
  connection: Connection;
  /** True while this connection's outgoing buffer is over the high-water mark. */
  isCongested(): boolean;
}

interface ContextOptions {
  req: IncomingMessage;
  res: ServerResponse | WebSocket;
  /** `type` is set over HTTP: the kind of call (`query`, `mutation`, `subscription`). */
  info: { connectionParams: Record<string, string | undefined> | null; type?: string };
}

/** Every caller of a desk without authentication. */
const OPEN: Caller = { role: 'admin', id: 'open', name: 'open', expiresAt: null };

/** Builds `createContext` for both transports. Over WebSocket it runs once per connection. */
export function contextFactory(services: DeskServices) {
  const httpConnections = new Map<string, Connection>();
  let httpIds = 0;

  function httpConnection(ip: string): Connection {
    let connection = httpConnections.get(ip);
    if (!connection) {
      if (httpConnections.size >= 10_000) httpConnections.delete(httpConnections.keys().next().value!);
      connection = { id: `http-${++httpIds}`, ip, subscriptions: 0, mutations: newBucket(services.limits) };
      httpConnections.set(ip, connection);
    }
    return connection;
  }

  /**
   * One context per WebSocket connection (per request over HTTP). The services are its prototype,
   * shared by every context rather than copied, and `isCongested` is a method on that prototype:
   * a context holds three fields of its own. (A middleware that extends it must do so with
   * `Object.create(ctx)`, not tRPC's `next({ ctx })`, which spreads own properties only.)
   */
  class ConnectionContext {
    constructor(
      readonly caller: Caller | null,
      readonly connection: Connection,
      private readonly out: WebSocket | ServerResponse,
    ) {}

    isCongested(): boolean {
      const out = this.out;
      return ('bufferedAmount' in out ? out.bufferedAmount : out.writableLength) > services.highWaterMark;
    }
  }
  Object.setPrototypeOf(ConnectionContext.prototype, services);

  return ({ req, res, info }: ContextOptions): Context => {
    // Over HTTP, connectionParams come from the URL, where a token leaks into logs and history; only
    // SSE (an EventSource cannot send headers) may carry one there.
    if (info.connectionParams?.token !== undefined && !('bufferedAmount' in res) && info.type !== 'subscription') {
      throw new TRPCError({ code: 'BAD_REQUEST', message: 'a token in the URL (?connectionParams=) is refused here: send it as Authorization: Bearer <token>' });
    }
    const token = info.connectionParams?.token ?? bearerToken(req.headers.authorization);
    const caller = services.auth === null ? OPEN : resolveToken(services.auth, token);
    if (caller !== null && caller !== OPEN) services.trackSession(res, caller);
    const socket = 'bufferedAmount' in res ? res : null;
    const connection = (socket && services.connectionOf(socket)) ?? httpConnection(req.socket.remoteAddress ?? 'unknown');
    return new ConnectionContext(caller, connection, res) as unknown as Context;
  };
}

export function newBucket(limits: Limits): TokenBucket {
  return new TokenBucket(limits.mutationsPerSecond, limits.mutationBurst);
}
