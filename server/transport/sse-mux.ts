import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getErrorShape, TRPCError, type AnyRouter } from '@trpc/server';
import { getHTTPStatusCodeFromError, parseConnectionParamsFromString } from '@trpc/server/http';
import { newBucket, type Connection, type Context } from '../context';
import { requestUrl } from '../net/request-target';
import { assertRole } from '../trpc';
import { readBody } from './read-body';
import { parseMuxRequest } from './sse-mux-request';
import { MuxStream, type MuxErrorHandler } from './sse-mux-stream';

type CreateContext = (opts: {
  req: IncomingMessage;
  res: ServerResponse;
  info: { connectionParams: Record<string, string | undefined> | null; type: string };
}) => Context;

export interface SseMuxOptions {
  router: AnyRouter;
  createContext: CreateContext;
  /** Open streams per client address. @default 1000 */
  maxStreamsPerAddress?: number;
  /** Largest control request body. @default 1048576 */
  maxBodyBytes?: number;
  /** How often each stream gets a ping (and is checked for a reader that stopped). @default 15000 */
  pingMs?: number;
  onError?: MuxErrorHandler;
}

/** The path of the multiplexed SSE endpoint: `GET` opens a stream, `POST` (un)subscribes on it. */
export const SSE_MUX_PATH = '/sse-mux';

/**
 * All of a client's subscriptions over one Server-Sent Events stream, for browsers that allow a
 * handful of connections per origin. `GET /sse-mux` opens the stream (authenticated as tRPC's SSE:
 * `?connectionParams={"token":…}` or `Authorization: Bearer`) and announces its id; `POST /sse-mux`
 * `{ stream, subscribe, unsubscribe }` from the same caller starts and stops subscriptions on it.
 * Each subscription's events carry the same ids as over WebSocket, so a client that reconnects
 * resumes each from its last one. A stream still over the high-water mark at two pings in a row
 * has a reader that stopped: it is closed, and its client resumes when it reads again.
 */
