import type { IncomingMessage, ServerResponse } from 'node:http';
import { TRPCError } from '@trpc/server';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { identityOf } from './auth/identity';
import { resolveToken, type AuthConfig, type Caller } from './auth/tokens';
import type { CallerBudgets } from './limits/caller-budgets';
import { TokenBucket } from './limits/token-bucket';
import type { LimitCounters } from './limits/counters';
import { bearerToken } from './net/bearer';
import type { AuditLog } from './persist/audit-log';
import type { Simulator } from './sim/simulator';
import type { CommandExecutor } from './store/commands';
import type { TradeLimits } from './store/trade-limits';
import type { Desk } from './store/desk';
import { claimOf } from './presence/claim';
import type { PresenceRegistry } from './presence/registry';
import { ByteBudget } from './transport/byte-budget';

export interface Limits {
  /** Subscriptions one connection may hold at once. @default 100 */
  maxSubscriptions: number;
  /** Mutations per second per connection (per client address over HTTP), sustained. @default 50 */
  mutationsPerSecond: number;
  /** Mutations allowed in a burst. @default 100 */
  mutationBurst: number;
  /** Calls in one WebSocket batch frame; the rest are refused. @default 100 */
  maxBatch: number;
  /** Calls one WebSocket connection may have awaiting an answer; more wait unread. @default 32 */
  maxInFlight: number;
  /** Frames and calls per second per WebSocket connection; past it the socket is not read. @default 1000 */
  requestsPerSecond: number;
  /** Frames and calls in a burst per WebSocket connection. @default 2000 */
  requestBurst: number;
  /** Frames, calls and HTTP requests per second per caller (token, or address without one), across its connections. @default 2000 */
  callerRequestsPerSecond: number;
  /** The caller's burst. @default 4000 */
  callerRequestBurst: number;
}

/** The defaults of every limit. */
export const DEFAULT_LIMITS: Limits = {
  maxSubscriptions: 100,
  mutationsPerSecond: 50,
  mutationBurst: 100,
  maxBatch: 100,
  maxInFlight: 32,
  requestsPerSecond: 1000,
  requestBurst: 2000,
  callerRequestsPerSecond: 2000,
  callerRequestBurst: 4000,
};

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
  /** Bytes of stream data per second each connection may be sent before its state topics conflate; absent: no limit. */
  connectionBytesPerSec?: number | undefined;
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
  /** The client's address: the peer's, or `X-Forwarded-For`'s behind a trusted proxy. */
  clientAddress: (req: IncomingMessage) => string;
  /** Request budgets per caller identity, across connections and transports. */
  callerBudgets: CallerBudgets;
  /** Open WebSocket connections: kind, caller, agent claims. */
  presence: PresenceRegistry;
}

/** One client connection (a WebSocket, or one caller over HTTP: its token, or its address without one). */
export interface Connection {
  id: string;
  ip: string;
  subscriptions: number;
  mutations: TokenBucket;
  /** Mutation tokens a transport took in its early check for calls still on their way to the middleware. */
  prepaid?: number;
}

export interface Context extends DeskServices {
  /**
   * Who is calling (`{ role, id, name, expiresAt }`), resolved when the connection opened; null
   * when no valid token was presented. Expiry and revocation are checked again on every call.
   */
  caller: Caller | null;
  /** The caller for limits (`identityOf`): its token's id; the address without a token. */
  identity: string;
  connection: Connection;
  /** True while this connection's outgoing buffer is over the high-water mark. */
  isCongested(): boolean;
  /**
   * This connection's bandwidth budget (`connectionBytesPerSec`), one per socket or response, made
   * on first use; null without a limit.
   */
  budget(): ByteBudget<unknown> | null;
}

interface ContextOptions {
  req: IncomingMessage;
  res: ServerResponse | WebSocket;
  /** `type` is set over HTTP: the kind of call (`query`, `mutation`, `subscription`). */
  info: {
    connectionParams: Record<string, string | undefined> | null;
    type?: string;
    /** Over HTTP: the calls of the request (several in a batch). */
    calls?: ReadonlyArray<{ path: string; procedure?: { _def: { type?: string } } | null }>;
  };
}

