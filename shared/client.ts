import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  httpSubscriptionLink,
  retryLink,
  splitLink,
  wsLink,
  type TRPCClient,
} from '@trpc/client';
import type { AppRouter } from '../server/root';

export interface DeskClientOptions {
  /** The desk's base URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** Sent as `connectionParams.token` on WebSocket and `Authorization: Bearer` on HTTP. */
  token?: string;
  /** How subscriptions travel. @default 'ws' */
  transport?: 'ws' | 'sse';
  /** A WebSocket implementation; browsers have one, Node 20 passes `ws`'s. */
  WebSocket?: typeof globalThis.WebSocket;
  /** An EventSource implementation for `transport: 'sse'` where there is no global one. */
  EventSource?: typeof globalThis.EventSource;
  /** Delay before reconnect attempt n. @default reconnectDelay (exponential backoff with jitter) */
  retryDelayMs?: (attempt: number) => number;
  /** Called when the WebSocket opens or closes. */
  onConnectionChange?: (state: 'open' | 'closed') => void;
}

export interface DeskClient {
  /** The typed tRPC client: `api.market.onPrices.subscribe(...)`, `api.market.executeTrade.mutate(...)`. */
  api: TRPCClient<AppRouter>;
  /** Closes the WebSocket (subscriptions end). */
  close: () => void;
}

/**
 * A typed tRPC client for the desk: subscriptions over WebSocket (or SSE), queries and mutations
 * over batched HTTP. Reconnects resume each subscription from its last event id.
 */
export function createDeskClient(options: DeskClientOptions): DeskClient {
  const base = options.url.replace(/\/+$/, '').replace(/\/trpc$/, '');
  const httpUrl = `${base}/trpc`;
  const headers = () => (options.token ? { authorization: `Bearer ${options.token}` } : {});
  const wsClient =
    options.transport === 'sse'
      ? null
      : createWSClient({
          url: httpUrl.replace(/^http/, 'ws'),
          WebSocket: options.WebSocket,
          connectionParams: options.token ? { token: options.token } : undefined,
          keepAlive: { enabled: true, intervalMs: 15_000, pongTimeoutMs: 10_000 },
          retryDelayMs: options.retryDelayMs ?? reconnectDelay,
          onOpen: () => options.onConnectionChange?.('open'),
          onClose: () => options.onConnectionChange?.('closed'),
        });
  const subscriptionLink = wsClient
    ? wsLink<AppRouter>({ client: wsClient })
    : httpSubscriptionLink({
        url: httpUrl,
        EventSource: options.EventSource,
        connectionParams: options.token ? { token: options.token } : undefined,
      });
  const api = createTRPCClient<AppRouter>({
    links: [
      // A subscription made while the socket is (re)connecting can fail on the client side; it is
      // retried from its last event id. Server errors (they carry data) and other calls are not.
      retryLink({
        retry: ({ op, error }) => op.type === 'subscription' && !error.data,
        retryDelayMs: options.retryDelayMs ?? reconnectDelay,
      }),
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: subscriptionLink,
        false: httpBatchLink({ url: httpUrl, headers }),
      }),
    ],
  });
  return { api, close: () => void wsClient?.close() };
}

/** Exponential backoff with full jitter, capped at 10 s. */
export function reconnectDelay(attempt: number): number {
  const ceiling = Math.min(10_000, 250 * 2 ** attempt);
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}