export function createSseMux(options: SseMuxOptions) {
  const { router, createContext } = options;
  const maxStreamsPerAddress = options.maxStreamsPerAddress ?? 1000;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const pingMs = options.pingMs ?? 15_000;
  const config = router._def._config;
  const streams = new Map<string, MuxStream>();
  const perAddress = new Map<string, number>();
  let pinger: ReturnType<typeof setInterval> | null = null;
  let streamIds = 0;

  function refuse(res: ServerResponse, error: TRPCError, ctx?: Context): void {
    const shape = getErrorShape({ config, error, type: 'unknown', path: SSE_MUX_PATH.slice(1), input: undefined, ctx });
    if (res.headersSent) return void res.end();
    res.writeHead(getHTTPStatusCodeFromError(error), { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: shape }));
  }

  const trpcError = (cause: unknown) =>
    cause instanceof TRPCError ? cause : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'could not check the caller', cause });

  function ping(): void {
    for (const stream of streams.values()) {
      if (!stream.ctx.isCongested()) {
        stream.stalledPings = 0;
        stream.send({ t: 'ping' });
      } else if (++stream.stalledPings >= 2) stream.ctx.log.info({ stream: stream.id }, 'sse stream closed: its reader stopped');
    }
    for (const stream of streams.values()) if (stream.stalledPings >= 2) end(stream, true);
  }

  function end(stream: MuxStream, destroy: boolean): void {
    if (!streams.delete(stream.id)) return;
    stream.close();
    const ip = stream.ctx.connection.ip;
    const held = (perAddress.get(ip) ?? 1) - 1;
    if (held > 0) perAddress.set(ip, held);
    else perAddress.delete(ip);
    if (streams.size === 0 && pinger !== null) {
      clearInterval(pinger);
      pinger = null;
    }
    if (destroy) stream.destroy();
    else stream.finish();
  }

  function open(req: IncomingMessage, res: ServerResponse): void {
    const url = requestUrl(req)!;
    let connectionParams: Record<string, string | undefined> | null;
    try {
      const params = url.searchParams.get('connectionParams');
      connectionParams = params === null ? null : parseConnectionParamsFromString(params);
    } catch (cause) {
      return refuse(res, cause instanceof TRPCError ? cause : new TRPCError({ code: 'BAD_REQUEST', message: 'connectionParams is not valid JSON', cause }));
    }
    let ctx: Context;
    try {
      // As a tRPC SSE subscription: the token may be in the URL, and the stream is present until it closes.
      ctx = createContext({ req, res, info: { connectionParams, type: 'subscription' } });
    } catch (cause) {
      return refuse(res, trpcError(cause));
    }
    try {
      assertRole(ctx, 'viewer');
    } catch (cause) {
      return refuse(res, trpcError(cause), ctx);
    }
    const ip = ctx.connection.ip;
    const held = perAddress.get(ip) ?? 0;
    if (held >= maxStreamsPerAddress) {
      ctx.rejected.connectionsPerIp++;
      return refuse(res, new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `at most ${maxStreamsPerAddress} SSE streams per address` }), ctx);
    }
    perAddress.set(ip, held + 1);
    // Limits count per stream, as per WebSocket: a caller's other tabs do not spend this one's.
    const connection: Connection = { id: `sse-mux-${++streamIds}`, ip, subscriptions: 0, mutations: newBucket(ctx.limits) };
    const streamCtx = Object.create(ctx, { connection: { value: connection, enumerable: true } }) as Context;
    const stream = new MuxStream(randomUUID(), ctx.identity, streamCtx, res, router, options.onError);
    streams.set(stream.id, stream);
    if (pinger === null) {
      pinger = setInterval(ping, pingMs);
      pinger.unref();
    }
    res.once('close', () => end(stream, false));
    res.on('error', () => res.destroy());
    req.socket.setNoDelay(true);
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Proxies such as nginx would otherwise hold events back to fill their buffer.
      'x-accel-buffering': 'no',
    });
    stream.send({ t: 'open', stream: stream.id, pingMs });
  }

  async function control(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let ctx: Context;
    try {
      ctx = createContext({ req, res, info: { connectionParams: null, type: 'subscription-control' } });
      assertRole(ctx, 'viewer');
    } catch (cause) {
      req.resume();
      return refuse(res, trpcError(cause));
    }
    const body = await readBody(req, maxBodyBytes);
    if (body === null) {
      res.setHeader('connection', 'close');
      return refuse(res, new TRPCError({ code: 'PAYLOAD_TOO_LARGE', message: `request body over ${maxBodyBytes} bytes (DESK_MAX_BODY_BYTES)` }), ctx);
    }
    const request = parseMuxRequest(body, ctx.limits.maxBatch);
    if (typeof request === 'string') return refuse(res, new TRPCError({ code: 'BAD_REQUEST', message: request }), ctx);
    const stream = streams.get(request.stream);
    // Another caller's stream is answered as a missing one: its id says nothing to anyone else.
    if (!stream || stream.identity !== ctx.identity || !stream.open) {
      return refuse(res, new TRPCError({ code: 'NOT_FOUND', message: `no open stream ${request.stream} of this caller: open GET ${SSE_MUX_PATH} and use the id its open event names` }), ctx);
    }
    const taken = request.subscribe.filter((op) => stream.has(op.id));
    if (taken.length > 0) {
      return refuse(res, new TRPCError({ code: 'BAD_REQUEST', message: `subscription id ${JSON.stringify(taken[0]!.id)} is already running on this stream` }), ctx);
    }
    // Every entry is a call, as each is on a WebSocket: the caller's budget pays for them all.
    const calls = request.subscribe.length + request.unsubscribe.length;
    if (calls > 1) ctx.callerBudgets.of(ctx.identity).spend(calls - 1);
    for (const op of request.subscribe) stream.subscribe(op);
    for (const id of request.unsubscribe) stream.unsubscribe(id);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ result: { subscribed: request.subscribe.length, unsubscribed: request.unsubscribe.length } }));
  }

  return {
    /** Serves `GET` and `POST` on {@link SSE_MUX_PATH}. */
    handle(req: IncomingMessage, res: ServerResponse): void {
      if (req.method === 'GET') return open(req, res);
      if (req.method === 'POST') {
        control(req, res).catch((cause) => refuse(res, trpcError(cause)));
        return;
      }
      res.setHeader('allow', 'GET, POST');
      refuse(res, new TRPCError({ code: 'METHOD_NOT_SUPPORTED', message: `${req.method} is not served on ${SSE_MUX_PATH}: GET opens a stream, POST subscribes on it` }));
    },
    /** Ends every stream (their clients reconnect and resume elsewhere). */
    stop(): void {
      for (const stream of [...streams.values()]) end(stream, false);
      if (pinger !== null) clearInterval(pinger);
      pinger = null;
    },
    /** Open streams. */
    get size(): number {
      return streams.size;
    },
    /** Open streams and the subscriptions each carries (for stats and tests). */
    streams(): Array<{ id: string; identity: string; subscriptions: number; buffered: number }> {
      return [...streams.values()].map((s) => ({ id: s.id, identity: s.identity, subscriptions: s.size, buffered: s.buffered }));
    },
    /** Closes the streams of one caller identity, or all, as a dropped connection would (for tests). */
    drop(identity?: string): number {
      let n = 0;
      for (const stream of [...streams.values()]) {
        if (identity !== undefined && stream.identity !== identity) continue;
        n++;
        stream.destroy();
      }
      return n;
    },
  };
}
export type SseMux = ReturnType<typeof createSseMux>;
