import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  retryLink,
  splitLink,
  wsLink,
  type TRPCClient,
  type TRPCLink,
} from '@trpc/client';
import type { AppRouter } from './app-router.js';
import { deskClientOptionsProblem } from './client-options.js';
import { deltasLink } from './deltas-link.js';
import { idempotencyKeyLink, isRetryableMutationError } from './idempotency-link.js';
import { DESK_LIMITS, deskInputBudgets, sendableInputLink } from './sendable-input.js';
import type { ClientKind } from './schema/presence.js';

/** Calls in one HTTP batch: the desk refuses a batch over DESK_MAX_BATCH (100 by default) whole. */
const BATCH_ITEMS = 50;

/**
 * A WebSocket constructor: the browser's `WebSocket`, or in Node `ws`'s default export as it is
 * (`import WebSocket from 'ws'`), without a cast.
 */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
};

/** An EventSource constructor: the browser's, or the `eventsource` package's. */
export type EventSourceConstructor = new (url: string, init?: { withCredentials?: boolean }) => {
  readonly readyState: number;
  close(): void;
};

/**
 * A subscription transport kept in its own entry, so that only programs using it carry it:
 * `sseMux()` from `@livedesk/client/sse-mux`. `createDeskClient` connects it once.
 */
export interface DeskTransport {
  /** Opens the transport for one client: the link that carries its subscriptions, and how to close it. */
  connect(context: DeskTransportContext): { link: TRPCLink<AppRouter>; close: () => void };
}

/** What `createDeskClient` hands a `DeskTransport`, from its options. */
export interface DeskTransportContext {
  /** The desk's base URL, without `/trpc` or a trailing slash. */
  url: string;
  token: string | undefined;
  /** Where the token travels on an EventSource's request (see `DeskClientOptions.sseToken`). */
  sseToken: 'url' | 'header';
  /** `kind` and `agentId`, without the token. */
  connectionParams: Record<string, string>;
  EventSource: EventSourceConstructor | undefined;
  retryDelayMs: (attempt: number) => number;
  onOpen: () => void;
  onClose: () => void;
}

export interface DeskClientOptions {
  /** The desk's base URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** Sent as `connectionParams.token` on WebSocket and `Authorization: Bearer` on HTTP. */
  token?: string | undefined;
  /**
   * How subscriptions travel: one WebSocket (`ws`), one SSE stream per subscription as tRPC's
   * `httpSubscriptionLink` opens them (`sse`), or a transport from its own entry: every
   * subscription over one SSE stream is `sseMux()` from `@livedesk/client/sse-mux` (for browsers,
   * which allow a few connections per origin). @default 'ws'
   */
  transport?: 'ws' | 'sse' | DeskTransport | undefined;
  /** A WebSocket implementation; browsers have one, Node 20 passes `ws`'s. @default globalThis.WebSocket */
  WebSocket?: WebSocketConstructor | undefined;
  /** An EventSource implementation for SSE transports where there is no global one. @default globalThis.EventSource */
  EventSource?: EventSourceConstructor | undefined;
  /**
   * How the token travels with SSE: in the URL (`?connectionParams=`, all a browser's EventSource
   * can do) or as `Authorization: Bearer` (an EventSource that takes a `fetch`, as the `eventsource`
   * package does), so it stays out of logs. @default 'url'; 'header' from `@livedesk/client/node`
   */
  sseToken?: 'url' | 'header' | undefined;
  /** Delay before reconnect attempt n. @default reconnectDelay (exponential backoff with jitter) */
  retryDelayMs?: ((attempt: number) => number) | undefined;
  /**
   * How many times a mutation is sent again after an answer that leaves its fate unknown (or says
   * nothing was applied), with the same idempotency key. @default 3
   */
  mutationRetries?: number | undefined;
  /** What this client is, in the desk's presence (`system.presence`), sent as a connection param. @default 'script' */
  kind?: ClientKind | undefined;
  /**
   * The agent this client speaks for (connection param `agentId`; honoured for an operator's or
   * admin's token): when its last connection is gone for the grace period, the desk marks the agent
   * offline. Set by `createDeskAgent`.
   */
  agentId?: string | undefined;
  /**
   * Ask every subscription for deltas (`deltas: true`): rows already held come as `patches` of
   * their changed fields; `'compact'`: as `compact` patches, fewer bytes (with `packedFrames` as
   * the WebSocket, fewer still). Apply messages with `applyStreamMessage`, which handles both.
   * @default false
   */
  deltas?: boolean | 'compact' | undefined;
  /** Called when the WebSocket (or a transport's stream, as `sseMux()`'s) opens or closes. */
  onConnectionChange?: ((state: 'open' | 'closed') => void) | undefined;
  /**
   * The desk's `DESK_MAX_FRAME_BYTES` and `DESK_MAX_BODY_BYTES`, when it does not run with the
   * defaults: an input that cannot fit fails here with `PAYLOAD_TOO_LARGE` instead of being sent.
   * @default { maxFrameBytes: 65536, maxBodyBytes: 1048576 }
   */
  limits?: { maxFrameBytes?: number; maxBodyBytes?: number } | undefined;
}

export interface DeskClient {
  /** The typed tRPC client: `api.market.onPrices.subscribe(...)`, `api.market.executeTrade.mutate(...)`. */
  api: TRPCClient<AppRouter>;
  /** Closes the WebSocket or the transport's stream (subscriptions end). */
  close: () => void;
}

