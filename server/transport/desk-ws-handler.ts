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
import { parseTRPCMessage, type TRPCClientOutgoingMessage, type TRPCResponseMessage } from '@trpc/server/rpc';
import { isAsyncIterable, isObject, isTrackedEnvelope } from '@trpc/server/unstable-core-do-not-import';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import type { ZodType } from 'zod';
import { atTime, endsOnExpiry } from '../auth/expiry';
import type { Role } from '../auth/tokens';
import type { Context } from '../context';
import type { StreamPlan } from '../hub/stream';
import { requestUrl } from '../net/request-target';
import { catchUpTo, deskStreamOf, openSubscription, type DeskStream } from '../routers/stream-procedure';
import { assertRole } from '../trpc';
import { FastSubscription, PayloadShares, type Outlet } from './fast-subscription';
import { createFlusher, type Flusher } from './flusher';
import { dataFrameHead, RECONNECT_FRAME, stateFrame, type RequestId } from './frames';
import { createHeartbeat } from './heartbeat';
import { iterateSubscription } from './iterate-subscription';

type Heartbeat = ReturnType<typeof createHeartbeat>;

const OPEN = 1;
const CONGESTION_POLL_MS = 20;

/** `req` is the upgrade request until the connection's context exists; it is not kept after that. */
type OnError = (opts: { error: TRPCError; path: string | undefined; type: string; ctx: any; req: IncomingMessage | undefined; input: unknown }) => void;

export interface DeskWSHandlerOptions {
  wss: WebSocketServer;
  router: AnyRouter;
  createContext: (opts: { req: IncomingMessage; res: WebSocket; info: any }) => unknown;
  onError?: OnError;
  keepAlive?: { enabled: boolean; pingMs?: number; pongWaitMs?: number };
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
    shares: new PayloadShares(),
    flusher: createFlusher(),
    heartbeat: opts.keepAlive?.enabled ? createHeartbeat(opts.keepAlive.pingMs ?? 30_000, opts.keepAlive.pongWaitMs ?? 5_000) : null,
  };
  opts.wss.on('connection', (socket, req) => {
    connections.set(socket, new DeskConnection(shared, socket, req));
    socket.on('message', onSocketMessage);
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
  shares: PayloadShares;
  flusher: Flusher;
  heartbeat: Heartbeat | null;
}

// One set of socket listeners for every connection, instead of closures per socket.
const connections = new WeakMap<WebSocket, DeskConnection>();
function onSocketMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  connections.get(this)?.onMessage(data, isBinary);
}
function onSocketError(this: WebSocket, cause: Error): void {
  connections.get(this)?.onError(cause);
}
function onSocketClose(this: WebSocket): void {
  connections.get(this)?.onClose();
}

const EMPTY_BATCH = 'empty batch';

type Live = FastSubscription<unknown> | AbortController;

class DeskConnection implements Outlet {
  /** Created with the first subscription, the first flush, the first call for the signal. */
  private subscriptions: Map<RequestId, Live> | null = null;
  private dirty: FastSubscription<unknown>[] | null = null;
  private closed: AbortController | null = null;
  private ctx: unknown = undefined;
  private ctxPromise: Promise<{ ok: true } | { ok: false; error: TRPCError }> | null = null;
  private flushQueued = false;
  private congestion: ReturnType<typeof setTimeout> | null = null;
  /** The upgrade request, until the context is made from it. */
  private req: IncomingMessage | null;

  constructor(
    private readonly shared: Shared,
    private readonly socket: WebSocket,
    req: IncomingMessage,
  ) {
    this.req = req;
    shared.heartbeat?.add(socket);
    const wantsParams = requestUrl(req)?.searchParams.get('connectionParams') === '1';
    if (!wantsParams) this.ctxPromise = this.createCtx(() => null);
  }

  private get opts(): DeskWSHandlerOptions {
    return this.shared.opts;
  }

  onError(cause: Error): void {
    this.opts.onError?.({ ctx: this.ctx, error: getTRPCErrorFromUnknown(cause), input: undefined, path: undefined, type: 'unknown', req: this.req ?? undefined });
  }

  // ---- delivery -------------------------------------------------------------------------------

  enqueue(subscription: FastSubscription<unknown>): void {
    (this.dirty ??= []).push(subscription);
    if (!this.flushQueued && this.congestion === null) {
      this.flushQueued = true;
      this.shared.flusher.schedule(this);
    }
  }

