import type { WebSocketConstructor } from './client.js';

/**
 * Reads the packed frames of one connection back into tRPC's data frames, the same request ids,
 * event ids and messages as unpacked; null for any other frame (tRPC's own, `PONG`), which passes
 * as it is. A packed frame is a JSON array of triples `[requestId, idStep, message, ...]`: each
 * event id is the previous one's on the connection plus `idStep` (the first from 0), and a message
 * of compact patches alone (no upserts or removals) is their array. One unpacker per connection.
 */
export function createUnpacker(): (data: unknown) => string[] | null {
  let lastId = 0;
  return (data) => {
    if (typeof data !== 'string' || !data.startsWith('[')) return null;
    const parts = JSON.parse(data) as unknown[];
    const frames: string[] = [];
    for (let i = 0; i + 2 < parts.length; i += 3) {
      lastId += parts[i + 1] as number;
      const id = `"${lastId}"`;
      const message = parts[i + 2];
      // Compact patches alone: a changes message with no upserts or removals.
      const data = Array.isArray(message) ? `{"type":"changes","upserts":[],"removes":[],"compact":${JSON.stringify(message)}}` : JSON.stringify(message);
      frames.push(`{"id":${JSON.stringify(parts[i])},"result":{"type":"data","data":{"id":${id},"data":${data}},"id":${id}}}`);
    }
    return frames;
  };
}

type Listener = ((event: { data: unknown }) => void) | { handleEvent(event: { data: unknown }): void };
interface Target {
  addEventListener(type: string, listener: Listener, options?: unknown): void;
  removeEventListener(type: string, listener: Listener, options?: unknown): void;
}

/**
 * A WebSocket that asks the desk for packed frames (`?frames=packed`): what one flush sends a
 * connection's subscriptions comes as one frame, event ids as steps, and this socket hands tRPC
 * each message as its own data frame again, so ids and resume work as ever. Pass it as
 * `createDeskClient({ WebSocket: packedFrames(WebSocket), deltas: 'compact' })`; it wraps the
 * browser's WebSocket or `ws`'s. Message listeners must be added with `addEventListener` (tRPC does).
 */
export function packedFrames<C extends WebSocketConstructor>(WebSocket: C): C {
  const Base = WebSocket as unknown as new (url: string, protocols?: string | string[]) => Target;
  return class PackedWebSocket extends Base {
    readonly #listeners: Listener[] = [];
    constructor(url: string, protocols?: string | string[]) {
      super(`${url}${url.includes('?') ? '&' : '?'}frames=packed`, protocols);
      const unpack = createUnpacker();
      // One listener unpacks each frame once, and hands its frames in order to the message listeners (kept
      // apart under a private name: `ws`'s socket is an EventEmitter with a `listeners` method).
      super.addEventListener('message', (event: { data: unknown }) => {
        const frames = unpack(event.data);
        for (const data of frames ?? [null]) {
          const each = data === null ? event : { data };
          for (const listener of [...this.#listeners]) typeof listener === 'function' ? listener.call(this, each) : listener.handleEvent(each);
        }
      });
    }
    override addEventListener(type: string, listener: Listener, options?: unknown): void {
      if (type === 'message') this.#listeners.push(listener);
      else super.addEventListener(type, listener, options);
    }
    override removeEventListener(type: string, listener: Listener, options?: unknown): void {
      const i = type === 'message' ? this.#listeners.indexOf(listener) : -1;
      if (i >= 0) this.#listeners.splice(i, 1);
      else super.removeEventListener(type, listener, options);
    }
  } as unknown as C;
}
