import WebSocket from 'ws';
import { BENCH_SYMBOLS, scanTicks } from './tick';

/** The servers the bench compares: the desk, raw ws, raw ws sending each turn's ticks as one array, Socket.IO. */
export type Target = 'livedesk' | 'ws' | 'ws-coalescing' | 'socketio';
export const TARGETS: readonly Target[] = ['livedesk', 'ws', 'ws-coalescing', 'socketio'];

/**
 * How ticks reach the server: `burst`, every tick due in a 1 ms timer step published together (they
 * share one turn of the event loop); `one`, each tick in its own turn (the desk: each its own
 * `market.setPrice` mutation through the executor, its journal transaction included).
 */
export type Injection = 'burst' | 'one';

export interface ClientHandlers {
  onTick: (seq: number, ts: number) => void;
  /** Every frame, for checks that need more than the ticks. */
  onFrame?: (data: Buffer) => void;
  onClose?: () => void;
}

export interface ConnectOptions {
  /** tRPC only: the procedure and input to subscribe to. @default market.onPrices, every bench symbol */
  path?: string;
  input?: unknown;
  lastEventId?: string;
  /** @default 15000 */
  timeoutMs?: number;
  /** The source address to connect from (a 127.0.0.x, so many connections need not share one address's ports). */
  localAddress?: string;
}

/** The tRPC subscribe request, as `@trpc/client`'s wsLink sends it. */
export function subscribeRequest(id: number, path: string, input: unknown, lastEventId?: string): string {
  const params: Record<string, unknown> = { path, input };
  if (lastEventId !== undefined) params.lastEventId = lastEventId;
  return JSON.stringify({ id, method: 'subscription', params });
}

const STARTED = Buffer.from('"type":"started"');
const SIO_CONNECTED = Buffer.from('40');

/**
 * Opens one connection speaking the target's own protocol over a bare `ws` socket and resolves
 * once it is subscribed: tRPC's `started`, Socket.IO's namespace CONNECT, or the open for raw ws.
 * Keep-alives are answered (tRPC `PING` → `PONG`, Engine.IO `2` → `3`).
 */
export function connect(target: Target, baseUrl: string, handlers: ClientHandlers, options: ConnectOptions = {}): Promise<WebSocket> {
  const url =
    target === 'livedesk'
      ? `${baseUrl}/trpc`
      : target === 'socketio'
        ? `${baseUrl}/socket.io/?EIO=4&transport=websocket`
        : baseUrl;
  const socket = new WebSocket(url, { perMessageDeflate: false, ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
  return new Promise((resolve, reject) => {
    let subscribed = false;
    const timer = setTimeout(() => fail(new Error(`${target}: not subscribed within ${options.timeoutMs ?? 15000} ms`)), options.timeoutMs ?? 15_000);
    function fail(error: Error) {
      clearTimeout(timer);
      socket.terminate();
      reject(error);
    }
    function ready() {
      subscribed = true;
      clearTimeout(timer);
      resolve(socket);
    }
    socket.on('error', (error) => (subscribed ? socket.terminate() : fail(error)));
    socket.on('close', () => {
      if (!subscribed) fail(new Error(`${target}: closed before subscribing`));
      handlers.onClose?.();
    });
    socket.on('open', () => {
      if (target === 'ws' || target === 'ws-coalescing') ready();
      else if (target === 'livedesk') {
        const input = options.input ?? { symbols: BENCH_SYMBOLS };
        socket.send(subscribeRequest(1, options.path ?? 'market.onPrices', input, options.lastEventId));
      }
    });
    socket.on('message', (data: Buffer) => {
      if (!subscribed) {
        if (target === 'livedesk' && data.includes(STARTED)) ready();
        else if (target === 'socketio') {
          if (data[0] === 48 /* 0: engine open */) socket.send('40');
          else if (data.subarray(0, 2).equals(SIO_CONNECTED)) ready();
        }
      }
      if (data.length === 4 && data.toString() === 'PING') return void socket.send('PONG');
      if (data.length === 1 && data[0] === 50 /* 2: engine ping */) return void socket.send('3');
      handlers.onFrame?.(data);
      scanTicks(data, handlers.onTick);
    });
  });
}