/** Every caller of a desk without authentication. */
const OPEN: Caller = { role: 'admin', id: 'open', name: 'open', expiresAt: null };

/** Builds `createContext` for both transports. Over WebSocket it runs once per connection. */
export function contextFactory(services: DeskServices) {
  const httpConnections = new Map<string, Connection>();
  // Per socket or response, so the subscriptions of one connection (or one SSE stream) spend one budget.
  const budgets = new WeakMap<WebSocket | ServerResponse, ByteBudget<unknown>>();
  const bytesPerSecond = services.connectionBytesPerSec ?? 0;
  let httpIds = 0;
  let sseIds = 0;

  // Over HTTP a caller's requests share one record (its subscriptions and mutation bucket), so one
  // caller behind an address cannot spend another's.
  function httpConnection(identity: string, ip: string): Connection {
    let connection = httpConnections.get(identity);
    if (!connection) {
      if (httpConnections.size >= 10_000) httpConnections.delete(httpConnections.keys().next().value!);
      connection = { id: `http-${++httpIds}`, ip, subscriptions: 0, mutations: newBucket(services.limits) };
      httpConnections.set(identity, connection);
    }
    return connection;
  }

  /**
   * What every context does. The services are its prototype, shared by every context rather than
   * copied, and `isCongested` is a method on that prototype. (A middleware that extends a context
   * must do so with `Object.create(ctx)`, not tRPC's `next({ ctx })`, which spreads own
   * properties only.)
   */
  abstract class ContextBase {
    abstract readonly caller: Caller | null;
    abstract readonly connection: Connection;
    protected abstract readonly out: WebSocket | ServerResponse;
    /** The identity when it is not the address's (`addr:<ip>`), which is made on use instead of kept per connection. */
    protected abstract readonly ownIdentity: string | null;

    get identity(): string {
      return this.ownIdentity ?? `addr:${this.connection.ip}`;
    }

    isCongested(): boolean {
      const out = this.out;
      return ('bufferedAmount' in out ? out.bufferedAmount : out.writableLength) > services.highWaterMark;
    }

    budget(): ByteBudget<unknown> | null {
      if (bytesPerSecond <= 0) return null;
      let budget = budgets.get(this.out);
      if (budget === undefined) budgets.set(this.out, (budget = new ByteBudget(bytesPerSecond, undefined, services.desk.hub.counters)));
      return budget;
    }
  }
  Object.setPrototypeOf(ContextBase.prototype, services);

  /** A request's context over HTTP (or a WebSocket's whose record the upgrade did not make here): four fields. */
  class ConnectionContext extends ContextBase {
    protected readonly ownIdentity: string | null;

    constructor(
      readonly caller: Caller | null,
      identity: string,
      readonly connection: Connection,
      protected readonly out: WebSocket | ServerResponse,
    ) {
      super();
      this.ownIdentity = identity === `addr:${connection.ip}` ? null : identity;
    }
  }

  /**
   * A WebSocket's connection record (made by the upgrade, `socketRecord`) and, once the
   * connection's context is made, its context too: one object per connection instead of a record
   * and a context pointing at it. The mutation budget, with the tokens taken from it ahead, is
   * made on the first mutation: most connections only subscribe.
   */
  class SocketContext extends ContextBase implements Connection {
    caller: Caller | null = null;
    protected ownIdentity: string | null = null;
    subscriptions = 0;
    /** The mutation budget and the tokens a transport took from it ahead (`prepaid`), in one record made with the first mutation. */
    private spending: { readonly bucket: TokenBucket; prepaid: number | undefined } | null = null;

    constructor(
      readonly id: string,
      readonly ip: string,
      protected readonly out: WebSocket,
    ) {
      super();
    }

    get connection(): Connection {
      return this;
    }

    get mutations(): TokenBucket {
      return this.spendingOf().bucket;
    }

    get prepaid(): number | undefined {
      return this.spending?.prepaid;
    }

    set prepaid(tokens: number | undefined) {
      this.spendingOf().prepaid = tokens;
    }

    private spendingOf(): { readonly bucket: TokenBucket; prepaid: number | undefined } {
      return (this.spending ??= { bucket: newBucket(services.limits), prepaid: undefined });
    }

    /** The context is made: who is calling. */
    identify(caller: Caller | null, identity: string): void {
      this.caller = caller;
      this.ownIdentity = identity === `addr:${this.ip}` ? null : identity;
    }
  }

  const createContext = ({ req, res, info }: ContextOptions): Context => {
    // Over HTTP, connectionParams come from the URL, where a token leaks into logs and history; only
    // SSE (an EventSource cannot send headers) may carry one there.
    if (info.connectionParams?.token !== undefined && !('bufferedAmount' in res) && info.type !== 'subscription') {
      throw new TRPCError({ code: 'BAD_REQUEST', message: 'a token in the URL (?connectionParams=) is refused here: send it as Authorization: Bearer <token>' });
    }
    const token = info.connectionParams?.token ?? bearerToken(req.headers.authorization);
    const caller = services.auth === null ? OPEN : resolveToken(services.auth, token);
    if (caller !== null && caller !== OPEN) services.trackSession(res, caller);
    const socket = 'bufferedAmount' in res ? res : null;
    const wsConnection = socket && services.connectionOf(socket);
    const ip = wsConnection ? wsConnection.ip : services.clientAddress(req);
    const identity = identityOf(caller === OPEN ? null : caller, token, ip);
    // Over WebSocket the transport spends from the caller's budget per frame; here, per request.
    if (!socket && !services.callerBudgets.of(identity).take()) {
      services.rejected.requests++;
      // The mutations of a refused request are audited as refused (batched, without input).
      for (const call of info.calls ?? []) {
        if (call.procedure?._def.type !== 'mutation') continue;
        services.audit.refused({ ts: Date.now(), who: caller?.id ?? '-', name: caller?.name ?? null, role: caller?.role ?? null, address: ip, path: call.path, input: undefined, code: 'TOO_MANY_REQUESTS', eventId: null });
      }
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `more than ${services.limits.callerRequestsPerSecond} requests/s (burst ${services.limits.callerRequestBurst}) from this caller`,
      });
    }
    if (socket && wsConnection) {
      const { kind, agentId } = claimOf(info.connectionParams, caller?.role ?? null);
      services.presence.join(socket, { id: wsConnection.id, kind, agentId, role: caller?.role ?? null, name: caller?.name ?? null, address: ip, since: Date.now() });
      if (wsConnection instanceof SocketContext) {
        wsConnection.identify(caller, identity);
        return wsConnection as unknown as Context;
      }
    } else if (info.type === 'subscription' && !('bufferedAmount' in res)) {
      // An SSE stream is one subscription held open by its own response: present until it closes.
      const { kind, agentId } = claimOf(info.connectionParams, caller?.role ?? null);
      services.presence.join(res, { id: `sse-${++sseIds}`, kind, agentId, role: caller?.role ?? null, name: caller?.name ?? null, address: ip, since: Date.now() });
    }
    const connection = wsConnection ?? httpConnection(identity, ip);
    return new ConnectionContext(caller, identity, connection, res) as unknown as Context;
  };
  return Object.assign(createContext, {
    /** A WebSocket's connection record, for the upgrade to make (`UpgradeOptions.record`): the connection's context once it is made. */
    socketRecord: (id: string, ip: string, socket: WebSocket): Connection => new SocketContext(id, ip, socket),
  });
}

export function newBucket(limits: Limits): TokenBucket {
  return new TokenBucket(limits.mutationsPerSecond, limits.mutationBurst);
}
