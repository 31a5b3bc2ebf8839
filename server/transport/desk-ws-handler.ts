import type { IncomingMessage } from 'node:http';
import {
  callTRPCProcedure,
  getErrorShape,
  getTRPCErrorFromUnknown,
  transformTRPCResponse,
  TRPCError,
  type AnyRouter,
} from '@trpc/server';
import { jsonEncoder } from '@trpc/server/adapters/ws';
import { parseConnectionParamsFromUnknown } from '@trpc/server/http';
import { isObservable } from '@trpc/server/observable';
import type { TRPCClientOutgoingMessage, TRPCResponseMessage } from '@trpc/server/rpc';
import { isAsyncIterable, isObject, isTrackedEnvelope } from '@trpc/server/unstable-core-do-not-import';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import type { ZodType } from 'zod';
import { atTime, endsOnExpiry } from '../auth/expiry';
import type { Role } from '../auth/tokens';
import type { Context } from '../context';
import type { TokenBucket } from '../limits/token-bucket';
import { usesDeltas, type StreamPlan } from '../hub/stream';
import type { DeltaMode } from '../hub/subscriber';
import { requestUrl } from '../net/request-target';
import { catchUpTo, deskStreamOf, openSubscription, wantsReplay, type DeskStream } from '../routers/stream-procedure';
import { assertRole } from '../trpc';
import { Delivery, DELIVERY_STATE_BITS } from './delivery';
import { directMutationOf, runDirectMutation, type MutationOutlet } from './direct-mutation';
import type { ByteBudget } from './byte-budget';
import { FastSubscription, PayloadShares, shareKeyOf, type SharedPayload } from './fast-subscription';
import { PackedFrames } from './packed-frames';
import { createFlusher, type Flusher } from './flusher';
import { answerFrame, RECONNECT_FRAME, sharedHead, stateFrame, type RequestId } from './frames';
import { frameSocketOf, writeText } from './raw-frames';
import { createHeartbeat, type Beat, type BeatStore } from './heartbeat';
import { createTurnCorks, type TurnCorks } from './turn-cork';
import { createSliceLoop, type SliceLoop } from './inbox';
import { iterateSubscription } from './iterate-subscription';
import { livesIn, liveOf, withLive, withoutLive, type Lives } from './lives';
import { unpackFrame } from './protocol';
import { Refusals } from './refusals';
import type { SocketHooks } from './upgrade';

// How far the connection's context is, in bits of its state above the delivery's: none of them,
// not asked for yet (the connection params frame may be awaited); STARTED alone, being made; with
// READY, made; with FAILED, failed (its error in the handler's `failures`).
const CTX_STARTED = 1 << DELIVERY_STATE_BITS;
const CTX_READY = 2 << DELIVERY_STATE_BITS;
const CTX_FAILED = 4 << DELIVERY_STATE_BITS;
/** The count of calls in flight is kept in the state's bits from here up (one small integer, not a field of its own). */
const IN_FLIGHT_SHIFT = DELIVERY_STATE_BITS + 3;

/** The signal of every query and mutation: they are never aborted once they run. */
const NEVER_ABORTED = new AbortController().signal;

type Heartbeat = ReturnType<typeof createHeartbeat>;

const OPEN = 1;

/** `req` is the upgrade request until the connection's context exists; it is not kept after that. */
type OnError = (opts: { error: TRPCError; path: string | undefined; type: string; ctx: any; req: IncomingMessage | undefined; input: unknown }) => void;

/** What one connection may ask of the server at once and over time. */
export interface RequestBounds {
  /** Calls in one batch frame; the rest of the batch is answered TOO_MANY_REQUESTS. @default 100 */
  maxBatch: number;
  /** Calls awaiting their answer (or a subscription its start); more wait, unread. @default 32 */
  maxInFlight: number;
  /** Frames and calls per second, sustained; past it the socket is not read until the budget refills. @default 1000 */
  perSecond: number;
  /** Frames and calls allowed in a burst. @default 2000 */
  burst: number;
  /** Outgoing bytes buffered above which requests wait (answers count as streams do). @default 1 MiB */
  highWaterMark: number;
}

const DEFAULT_BOUNDS: RequestBounds = { maxBatch: 100, maxInFlight: 32, perSecond: 1000, burst: 2000, highWaterMark: 1024 * 1024 };

