import { createWSClient, httpBatchLink, retryLink, splitLink, wsLink } from '@trpc/client';
import { createTRPCReact } from '@trpc/react-query';
import { deltasLink, idempotencyKeyLink, isRetryableMutationError, packedFrames, reconnectDelay, type AppRouter } from '../../../shared/index';
import type { ConnectionStore } from './connection';
import { lazySseMux } from './lazy-sse-mux';
import { replayLink } from './replay-link';
import type { ReplayMode } from './replay-mode';
import { transportFromSearch, type SubscriptionTransport } from './transport-choice';

/** The typed React bindings for the desk's API. */
export const trpc = createTRPCReact<AppRouter>();

/** The desk's tRPC endpoint on this page's origin, for HTTP or WebSocket. */
export function deskUrl(protocol: 'http' | 'ws', location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  const secure = location.protocol === 'https:';
  const scheme = protocol === 'ws' ? (secure ? 'wss' : 'ws') : secure ? 'https' : 'http';
  return `${scheme}://${location.host}/trpc`;
}

/**
 * Builds the app's one subscription connection and the tRPC client over it: subscriptions on one
 * WebSocket, or with `transport: 'sse'` (`?transport=sse`) on one multiplexed SSE stream (kept
 * alive, reconnecting with capped exponential backoff and jitter, resuming from the last event
 * id); queries and mutations batched over HTTP, both carrying `token` when there is one.
 */
export function createDeskTransport(
  connection: ConnectionStore,
  token: string | undefined,
  transport: SubscriptionTransport = transportFromSearch(window.location.search),
  replay: ReplayMode | null = null,
) {
  // The desk's presence tells dashboards from agents and scripts.
  const connectionParams: Record<string, string> = token ? { token, kind: 'dashboard' } : { kind: 'dashboard' };
  const retryDelayMs = (attemptIndex: number) => {
    const delayMs = reconnectDelay(attemptIndex);
    connection.dispatch({ type: 'retry', attemptIndex, delayMs, at: connection.now() });
    return delayMs;
  };
  const onOpen = () => connection.dispatch({ type: 'open', at: connection.now() });
  const onClose = () => connection.dispatch({ type: 'close', at: connection.now() });
  const mux =
    transport === 'sse'
      ? lazySseMux({
          url: deskUrl('http').replace(/\/trpc$/, ''),
          connectionParams,
          headers: (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {}),
          retryDelayMs,
          onOpen,
          onClose,
        })
      : null;
  const wsClient = mux
    ? null
    : createWSClient({
        url: deskUrl('ws'),
        // What one flush sends the tab comes as one frame, handed to tRPC as its frames again.
        WebSocket: packedFrames(WebSocket),
        connectionParams,
        keepAlive: { enabled: true, intervalMs: 10_000, pongTimeoutMs: 5_000 },
        retryDelayMs,
        onOpen,
        onClose,
        onError: onClose,
      });
  const client = trpc.createClient({
    links: [
      // No `sendableInputLink` (the shared client's check of what cannot be sent, ~1 kB gzipped):
      // the page's inputs are built by its own code or come from forms its resolver checks against
      // the desk's schemas first, and JSON.parse of a field cannot make a cycle or a BigInt.
      // While replaying, every subscription asks for the same moment and speed.
      replayLink<AppRouter>(replay),
      // Every live view applies messages with `applyStreamMessage`, which applies patches: held
      // rows of positions, the portfolio, agents, tasks… come as their changed fields only, as
      // compact patches (fields by place, numbers by step), over SSE too.
      deltasLink<AppRouter>('compact'),
      // Every mutation carries an idempotency key, so sending it again after an answer that leaves
      // its fate unknown can never apply it twice.
      idempotencyKeyLink<AppRouter>(),
      retryLink({
        retry: ({ op, error, attempts }) => op.type === 'mutation' && attempts <= 3 && isRetryableMutationError(error),
        retryDelayMs: reconnectDelay,
      }),
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: mux ? mux.link : wsLink<AppRouter>({ client: wsClient! }),
        false: httpBatchLink({
          url: deskUrl('http'),
          headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
          // The desk refuses an HTTP batch over DESK_MAX_BATCH (100 by default) as a whole; queries
          // travel in the URL, split before it outgrows what the desk reads.
          maxItems: 50,
          maxURLLength: 8_000,
        }),
      }),
    ],
  });
  return {
    client,
    transport,
    close: () => {
      wsClient?.close();
      mux?.close();
    },
  };
}