  /** Sends one frame per subscription with something pending, until the socket is congested. */
  flush(): void {
    this.flushQueued = false;
    const dirty = this.dirty;
    this.dirty = null;
    if (dirty === null) return;
    if (this.socket.readyState !== OPEN) {
      for (const sub of dirty) sub.queued = false;
      return;
    }
    const raw = dirty.length > 1 ? (this.socket as unknown as { _socket?: { cork(): void; uncork(): void } })._socket : undefined;
    raw?.cork();
    let i = 0;
    for (; i < dirty.length; i++) {
      const sub = dirty[i]!;
      if (sub.stopped || !sub.hasPending) {
        sub.queued = false;
        continue;
      }
      if (sub.holdBack()) {
        sub.queued = false;
        continue;
      }
      // Over the high-water mark: delivery waits, and state topics conflate meanwhile.
      if ((this.ctx as Context).isCongested()) break;
      sub.queued = false;
      const frame = sub.nextFrame();
      if (frame !== null) this.socket.send(frame);
    }
    raw?.uncork();
    if (i < dirty.length) {
      const rest = dirty.slice(i);
      this.dirty = this.dirty === null ? rest : rest.concat(this.dirty);
      this.congestion = setTimeout(() => {
        this.congestion = null;
        if (this.dirty !== null && !this.flushQueued) {
          this.flushQueued = true;
          this.shared.flusher.schedule(this);
        }
      }, CONGESTION_POLL_MS);
    }
  }

  // ---- protocol -------------------------------------------------------------------------------

  private respond(message: TRPCResponseMessage): void {
    this.socket.send(jsonEncoder.encode(transformTRPCResponse(this.opts.router._def._config, message)));
  }

  private errorShape(error: TRPCError, type: string, path: string | undefined, input: unknown) {
    return getErrorShape({ config: this.opts.router._def._config, error, type: type as 'unknown', path, input, ctx: this.ctx });
  }

  private fail(id: RequestId | null, jsonrpc: '2.0' | undefined, cause: unknown, type: string, path: string | undefined, input: unknown): void {
    const error = getTRPCErrorFromUnknown(cause);
    this.opts.onError?.({ error, path, type, ctx: this.ctx, req: this.req ?? undefined, input });
    this.respond({ id, jsonrpc, error: this.errorShape(error, type, path, input) } as TRPCResponseMessage);
  }