/** A refusal decided before a call runs; answered with a prepared frame, no error object. */
export interface EarlyRefusal {
  code: 'UNAUTHORIZED' | 'FORBIDDEN' | 'TOO_MANY_REQUESTS';
  message: string;
}

type CallType = 'query' | 'mutation' | 'subscription';

export interface DeskWSHandlerOptions {
  wss: WebSocketServer;
  router: AnyRouter;
  createContext: (opts: { req: IncomingMessage; res: WebSocket; info: any }) => unknown;
  onError?: OnError;
  keepAlive?: { enabled: boolean; pingMs?: number; pongWaitMs?: number };
  /** Bounds per connection; absent fields take the defaults. */
  requests?: Partial<RequestBounds>;
  /**
   * The budget every connection of one caller spends from as well as its own: `ctx` is undefined
   * until the context is made (the client's address then), the caller's afterwards. Null: none.
   */
  sharedBudget?: (ctx: unknown, req: IncomingMessage, socket: WebSocket) => TokenBucket | null;
  /** Counts what the bounds turned away: calls past the batch limit, and pauses for a spent budget. */
  onLimit?: (limit: 'batch' | 'budget', count: number) => void;
  /**
   * Where the handler hears of a socket's close and errors: through the upgrade's one listener of
   * each (`createUpgradeHandler().sockets`) instead of listeners of its own on every socket.
   */
  sockets?: SocketHooks;
  /** A refusal known before the call runs (no token, a spent rate limit), answered cheaply. */
  precheck?: (ctx: unknown, type: CallType, path: string, meta: { role?: Role } | undefined, input: unknown) => EarlyRefusal | null;
}

/** True when the router sends data as plain JSON (no transformer), which the spliced frames assume. */
export function sendsPlainJson(router: AnyRouter): boolean {
  const probe = { probe: [1] };
  return router._def._config.transformer.output.serialize(probe) === probe;
}

/**
 * tRPC's WebSocket protocol, served by the desk itself. Everything but the desk's topic streams
 * goes through tRPC exactly as the stock adapter does it (connection params, context, middlewares,
 * input parsing, error shapes). A desk stream is checked as its procedure would be (role, input,
 * limits) and registered on the hub directly (`startDirect`); any other subscription runs its
 * procedure as the stock adapter does. The hub stages into a `FastSubscription`, connections are
 * flushed once per turn of the event loop, and subscribers of one topic + filter that got the same
 * commits send the same serialized payload with their own request id spliced in. Keep-alive runs
 * on one shared timer, and every socket shares one set of listeners: an idle connection costs its
 * socket, a small record and its subscriptions.
 */
export function applyDeskWSHandler(opts: DeskWSHandlerOptions) {
  const shared: Shared = {
    opts,
    bounds: { ...DEFAULT_BOUNDS, ...opts.requests },
    hasLazy: Object.keys((opts.router._def as { lazy?: object }).lazy ?? {}).length > 0,
    refusals: new Refusals(opts.router),
    slices: createSliceLoop(),
    shares: new PayloadShares(),
    flusher: createFlusher(),
    corks: createTurnCorks(),
    heartbeat: opts.keepAlive?.enabled
      ? createHeartbeat(opts.keepAlive.pingMs ?? 30_000, opts.keepAlive.pongWaitMs ?? 5_000, Date.now, opts.wss.clients ? beatsIn(opts.wss.clients) : undefined)
      : null,
    expiries: new Map(),
    signals: new WeakMap(),
    failures: new WeakMap(),
  };
  // What the connections share is on their prototype, not in a field of each.
  class HandlerConnection extends DeskConnection {
    protected get shared(): Shared {
      return shared;
    }
  }
  const hooks = opts.sockets;
  hooks?.onError((socket, cause) => connections.get(socket)?.onError(cause));
  hooks?.onClose((socket) => connections.get(socket)?.onClose());
  opts.wss.on('connection', (socket, req) => {
    connections.set(socket, new HandlerConnection(shared, socket, req));
    shared.heartbeat?.add(socket);
    socket.on('message', onSocketMessage);
    if (hooks) return;
    socket.on('error', onSocketError);
    socket.on('close', onSocketClose);
  });
  return {
    broadcastReconnectNotification() {
      for (const client of opts.wss.clients) if (client.readyState === OPEN) client.send(RECONNECT_FRAME);
    },
    shares: shared.shares,
  };
}

