import { EventSource } from 'eventsource';
import WebSocket from 'ws';
import { createDeskClient as createClient, type DeskClient, type DeskClientOptions } from './client';

export * from './index';

/** `createDeskClient` for Node 20, which has no global WebSocket or EventSource. */
export function createDeskClient(options: DeskClientOptions): DeskClient {
  return createClient({
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    EventSource: EventSource as unknown as typeof globalThis.EventSource,
    ...options,
  });
}
