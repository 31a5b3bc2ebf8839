/**
 * `@livedesk/client/sse-mux`: every subscription of a client over one SSE stream (`/sse-mux`),
 * with the same messages, ids and resume as the WebSocket. In its own entry so that programs on
 * the WebSocket or plain SSE do not carry it: `createDeskClient({ url, transport: sseMux() })`.
 */
import type { AppRouter } from './app-router.js';
import { withBearer, type DeskTransport } from './client.js';
import { createSseMuxClient, type MuxEventSourceConstructor } from './sse-mux-client.js';
import { sseMuxLink } from './sse-mux-link.js';
import { muxRefusal, refusalsAsEvents } from './sse-refusals.js';

export { createSseMuxClient, type SseMuxClient, type SseMuxClientOptions } from './sse-mux-client.js';
export { sseMuxLink } from './sse-mux-link.js';

/**
 * The multiplexed SSE transport for `createDeskClient`'s `transport`: one stream for all of the
 * client's subscriptions, which is what a browser needs for more than a handful (it allows ~6
 * connections per origin over HTTP/1.1). The token travels as `sseToken` says: in the stream's URL,
 * or as `Authorization: Bearer` from an EventSource that takes a `fetch` (the default of
 * `@livedesk/client/node`); requests that start and stop subscriptions always carry it as a header.
 */
export function sseMux(): DeskTransport {
  return {
    connect: ({ url, token, sseToken, connectionParams, EventSource, retryDelayMs, onOpen, onClose }) => {
      const inUrl = token !== undefined && sseToken !== 'header';
      const streamFetch = token && !inUrl ? withBearer(token) : (target: string | URL, init?: RequestInit) => fetch(target, init);
      const client = createSseMuxClient({
        url,
        connectionParams: inUrl ? { ...connectionParams, token } : connectionParams,
        headers: (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {}),
        EventSource: EventSource as MuxEventSourceConstructor | undefined,
        // A browser's EventSource ignores `fetch`; `eventsource`'s sends the header and reports a refusal.
        eventSourceInit: { fetch: refusalsAsEvents(streamFetch, muxRefusal) },
        retryDelayMs,
        onOpen,
        onClose,
      });
      return { link: sseMuxLink<AppRouter>({ client }), close: () => client.close() };
    },
  };
}