/** What every connection of one handler shares. */
interface Shared {
  opts: DeskWSHandlerOptions;
  bounds: RequestBounds;
  /** The router loads parts on first use (then only tRPC knows whether a path exists). */
  hasLazy: boolean;
  refusals: Refusals;
  slices: SliceLoop;
  shares: PayloadShares;
  flusher: Flusher;
  corks: TurnCorks;
  heartbeat: Heartbeat | null;
  /** The token-expiry timers of the streams that end when their token expires (most have none, and no field for it). */
  expiries: Map<DeskSubscription, () => void>;
  /** The signal a connection's context asked for (`info.signal`, aborted on close): few ask, so none has a field for it. */
  signals: WeakMap<DeskConnection, AbortController>;
  /** Why a connection's context could not be made (its requests are answered with it). */
  failures: WeakMap<DeskConnection, TRPCError>;
}

// One set of socket listeners for every connection, instead of closures per socket.
const connections = new WeakMap<WebSocket, DeskConnection>();

/** Keep-alive's number for each socket, in the socket's connection; the server's client set lists the sockets. */
function beatsIn(clients: Set<WebSocket>): BeatStore {
  return {
    get: (socket) => connections.get(socket)?.beat ?? undefined,
    set(socket, beat) {
      const connection = connections.get(socket);
      if (connection !== undefined) connection.beat = beat;
    },
    delete(socket) {
      const connection = connections.get(socket);
      if (connection !== undefined) connection.beat = null;
    },
    *entries() {
      for (const socket of clients) {
        const beat = connections.get(socket)?.beat;
        if (beat != null) yield [socket, beat];
      }
    },
  };
}
function onSocketMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  connections.get(this)?.onMessage(data, isBinary);
}
function onSocketError(this: WebSocket, cause: Error): void {
  connections.get(this)?.onError(cause);
}
function onSocketClose(this: WebSocket): void {
  connections.get(this)?.onClose();
}

type Live = FastSubscription<unknown> | AbortController;
type DeskProcedure = { _def: { type: string; meta?: { role?: Role }; inputs: ZodType[] } };

/**
 * A desk stream of one connection: what its end needs (request id and `jsonrpc`, from its frame
 * head) without a closure and its captured scope per subscription; a token-expiry timer, for the
 * few that have one, in the handler's `expiries`.
 */
class DeskSubscription extends FastSubscription<unknown> {
  constructor(plan: StreamPlan<unknown>, requestId: RequestId, jsonrpc: '2.0' | undefined, connection: DeskConnection, share: SharedPayload) {
    super(plan, sharedHead(requestId, jsonrpc), connection, share);
  }

  get requestId(): RequestId {
    return this.head.requestId;
  }

  get jsonrpc(): '2.0' | undefined {
    return this.head.jsonrpc;
  }

  protected override released(): void {
    // Its outlet is its connection (one field for both).
    (this.outlet as DeskConnection).streamStopped(this);
  }
}

/**
 * One connection: its input and output (the `Delivery` and `Inbox` it is), its streams and calls,
 * and its context. Each handler's connections are of a subclass of its own that has what they
 * share (`shared`) on its prototype.
 */
abstract class DeskConnection extends Delivery<TRPCClientOutgoingMessage> implements MutationOutlet {
  /** Created with the first subscription, the first direct stream, the first call for the signal. */
  private subscriptions: Lives<DeskSubscription> = null;
  /**
   * The upgrade request until the context is made from it, then the context: one field for both,
   * as the one goes when the other comes (`CTX_READY` says which it holds). Requests wait while
   * the context is being made (from the upgrade, or from the connection params frame).
   */
  private reqOrCtx: unknown;
  /** The budget shared with the caller's other connections (its address's until the context is made). */
  private byCaller: TokenBucket | null;
  /** Keep-alive's number for the socket (`heartbeat.ts`), here rather than in a table of its own; null: not kept alive. */
  beat: Beat | null = null;

  protected abstract get shared(): Shared;

  /** Calls started and not answered yet (`maxInFlight` and a batch at most): the state's bits from `IN_FLIGHT_SHIFT` up. */
  private get inFlight(): number {
    return this.state >> IN_FLIGHT_SHIFT;
  }

  private set inFlight(n: number) {
    this.state = (this.state & ((1 << IN_FLIGHT_SHIFT) - 1)) | (n << IN_FLIGHT_SHIFT);
  }

