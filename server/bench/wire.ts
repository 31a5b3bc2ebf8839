import type WebSocket from 'ws';
import { connect, type ConnectOptions } from './protocol';

/** One tRPC data message as the wire carries it: the tracked event id and the payload. */
export interface WireMessage {
  id: string;
  data: unknown;
}

/**
 * A tRPC subscription over a bare socket that parses every frame (for checks, not for load):
 * collects each data message with its id, as `@trpc/client` would hand them to `onData`.
 */
export async function openParsed(baseUrl: string, options: ConnectOptions) {
  const messages: WireMessage[] = [];
  let listeners: Array<() => void> = [];
  const socket: WebSocket = await connect(
    'livedesk',
    baseUrl,
    {
      onTick: () => {},
      onFrame(frame) {
        const parsed = JSON.parse(frame.toString()) as { result?: { type: string; id?: string; data?: { data: unknown } } };
        if (parsed.result?.type !== 'data') return;
        messages.push({ id: String(parsed.result.id), data: parsed.result.data?.data });
        for (const listener of listeners) listener();
      },
    },
    options,
  );
  return {
    socket,
    messages,
    /** Resolves once `check` holds, or rejects after `timeoutMs`. */
    until(check: (messages: WireMessage[]) => boolean, timeoutMs: number): Promise<void> {
      if (check(messages)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const done = () => {
          listeners = listeners.filter((l) => l !== onMessage);
          clearTimeout(timer);
        };
        const onMessage = () => check(messages) && (done(), resolve());
        const timer = setTimeout(() => (done(), reject(new Error(`not met in ${timeoutMs} ms; ${messages.length} messages`))), timeoutMs);
        listeners.push(onMessage);
      });
    },
  };
}
