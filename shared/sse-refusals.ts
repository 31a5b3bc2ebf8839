/** The part of `fetch` an EventSource implementation such as `eventsource` calls. */
type Fetch = (url: string | URL, init: RequestInit) => Promise<Response>;

/**
 * Wraps the `fetch` of an EventSource (the `eventsource` package takes one) so that a refusal the
 * desk answers before a stream starts (401, 403, 400 … with tRPC's error shape as JSON) reaches
 * tRPC's SSE client as what it understands: one `serialized-error` event carrying that error. Without
 * it the client sees only "Non-200 status code" and reconnects for ever.
 */
export function refusalsAsEvents(inner: Fetch = fetch, toEvent: (error: object) => string = serializedError): Fetch {
  return async (url, init) => {
    const res = await inner(url, init);
    if (res.status < 400 || !res.headers.get('content-type')?.includes('application/json')) return res;
    const text = await res.text();
    let error: unknown;
    try {
      error = (JSON.parse(text) as { error?: unknown }).error;
    } catch {
      error = undefined;
    }
    if (typeof error !== 'object' || error === null) return new Response(text, { status: res.status, headers: res.headers });
    return new Response(toEvent(error), { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };
}

/** tRPC's SSE client's event for an error. */
function serializedError(error: object): string {
  return `event: serialized-error\ndata: ${JSON.stringify(error)}\n\n`;
}

/** The multiplexed stream's event for a refused stream (`createSseMuxClient` reads it). */
export function muxRefusal(error: object): string {
  return `data: ${JSON.stringify({ t: 'refused', error })}\n\n`;
}