  /** `shared` is the subclass's `shared` (which an abstract class may not read while it is made). */
  constructor(shared: Shared, socket: WebSocket, req: IncomingMessage) {
    super(socket);
    this.reqOrCtx = req;
    this.byCaller = shared.opts.sharedBudget?.(undefined, req, socket) ?? null;
    const query = requestUrl(req)?.searchParams;
    // The client asked for packed frames (`?frames=packed`).
    if (query?.get('frames') === 'packed') this.packed = new PackedFrames();
    const wantsParams = query?.get('connectionParams') === '1';
    if (!wantsParams) this.startCtx(() => null);
  }

  /** From the socket: queued, and run when budget, answers in flight and the outgoing buffer allow. */
  onMessage(data: RawData, isBinary: boolean): void {
    this.push(data, isBinary);
  }

  protected get rate(): RequestBounds {
    return this.shared.bounds;
  }

  protected spendShared(n: number): void {
    this.byCaller?.spend(n);
  }

  protected sharedWaitMs(): number {
    return this.byCaller?.waitMs() ?? 0;
  }

  protected pong(): void {
    this.shared.heartbeat?.seen(this.socket);
  }

  protected throttled(): void {
    this.opts.onLimit?.('budget', 1);
  }

  protected blocked(): boolean {
    return (
      (this.state & (CTX_STARTED | CTX_READY | CTX_FAILED)) === CTX_STARTED ||
      this.inFlight >= this.shared.bounds.maxInFlight ||
      this.socket.bufferedAmount > this.shared.bounds.highWaterMark
    );
  }

  private settled(): void {
    this.inFlight--;
    this.wake();
  }

  private get opts(): DeskWSHandlerOptions {
    return this.shared.opts;
  }

  /** The context, once made. */
  private get ctx(): unknown {
    return this.state & CTX_READY ? this.reqOrCtx : undefined;
  }

  /** The upgrade request, until the context is made from it. */
  private get req(): IncomingMessage | null {
    return this.state & CTX_READY ? null : (this.reqOrCtx as IncomingMessage);
  }

  onError(cause: Error): void {
    this.opts.onError?.({ ctx: this.ctx, error: getTRPCErrorFromUnknown(cause), input: undefined, path: undefined, type: 'unknown', req: this.req ?? undefined });
  }

  // ---- protocol -------------------------------------------------------------------------------

  private refuse(id: RequestId | null, jsonrpc: unknown, code: Parameters<Refusals['frame']>[2], message: string, path?: string): void {
    if (this.socket.readyState === OPEN) this.socket.send(this.shared.refusals.frame(id, jsonrpc, code, message, path));
  }

  private respond(message: TRPCResponseMessage): void {
    // Answers that settle in one turn (a group commit's) leave in one write.
    this.shared.corks.hold(this.socket);
    this.socket.send(jsonEncoder.encode(transformTRPCResponse(this.opts.router._def._config, message)));
  }

  /** An answer frame, written to the TCP socket as one chunk where `ws` would write the same bytes in two. */
  private answer(frame: string): void {
    this.shared.corks.hold(this.socket);
    const direct = frameSocketOf(this.socket);
    if (direct !== null) writeText(direct, frame);
    else this.socket.send(frame);
  }

  private errorShape(error: TRPCError, type: string, path: string | undefined, input: unknown) {
    return getErrorShape({ config: this.opts.router._def._config, error, type: type as 'unknown', path, input, ctx: this.ctx });
  }

  private fail(id: RequestId | null, jsonrpc: '2.0' | undefined, cause: unknown, type: string, path: string | undefined, input: unknown): void {
    const error = getTRPCErrorFromUnknown(cause);
    this.opts.onError?.({ error, path, type, ctx: this.ctx, req: this.req ?? undefined, input });
    if (this.socket.readyState !== OPEN) return;
    this.respond({ id, jsonrpc, error: this.errorShape(error, type, path, input) } as TRPCResponseMessage);
  }

  /** Makes the context; requests wait (`blocked`) until it is there. The promise is not kept. */
  private startCtx(getConnectionParams: () => Record<string, string | undefined> | null): void {
    this.state |= CTX_STARTED;
    void this.createCtx(getConnectionParams);
  }