/**
 * A typed tRPC client for the desk: subscriptions over WebSocket (or SSE), queries and mutations
 * over batched HTTP. Reconnects resume each subscription from its last event id; every mutation
 * carries an idempotency key, so its retries never apply it twice. Throws a `TypeError` naming the
 * option for options it cannot work with (a url that is not http(s), no WebSocket in this runtime).
 */
export function createDeskClient(options: DeskClientOptions): DeskClient {
  const problem = deskClientOptionsProblem(options);
  if (problem !== null) throw new TypeError(`createDeskClient: ${problem}`);
  const base = options.url.replace(/\/+$/, '').replace(/\/trpc$/, '');
  const httpUrl = `${base}/trpc`;
  const mutationRetries = options.mutationRetries ?? 3;
  // Each batched call's share of a request body, with room for the batch's own envelope.
  const batchedCallBytes = Math.floor(((options.limits?.maxBodyBytes ?? DESK_LIMITS.maxBodyBytes) - 1_024) / BATCH_ITEMS) - 64;
  const headers = () => (options.token ? { authorization: `Bearer ${options.token}` } : {});
  const connectionParams = {
    kind: options.kind ?? 'script',
    ...(options.agentId ? { agentId: options.agentId } : {}),
  };
  const retryDelayMs = options.retryDelayMs ?? reconnectDelay;
  const onOpen = () => options.onConnectionChange?.('open');
  const onClose = () => options.onConnectionChange?.('closed');
  const custom =
    typeof options.transport === 'object'
      ? options.transport.connect({
          url: base,
          token: options.token,
          sseToken: options.sseToken ?? 'url',
          connectionParams,
          EventSource: options.EventSource,
          retryDelayMs,
          onOpen,
          onClose,
        })
      : null;
  const wsClient =
    options.transport === 'sse' || custom
      ? null
      : createWSClient({
          url: httpUrl.replace(/^http/, 'ws'),
          // Both fit what tRPC calls on a socket; its option is typed as the DOM's WebSocket only.
          WebSocket: options.WebSocket as typeof globalThis.WebSocket | undefined,
          connectionParams: {
            kind: options.kind ?? 'script',
            ...(options.token ? { token: options.token } : {}),
            ...(options.agentId ? { agentId: options.agentId } : {}),
          },
          keepAlive: { enabled: true, intervalMs: 15_000, pongTimeoutMs: 10_000 },
          retryDelayMs,
          onOpen,
          onClose,
        });
  const subscriptionLink = custom
    ? custom.link
    : wsClient
    ? wsLink<AppRouter>({ client: wsClient })
    : httpSubscriptionLink({
        url: httpUrl,
        EventSource: options.EventSource as typeof globalThis.EventSource | undefined,
        connectionParams: {
          kind: options.kind ?? 'script',
          ...(options.token && options.sseToken !== 'header' ? { token: options.token } : {}),
          ...(options.agentId ? { agentId: options.agentId } : {}),
        },
        // `fetch` is not in the DOM's EventSourceInit; EventSources that take one (eventsource) use it.
        eventSourceOptions: options.token && options.sseToken === 'header' ? ({ fetch: withBearer(options.token) } as EventSourceInit) : undefined,
      });
  const api = createTRPCClient<AppRouter>({
    links: [
      ...(options.deltas ? [deltasLink<AppRouter>(options.deltas)] : []),
      // Before the retries: a retried mutation carries the key of its first attempt.
      idempotencyKeyLink<AppRouter>(),
      // Right before the retries, on the input as the links above left it (their copies drop a
      // prototype's toJSON): one no serializer can send, or too large for what carries it, fails at
      // once (BAD_REQUEST, PAYLOAD_TOO_LARGE) instead of being sent again and again.
      // A mutation over its share of a batch's body is marked `unbatched` for the split below.
      sendableInputLink<AppRouter>({ ...deskInputBudgets(custom ? 'body' : wsClient ? 'ws' : 'url', options.limits), mutationShare: batchedCallBytes }),
      // A subscription made while the socket is (re)connecting can fail on the client side; it is
      // retried from its last event id. A mutation is sent again (same key) only when its fate is
      // unknown or nothing was applied; queries and other errors are not retried.
      retryLink({
        retry: ({ op, error, attempts }) =>
          op.type === 'subscription'
            ? !error.data
            : op.type === 'mutation' && attempts <= mutationRetries && isRetryableMutationError(error),
        retryDelayMs,
      }),
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: subscriptionLink,
        // The desk refuses an HTTP batch over DESK_MAX_BATCH (100 by default) or over its body
        // limit as a whole, which tRPC reads as an answer it cannot map ("Unable to transform
        // response from server", no code: retried like a lost connection). A mutation over its
        // share of the body limit goes alone; queries travel in the URL, and a batch of them is
        // split before its URL outgrows what the desk reads.
        false: splitLink({
          condition: (op) => op.context.unbatched === true,
          true: httpLink({ url: httpUrl, headers }),
          false: httpBatchLink({ url: httpUrl, headers, maxItems: BATCH_ITEMS, maxURLLength: 8_000 }),
        }),
      }),
    ],
  });
  return {
    api,
    close: () => {
      wsClient?.close();
      custom?.close();
    },
  };
}

/** Exponential backoff with full jitter, capped at 10 s. */
export function reconnectDelay(attempt: number): number {
  const ceiling = Math.min(10_000, 250 * 2 ** attempt);
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** A `fetch` for an EventSource that adds `Authorization: Bearer <token>` to its requests. */
export function withBearer(token: string) {
  return (url: string | URL, init?: RequestInit) => fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${token}` } });
}
