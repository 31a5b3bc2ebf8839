/** How the dashboard's subscriptions travel: one WebSocket, or one multiplexed SSE stream. */
export type SubscriptionTransport = 'ws' | 'sse';

/**
 * The transport a page asks for with `?transport=sse` (or `ws`) in its address; anything else, or
 * nothing, is the WebSocket. SSE suits networks whose proxies refuse WebSocket upgrades.
 */
export function transportFromSearch(search: string): SubscriptionTransport {
  return new URLSearchParams(search).get('transport')?.toLowerCase() === 'sse' ? 'sse' : 'ws';
}