  private async createCtx(getConnectionParams: () => Record<string, string | undefined> | null): Promise<void> {
    try {
      const connection = this;
      const signals = this.shared.signals;
      const ctx = await this.opts.createContext({
        req: this.req!,
        res: this.socket,
        info: {
          connectionParams: getConnectionParams(),
          calls: [],
          isBatchCall: false,
          accept: null,
          type: 'unknown',
          // Aborts when the connection closes; made only if the context asks for it.
          get signal() {
            let closed = signals.get(connection);
            if (closed === undefined) signals.set(connection, (closed = new AbortController()));
            return closed.signal;
          },
          url: null,
        },
      });
      this.byCaller = this.opts.sharedBudget?.(ctx, this.req!, this.socket) ?? null;
      this.reqOrCtx = ctx;
      this.state |= CTX_READY;
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      this.fail(null, undefined, error, 'unknown', undefined, undefined);
      setImmediate(() => this.socket.close());
      this.shared.failures.set(this, error);
      this.state |= CTX_FAILED;
    }
    this.wake();
  }

  /** One frame: PING answered, the connection params taken, junk refused; the calls it carries returned. */
  protected unpack(rawData: RawData, isBinary: boolean): TRPCClientOutgoingMessage[] {
    if (!isBinary && Buffer.isBuffer(rawData) && rawData.length === 4 && String(rawData) === 'PING') {
      this.socket.send('PONG');
      return [];
    }
    if (!Buffer.isBuffer(rawData)) {
      this.refuse(null, undefined, 'UNPROCESSABLE_CONTENT', 'Unexpected WebSocket message format');
      return [];
    }
    const data: string | Uint8Array = isBinary ? rawData : rawData.toString('utf8');
    if ((this.state & CTX_STARTED) === 0) {
      this.startCtx(() => {
        let msg: unknown;
        try {
          msg = jsonEncoder.decode(data);
          if (!isObject(msg)) throw new Error('Message was not an object');
        } catch (cause) {
          throw new TRPCError({ code: 'PARSE_ERROR', message: `Malformed TRPCConnectionParamsMessage`, cause });
        }
        return parseConnectionParamsFromUnknown((msg as { data?: unknown }).data);
      });
      return [];
    }
    const unpacked = unpackFrame(this.opts.router, data, this.shared.bounds.maxBatch);
    if (!unpacked.ok) {
      this.refuse(null, undefined, unpacked.code, unpacked.message);
      return [];
    }
    if (unpacked.overflow.length > 0) {
      const message = `at most ${this.shared.bounds.maxBatch} calls per batch; this call was not run`;
      for (const msg of unpacked.overflow) if (msg.id !== null) this.refuse(msg.id, msg.jsonrpc, 'TOO_MANY_REQUESTS', message);
      this.opts.onLimit?.('batch', unpacked.overflow.length);
    }
    return unpacked.messages;
  }

  protected run(msg: TRPCClientOutgoingMessage): void {
    this.handleRequest(msg, 0);
  }

