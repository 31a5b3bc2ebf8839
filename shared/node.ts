import { EventSource } from 'eventsource';
import WebSocket from 'ws';
import { createDeskClient as createClient, type DeskClient, type DeskClientOptions } from './client.js';
import { refusalsAsEvents } from './sse-refusals.js';

export * from './index.js';

/** `eventsource`'s EventSource, reporting the desk's refusals (401, 403 …) as tRPC errors. */
class DeskEventSource extends EventSource {
  constructor(url: string | URL, init?: ConstructorParameters<typeof EventSource>[1]) {
    super(url, { ...init, fetch: refusalsAsEvents(init?.fetch as never) as never });
  }
}

/** `createDeskClient` for Node 20, which has no global WebSocket or EventSource. */
export function createDeskClient(options: DeskClientOptions): DeskClient {
  return createClient({
    ...options,
    WebSocket: options.WebSocket ?? WebSocket,
    EventSource: options.EventSource ?? DeskEventSource,
    sseToken: options.sseToken ?? 'header',
  });
}
