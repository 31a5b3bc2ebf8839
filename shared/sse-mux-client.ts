import { TRPCClientError } from '@trpc/client';

/** What the multiplexed client needs of an EventSource (the browser's, or the `eventsource` package's). */
export interface MuxEventSource {
  readonly readyState: number;
  onmessage: ((event: { data: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  close(): void;
}
export type MuxEventSourceConstructor = new (url: string, init?: Record<string, unknown>) => MuxEventSource;

/** What the server sends on the stream, one JSON object per event. */
type Frame =
  | { t: 'open'; stream: string; pingMs: number }
  | { t: 'ping' }
  | { t: 'started'; s: number }
  | { t: 'data'; s: number; id?: string; data: unknown }
  | { t: 'error'; s: number; error: unknown }
  | { t: 'stopped'; s: number }
  // Made by a `fetch` that turns the desk's refusal of the stream into an event (`refusalsAsEvents`).
  | { t: 'refused'; error: unknown };

/** What a subscription hears: tRPC's result envelopes, as `wsLink` emits them. */
export interface MuxObserver {
  next(envelope: { result: MuxResult }): void;
  error(error: TRPCClientError<never>): void;
  complete(): void;
}
export type MuxResult =
  | { type: 'started' }
  | { type: 'stopped' }
  | { type: 'data'; id?: string; data: unknown }
  | { type: 'state'; state: 'connecting'; error: TRPCClientError<never> | null }
  | { type: 'state'; state: 'pending'; error: null };

export interface SseMuxClientOptions {
  /** The desk's base URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** Sent in the stream's URL as `?connectionParams=` (a browser's EventSource cannot send headers). */
  connectionParams?: Record<string, string> | undefined;
  /** Headers of the subscribe and unsubscribe requests (`Authorization: Bearer …`). */
  headers?: (() => Record<string, string>) | undefined;
  /** @default globalThis.EventSource */
  EventSource?: MuxEventSourceConstructor | undefined;
  /** Passed to the EventSource (the `eventsource` package takes a `fetch` there, for headers). */
  eventSourceInit?: Record<string, unknown> | undefined;
  /** @default globalThis.fetch */
  fetch?: ((url: string, init: { method: string; headers: Record<string, string>; body: string }) => Promise<Response>) | undefined;
  /** Delay before reconnect attempt n (0-based). */
  retryDelayMs: (attempt: number) => number;
  /** The stream opened (or opened again). */
  onOpen?: (() => void) | undefined;
  /** The stream went down; it is reopened after `retryDelayMs`. */
  onClose?: (() => void) | undefined;
}

interface Subscription {
  id: number;
  path: string;
  input: unknown;
  lastEventId: string | null;
  observer: MuxObserver;
  /** Asked for on the stream now open. */
  sent: boolean;
}

const codeOf = (error: unknown) => (error as { data?: { code?: unknown } } | null)?.data?.code;
const FINAL_REFUSALS = new Set(['UNAUTHORIZED', 'FORBIDDEN', 'BAD_REQUEST']);

/**
 * All subscriptions of one client over one SSE stream (`GET /sse-mux`), started and stopped with
 * small `POST /sse-mux` requests that name the stream. The stream opens at once. It keeps each subscription's last event id;
 * when the stream drops it opens a new one (with backoff) and asks for every subscription again
 * from there, so nothing is missed and nothing comes twice. Requests go one at a time, so a stop
 * never overtakes its start.
 */
export function createSseMuxClient(options: SseMuxClientOptions) {
  const base = options.url.replace(/\/+$/, '');
  const EventSourceImpl = options.EventSource ?? (globalThis as { EventSource?: MuxEventSourceConstructor }).EventSource;
  const doFetch = options.fetch ?? ((url, init) => fetch(url, init));
  const subscriptions = new Map<number, Subscription>();
  const stops = new Set<number>();
  let nextId = 0;
  let source: MuxEventSource | null = null;
  let stream: string | null = null;
  let attempt = 0;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let watchdog: ReturnType<typeof setTimeout> | null = null;
  let silenceMs = 0;
  let sending = false;
  let flushQueued = false;
  let closed = false;
  let lastDown: TRPCClientError<never> | null = null;

  function streamUrl(): string {
    const params = options.connectionParams;
    return params ? `${base}/sse-mux?connectionParams=${encodeURIComponent(JSON.stringify(params))}` : `${base}/sse-mux`;
  }

  function connect(): void {
    if (closed || source !== null || retry !== null) return;
    if (!EventSourceImpl) throw new TypeError('no EventSource in this runtime: pass one');
    const es = new EventSourceImpl(streamUrl(), options.eventSourceInit);
    source = es;
    es.onmessage = (event) => {
      if (source !== es) return;
      let frame: Frame;
      try {
        frame = JSON.parse(event.data) as Frame;
      } catch {
        return;
      }
      heard();
      receive(frame);
    };
    es.onerror = () => {
      if (source === es) down(new TRPCClientError('the SSE stream closed'));
    };
  }

  /** Any frame shows the stream is alive; silence past two pings means it is not. */
  function heard(): void {
    if (watchdog !== null) clearTimeout(watchdog);
    watchdog = silenceMs > 0 ? setTimeout(() => down(new TRPCClientError('the SSE stream went silent')), silenceMs) : null;
  }

  function down(error: TRPCClientError<never>): void {
    const wasOpen = stream !== null;
    source?.close();
    source = null;
    stream = null;
    if (watchdog !== null) clearTimeout(watchdog);
    watchdog = null;
    stops.clear();
    for (const sub of subscriptions.values()) sub.sent = false;
    if (closed) return;
    // Once per outage: when an open stream drops, or when the first attempt after one fails (a
    // subscription made before the stream ever opened hears that it cannot be reached).
    const news = wasOpen || lastDown === null;
    lastDown = error;
    if (news) {
      for (const sub of subscriptions.values()) sub.observer.next({ result: { type: 'state', state: 'connecting', error } });
    }
    options.onClose?.();
    if (retry === null) {
      retry = setTimeout(() => {
        retry = null;
        connect();
      }, options.retryDelayMs(attempt++));
    }
  }

  function receive(frame: Frame): void {
    switch (frame.t) {
      case 'open':
        stream = frame.stream;
        silenceMs = frame.pingMs * 2 + 5_000;
        heard();
        attempt = 0;
        lastDown = null;
        options.onOpen?.();
        for (const sub of subscriptions.values()) sub.observer.next({ result: { type: 'state', state: 'pending', error: null } });
        scheduleFlush();
        return;
      case 'ping':
        return;
      case 'refused': {
        const error = TRPCClientError.from({ error: frame.error as never }) as TRPCClientError<never>;
        if (!FINAL_REFUSALS.has(codeOf(error) as string)) return down(error);
        for (const sub of [...subscriptions.values()]) finish(sub, error);
        return down(error);
      }
    }
    const sub = subscriptions.get(frame.s);
    if (!sub || !sub.sent) return;
    switch (frame.t) {
      case 'started':
        sub.observer.next({ result: { type: 'started' } });
        return;
      case 'data':
        if (frame.id === undefined) sub.observer.next({ result: { type: 'data', data: frame.data } });
        else {
          sub.lastEventId = frame.id;
          sub.observer.next({ result: { type: 'data', id: frame.id, data: { id: frame.id, data: frame.data } } });
        }
        return;
      case 'error':
        finish(sub, TRPCClientError.from({ error: frame.error as never }) as TRPCClientError<never>);
        return;
      case 'stopped':
        subscriptions.delete(sub.id);
        sub.observer.next({ result: { type: 'stopped' } });
        sub.observer.complete();
        return;
    }
  }

  function finish(sub: Subscription, error: TRPCClientError<never>): void {
    subscriptions.delete(sub.id);
    sub.observer.error(error);
  }

  function scheduleFlush(): void {
    if (flushQueued) return;
    flushQueued = true;
    // Subscriptions made in the same turn (a page's panels mounting) go in one request.
    queueMicrotask(() => {
      flushQueued = false;
      void flush();
    });
  }

  async function flush(): Promise<void> {
    if (sending || stream === null) return;
    const on = stream;
    const start = [...subscriptions.values()].filter((sub) => !sub.sent);
    const stop = [...stops];
    if (start.length === 0 && stop.length === 0) return;
    for (const sub of start) sub.sent = true;
    stops.clear();
    sending = true;
    let failure: TRPCClientError<never> | null = null;
    try {
      const res = await doFetch(`${base}/sse-mux`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers?.() },
        body: JSON.stringify({
          stream: on,
          subscribe: start.map((sub) => ({ id: sub.id, path: sub.path, input: sub.input, ...(sub.lastEventId !== null ? { lastEventId: sub.lastEventId } : {}) })),
          unsubscribe: stop,
        }),
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: unknown } | null;
        failure = body?.error
          ? (TRPCClientError.from({ error: body.error as never }) as TRPCClientError<never>)
          : new TRPCClientError(`POST /sse-mux answered ${res.status}`);
      }
    } catch (cause) {
      failure = new TRPCClientError('could not reach the desk', { cause: cause as Error });
    } finally {
      sending = false;
    }
    if (failure !== null && stream === on) {
      if (FINAL_REFUSALS.has(codeOf(failure) as string)) {
        // Refused for good (token, role, a malformed request): these subscriptions end with it.
        for (const sub of start) if (subscriptions.get(sub.id) === sub) finish(sub, failure);
      } else {
        // The stream is gone, or the desk is busy or away: a new stream asks for everything again.
        down(failure);
        return;
      }
    }
    if ([...subscriptions.values()].some((sub) => !sub.sent) || stops.size > 0) scheduleFlush();
  }

  // Open from the start, as tRPC's WebSocket client does: a connection badge is honest before any subscription.
  connect();

  return {
    /** Starts a subscription on the stream (opening it if needed); returns its stop. */
    subscribe(path: string, input: unknown, observer: MuxObserver): () => void {
      if (closed) {
        observer.complete();
        return () => {};
      }
      const sub: Subscription = { id: ++nextId, path, input, lastEventId: null, observer, sent: false };
      // Resuming where a previous subscription left off (tRPC's retryLink puts it in the input).
      const fromInput = (input as { lastEventId?: unknown } | null)?.lastEventId;
      if (typeof fromInput === 'string') sub.lastEventId = fromInput;
      subscriptions.set(sub.id, sub);
      if (stream === null && lastDown !== null) observer.next({ result: { type: 'state', state: 'connecting', error: lastDown } });
      connect();
      scheduleFlush();
      return () => {
        if (subscriptions.get(sub.id) !== sub) return;
        subscriptions.delete(sub.id);
        if (sub.sent && stream !== null) {
          stops.add(sub.id);
          scheduleFlush();
        }
      };
    },
    /** Closes the stream; subscriptions still open complete. */
    close(): void {
      closed = true;
      if (retry !== null) clearTimeout(retry);
      retry = null;
      down(new TRPCClientError('closed'));
      for (const sub of [...subscriptions.values()]) {
        subscriptions.delete(sub.id);
        sub.observer.complete();
      }
    },
    /** Whether the stream is open now. */
    get open(): boolean {
      return stream !== null;
    },
  };
}
export type SseMuxClient = ReturnType<typeof createSseMuxClient>;