  private handleRequest(msg: TRPCClientOutgoingMessage, batchIndex: number): void {
    const { id, jsonrpc } = msg;
    if (id === null) {
      this.refuse(null, jsonrpc, 'PARSE_ERROR', '`id` is required');
      return;
    }
    if (msg.method === 'subscription.stop') {
      const live = liveOf(this.subscriptions, id);
      if (live instanceof AbortController) live.abort();
      else live?.stop();
      return;
    }
    const { path, lastEventId } = msg.params;
    let { input } = msg.params;
    const type = msg.method;
    if ((this.state & CTX_READY) === 0) {
      // Requests run only once the context is there or failed (`blocked`).
      this.fail(id, jsonrpc, this.shared.failures.get(this)!, type, path, input);
      return;
    }
    const procedures = this.opts.router._def.procedures as Record<string, DeskProcedure | undefined>;
    const procedure = Object.hasOwn(procedures, path) ? procedures[path] : undefined;
    // Lazy routers load on first use: only tRPC can say a path is missing then.
    if ((procedure === undefined && !this.shared.hasLazy) || (procedure !== undefined && procedure._def.type !== type)) {
      this.refuse(id, jsonrpc, 'NOT_FOUND', `No "${type}"-procedure on path "${path.slice(0, 200)}"`);
      return;
    }
    const early = this.opts.precheck?.(this.ctx, type, path, procedure?._def.meta, input);
    if (early) {
      // Named as the procedure's own refusal would be.
      this.refuse(id, jsonrpc, early.code, early.message, path);
      return;
    }
    if (lastEventId !== undefined) {
      if (isObject(input)) input = { ...input, lastEventId };
      else input ??= { lastEventId };
    }
    this.inFlight++;
    const direct = type === 'mutation' ? directMutationOf(procedure) : null;
    if (direct !== null) {
      runDirectMutation(this.ctx as Context, direct, path, input, this, id, jsonrpc);
      return;
    }
    const stream = type === 'subscription' && !wantsReplay(input) ? deskStreamOf(procedure) : undefined;
    if (stream && procedure) {
      this.startDirect(id, jsonrpc, input, procedure._def, stream)
        .catch((cause) => this.fail(id, jsonrpc, cause, type, path, input))
        .finally(() => this.settled());
      return;
    }
    void (async () => {
      // Per subscription, as the stock adapter does: it stops by it. Nothing aborts a query or a
      // mutation once it runs, so they share one signal that never fires (an AbortSignal costs µs).
      const aborter = type === 'subscription' ? new AbortController() : null;
      const signal = aborter?.signal ?? NEVER_ABORTED;
      const result = await callTRPCProcedure({
        router: this.opts.router,
        path,
        getRawInput: async () => input,
        ctx: this.ctx,
        type,
        signal,
        batchIndex,
      });
      const iterable = isAsyncIterable(result) || isObservable(result);
      if (type !== 'subscription') {
        if (iterable) {
          throw new TRPCError({
            code: 'UNSUPPORTED_MEDIA_TYPE',
            message: `Cannot return an async iterable or observable from a ${type} procedure with WebSockets`,
          });
        }
        if (this.socket.readyState === OPEN) this.respond({ id, jsonrpc, result: { type: 'data', data: result } });
        return;
      }
      if (!iterable) {
        throw new TRPCError({ message: `Subscription ${path} did not return an observable or a AsyncGenerator`, code: 'INTERNAL_SERVER_ERROR' });
      }
      if (this.socket.readyState !== OPEN) return;
      if (liveOf(this.subscriptions, id) !== undefined) throw new TRPCError({ message: `Duplicate id ${id}`, code: 'BAD_REQUEST' });
      this.startSubscription(id, jsonrpc, path, input, result, aborter!);
    })()
      .catch((cause) => this.fail(id, jsonrpc, cause, type, path, input))
      .finally(() => this.settled());
  }

  /** A direct mutation's answer (`runDirectMutation`), as the procedure call's would go. */
  mutated(id: RequestId, jsonrpc: '2.0' | undefined, data: unknown, path: string, input: unknown): void {
    try {
      if (this.socket.readyState === OPEN) this.answer(answerFrame(id, jsonrpc, data));
    } catch (cause) {
      this.fail(id, jsonrpc, cause, 'mutation', path, input);
    }
    this.settled();
  }

  mutationFailed(id: RequestId, jsonrpc: '2.0' | undefined, error: TRPCError, path: string, input: unknown): void {
    this.fail(id, jsonrpc, error, 'mutation', path, input);
    this.settled();
  }

  /**
   * A desk stream without running its procedure: the same role check, input validation,
   * subscription limit and catch-up as the procedure's middlewares and body, then the topic is
   * delivered straight from the hub — no generator, promise chain or abort signal per subscription.
   */
  private async startDirect(
    id: RequestId,
    jsonrpc: '2.0' | undefined,
    rawInput: unknown,
    def: { meta?: { role?: Role }; inputs: ZodType[] },
    stream: DeskStream,
  ): Promise<void> {
    const ctx = this.ctx as Context;
    assertRole(ctx, def.meta?.role);
    let input: Record<string, unknown> = {};
    for (const parser of def.inputs) {
      const parsed = await parser.safeParseAsync(rawInput);
      if (!parsed.success) throw new TRPCError({ code: 'BAD_REQUEST', cause: parsed.error });
      input = { ...input, ...(parsed.data as object) };
    }
    const options = input as { lastEventId?: string | null; maxHz?: number; limit?: number; deltas?: DeltaMode };
    await catchUpTo(ctx, options.lastEventId);
    if (this.socket.readyState !== OPEN) return;
    if (liveOf(this.subscriptions, id) !== undefined) throw new TRPCError({ message: `Duplicate id ${id}`, code: 'BAD_REQUEST' });
    openSubscription(ctx);
    const topic = stream.pick(ctx.desk.topics);
    const filter = stream.filter(input as never);
    const plan: StreamPlan<unknown> = {
      hub: ctx.desk.hub,
      topic,
      options: { filter, lastEventId: options.lastEventId, maxHz: options.maxHz, limit: options.limit, deltas: options.deltas },
    };
    this.budget ??= ctx.budget() as ByteBudget<FastSubscription<unknown>> | null;
    const share = this.shared.shares.acquire(plan.hub, topic, shareKeyOf(filter.key, usesDeltas(topic, plan.options)), filter);
    const sub = new DeskSubscription(plan, id, jsonrpc, this, share);
    this.subscriptions = withLive(this.subscriptions, id, sub);
    this.socket.send(stateFrame(id, jsonrpc, 'started'));
    this.socket.send(sub.start(options.lastEventId));
    const caller = ctx.caller;
    if (endsOnExpiry(caller, def.meta?.role)) {
      const role = def.meta?.role;
      this.shared.expiries.set(sub, atTime(caller.expiresAt, () => this.expire(id, jsonrpc, sub, role)));
    }
  }

