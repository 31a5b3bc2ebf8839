import { EventSource } from 'eventsource';
import WebSocket from 'ws';
import { createDeskAgent as createAgent, type DeskAgent, type DeskAgentOptions } from './agent.js';
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

/** `createDeskAgent` for Node 20: its client is `createDeskClient` above, with `ws`. */
export function createDeskAgent(options: DeskAgentOptions): Promise<DeskAgent> {
  return createAgent({ connect: createDeskClient, ...options });
}