  private async createCtx(getConnectionParams: () => Record<string, string | undefined> | null) {
    try {
      const connection = this;
      this.ctx = await this.opts.createContext({
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
            return (connection.closed ??= new AbortController()).signal;
          },
          url: null,
        },
      });
      this.req = null;
      return { ok: true as const };
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      this.fail(null, undefined, error, 'unknown', undefined, undefined);
      setImmediate(() => this.socket.close());
      return { ok: false as const, error };
    }
  }

  onMessage(rawData: unknown, isBinary: boolean): void {
    this.shared.heartbeat?.seen(this.socket);
    if (!isBinary) {
      const text = String(rawData);
      if (text === 'PONG') return;
      if (text === 'PING') {
        this.socket.send('PONG');
        return;
      }
    }
    if (!Buffer.isBuffer(rawData)) {
      const error = new TRPCError({ code: 'UNPROCESSABLE_CONTENT', message: 'Unexpected WebSocket message format' });
      this.respond({ id: null, error: this.errorShape(error, 'unknown', undefined, undefined) } as TRPCResponseMessage);
      return;
    }
    const data: string | Uint8Array = isBinary ? rawData : rawData.toString('utf8');
    if (!this.ctxPromise) {
      this.ctxPromise = this.createCtx(() => {
        let msg: unknown;
        try {
          msg = jsonEncoder.decode(data);
          if (!isObject(msg)) throw new Error('Message was not an object');
        } catch (cause) {
          throw new TRPCError({ code: 'PARSE_ERROR', message: `Malformed TRPCConnectionParamsMessage`, cause });
        }
        return parseConnectionParamsFromUnknown((msg as { data?: unknown }).data);
      });
      return;
    }
    let messages: TRPCClientOutgoingMessage[];
    try {
      const json: unknown = jsonEncoder.decode(data);
      const list: unknown[] = Array.isArray(json) ? json : [json];
      if (list.length === 0) throw new Error(EMPTY_BATCH);
      messages = list.map((raw) => parseTRPCMessage(raw, this.opts.router._def._config.transformer));
    } catch (cause) {
      const error = new TRPCError({ code: 'PARSE_ERROR', message: cause instanceof Error && cause.message === EMPTY_BATCH ? EMPTY_BATCH : undefined, cause });
      this.respond({ id: null, error: this.errorShape(error, 'unknown', undefined, undefined) } as TRPCResponseMessage);
      return;
    }
    messages.forEach((msg, index) => this.handleRequest(msg, index));
  }

  private handleRequest(msg: TRPCClientOutgoingMessage, batchIndex: number): void {
    const { id, jsonrpc } = msg;
    if (id === null) {
      this.fail(id, jsonrpc, new TRPCError({ code: 'PARSE_ERROR', message: '`id` is required' }), 'unknown', undefined, undefined);
      return;
    }
    if (msg.method === 'subscription.stop') {
      const live = this.subscriptions?.get(id);
      if (live instanceof AbortController) live.abort();
      else live?.stop();
      return;
    }
    const { path, lastEventId } = msg.params;
    let { input } = msg.params;
    const type = msg.method;
    if (lastEventId !== undefined) {
      if (isObject(input)) input = { ...input, lastEventId };
      else input ??= { lastEventId };
    }
    const procedure = (this.opts.router._def.procedures as Record<string, { _def: { meta?: { role?: Role }; inputs: ZodType[] } }>)[path];
    const stream = type === 'subscription' ? deskStreamOf(procedure) : undefined;
    if (stream && procedure) {
      this.startDirect(id, jsonrpc, input, procedure._def, stream).catch((cause) => this.fail(id, jsonrpc, cause, type, path, input));
      return;
    }
    void (async () => {
      const ready = await this.ctxPromise!;
      if (!ready.ok) throw ready.error;
      // Per call, as the stock adapter does: a subscription stops by it.
      const aborter = new AbortController();
      const signal = aborter.signal;
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
        this.respond({ id, jsonrpc, result: { type: 'data', data: result } });
        return;
      }
      if (!iterable) {
        throw new TRPCError({ message: `Subscription ${path} did not return an observable or a AsyncGenerator`, code: 'INTERNAL_SERVER_ERROR' });
      }
      if (this.socket.readyState !== OPEN) return;
      if (this.subscriptions?.has(id)) throw new TRPCError({ message: `Duplicate id ${id}`, code: 'BAD_REQUEST' });
      this.startSubscription(id, jsonrpc, path, input, result, aborter);
    })().catch((cause) => this.fail(id, jsonrpc, cause, type, path, input));
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
    const ready = await this.ctxPromise!;
    if (!ready.ok) throw ready.error;
    const ctx = this.ctx as Context;
    assertRole(ctx, def.meta?.role);
    let input: Record<string, unknown> = {};
    for (const parser of def.inputs) {
      const parsed = await parser.safeParseAsync(rawInput);
      if (!parsed.success) throw new TRPCError({ code: 'BAD_REQUEST', cause: parsed.error });
      input = { ...input, ...(parsed.data as object) };
    }
    const options = input as { lastEventId?: string | null; maxHz?: number; limit?: number };
    await catchUpTo(ctx, options.lastEventId);
    if (this.socket.readyState !== OPEN) return;
    if (this.subscriptions?.has(id)) throw new TRPCError({ message: `Duplicate id ${id}`, code: 'BAD_REQUEST' });
    openSubscription(ctx);
    const topic = stream.pick(ctx.desk.topics);
    const filter = stream.filter(input as never);
    const plan: StreamPlan<unknown> = {
      hub: ctx.desk.hub,
      topic,
      options: { filter, lastEventId: options.lastEventId, maxHz: options.maxHz, limit: options.limit },
    };
    const shares = this.shared.shares;
    let cancelExpiry: (() => void) | null = null;
    const sub: FastSubscription<unknown> = new FastSubscription<unknown>(plan, dataFrameHead(id, jsonrpc), this, shares, shares.acquire(topic, filter.key), () => {
      cancelExpiry?.();
      ctx.connection.subscriptions--;
      this.ended(id, jsonrpc, sub);
    });
    (this.subscriptions ??= new Map()).set(id, sub);
    this.socket.send(stateFrame(id, jsonrpc, 'started'));
    this.socket.send(sub.start(options.lastEventId));
    const caller = ctx.caller;
    if (endsOnExpiry(caller, def.meta?.role)) {
      cancelExpiry = atTime(caller.expiresAt, () => this.expire(id, jsonrpc, sub, def.meta?.role));
    }
  }

  /** Ends a stream above viewing whose token just expired, with an error instead of `stopped`. */
  private expire(id: RequestId, jsonrpc: '2.0' | undefined, live: Live, role: Role | undefined): void {
    if (this.subscriptions?.get(id) !== live) return;
    this.subscriptions.delete(id);
    const error = new TRPCError({ code: 'UNAUTHORIZED', message: `the token has expired; this ${role} stream has ended` });
    this.fail(id, jsonrpc, error, 'subscription', undefined, undefined);
    if (live instanceof AbortController) live.abort();
    else live.stop();
  }

  /** A subscription that is not a desk stream, run as the stock adapter runs it. */
  private startSubscription(id: RequestId, jsonrpc: '2.0' | undefined, path: string, input: unknown, result: unknown, aborter: AbortController): void {
    (this.subscriptions ??= new Map()).set(id, aborter);
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
        else if (this.subscriptions?.get(id) === aborter) this.subscriptions.delete(id);
      },
    });
    this.socket.send(stateFrame(id, jsonrpc, 'started'));
  }

  private ended(id: RequestId, jsonrpc: '2.0' | undefined, live: Live): void {
    // A stream that was ended with an error (`expire`) is already off the map and gets no `stopped`.
    if (this.subscriptions !== null && this.subscriptions.get(id) !== live) return;
    this.socket.send(stateFrame(id, jsonrpc, 'stopped'));
    this.subscriptions?.delete(id);
  }

  onClose(): void {
    this.shared.heartbeat?.remove(this.socket);
    const subscriptions = this.subscriptions;
    this.subscriptions = null;
    for (const live of subscriptions?.values() ?? []) {
      if (live instanceof AbortController) live.abort();
      else live.stop();
    }
    if (this.congestion !== null) clearTimeout(this.congestion);
    this.congestion = null;
    this.dirty = null;
    this.closed?.abort();
  }
}