  protected isCongested(): boolean {
    return (this.ctx as Context).isCongested();
  }

  protected get loop(): SliceLoop {
    return this.shared.slices;
  }

  protected get flusher(): Flusher {
    return this.shared.flusher;
  }

  /** A direct stream stopped: the connection's count, then `stopped` (unless it ended with an error). */
  streamStopped(sub: DeskSubscription): void {
    const expiry = this.shared.expiries.get(sub);
    if (expiry !== undefined) {
      this.shared.expiries.delete(sub);
      expiry();
    }
    (this.ctx as Context).connection.subscriptions--;
    this.ended(sub.requestId, sub.jsonrpc, sub);
  }

  /** Ends a stream above viewing whose token just expired, with an error instead of `stopped`. */
  private expire(id: RequestId, jsonrpc: '2.0' | undefined, live: Live, role: Role | undefined): void {
    if (liveOf(this.subscriptions, id) !== live) return;
    this.subscriptions = withoutLive(this.subscriptions, id);
    const error = new TRPCError({ code: 'UNAUTHORIZED', message: `the token has expired; this ${role} stream has ended` });
    this.fail(id, jsonrpc, error, 'subscription', undefined, undefined);
    if (live instanceof AbortController) live.abort();
    else live.stop();
  }

  /** A subscription that is not a desk stream, run as the stock adapter runs it. */
  private startSubscription(id: RequestId, jsonrpc: '2.0' | undefined, path: string, input: unknown, result: unknown, aborter: AbortController): void {
    this.subscriptions = withLive(this.subscriptions, id, aborter);
    iterateSubscription(result, aborter, {
      data: (value) => {
        if (isTrackedEnvelope(value)) {
          const [eventId, data] = value;
          this.respond({ id, jsonrpc, result: { type: 'data', data: { id: eventId, data }, id: eventId } } as TRPCResponseMessage);
        } else this.respond({ id, jsonrpc, result: { type: 'data', data: value } });
      },
      error: (cause) => this.fail(id, jsonrpc, cause, 'subscription', path, input),
      end: (cleanly) => {
        if (cleanly) this.ended(id, jsonrpc, aborter);
        else if (liveOf(this.subscriptions, id) === aborter) this.subscriptions = withoutLive(this.subscriptions, id);
      },
    });
    this.socket.send(stateFrame(id, jsonrpc, 'started'));
  }

  private ended(id: RequestId, jsonrpc: '2.0' | undefined, live: Live): void {
    // A stream that was ended with an error (`expire`) is already off the map and gets no `stopped`.
    if (this.subscriptions !== null && liveOf(this.subscriptions, id) !== live) return;
    this.socket.send(stateFrame(id, jsonrpc, 'stopped'));
    this.subscriptions = withoutLive(this.subscriptions, id);
  }

  onClose(): void {
    this.stopReading();
    this.shared.heartbeat?.remove(this.socket);
    const subscriptions = this.subscriptions;
    this.subscriptions = null;
    for (const live of livesIn(subscriptions)) {
      if (live instanceof AbortController) live.abort();
      else live.stop();
    }
    this.stopWriting();
    const closed = this.shared.signals.get(this);
    if (closed !== undefined) {
      this.shared.signals.delete(this);
      closed.abort();
    }
  }
}
