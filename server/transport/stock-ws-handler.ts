import type { IncomingMessage } from 'node:http';
import type { AnyRouter } from '@trpc/server';
import { getWSConnectionHandler, type WSSHandlerOptions } from '@trpc/server/adapters/ws';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import type { TokenBucket } from '../limits/token-bucket';
import { createFrameGuard, type FrameGuardOptions } from './frame-guard';

export interface StockWSHandlerOptions<TRouter extends AnyRouter> {
  wss: WebSocketServer;
  router: TRouter;
  createContext: WSSHandlerOptions<TRouter>['createContext'];
  onError?: WSSHandlerOptions<TRouter>['onError'];
  guard: Omit<FrameGuardOptions, 'router'>;
  /** The budget a connection shares with others of its caller (its address), or null. */
  sharedBudget?: (socket: WebSocket, req: IncomingMessage) => TokenBucket | null;
}

/** The adapter reads the first frame as connection params when the URL asks for it (as tRPC's `createURL` reads it). */
function expectsParams(req: IncomingMessage): boolean {
  try {
    return new URL(req.url ?? '/', 'http://localhost').searchParams.get('connectionParams') === '1';
  } catch {
    return false;
  }
}

/**
 * tRPC's own ws adapter, unchanged, behind the frame guard: on each connection the adapter attaches
 * its message listener, which is then taken off the socket and called by the guard only for what
 * is within bounds. The adapter's keep-alive is off (the guard's counts only PONG).
 */
export function applyStockWSHandler<TRouter extends AnyRouter>(opts: StockWSHandlerOptions<TRouter>) {
  const onConnection = getWSConnectionHandler({ wss: opts.wss, router: opts.router, createContext: opts.createContext, onError: opts.onError, keepAlive: { enabled: false } } as WSSHandlerOptions<TRouter>);
  const guard = createFrameGuard({ ...opts.guard, router: opts.router });
  opts.wss.on('connection', (socket, req) => {
    const before = socket.listenerCount('message');
    try {
      onConnection(socket, req);
    } catch {
      // The upgrade is validated before; a request the adapter still cannot read is closed, not thrown.
      socket.close(1011, 'unreadable request');
      return;
    }
    const added = socket.listeners('message').slice(before) as Array<(data: RawData, isBinary: boolean) => void>;
    if (added.length !== 1) {
      // Not the adapter this was written against: unguarded is not an option.
      socket.close(1011, 'transport misconfigured');
      return;
    }
    const listener = added[0]!;
    socket.off('message', listener);
    guard.guard(socket, opts.sharedBudget?.(socket, req) ?? null, (data, isBinary) => listener.call(socket, data, isBinary), expectsParams(req));
  });
  return {
    broadcastReconnectNotification(): void {
      const frame = JSON.stringify({ id: null, method: 'reconnect' });
      for (const client of opts.wss.clients) if (client.readyState === 1) client.send(frame);
    },
  };
}
