import type { WebSocket } from 'ws';

/**
 * The TCP socket under a `ws` WebSocket, to cork several sends into one write. `ws` keeps it as
 * `_socket` and offers no public cork; undefined once the socket is gone.
 */
export function rawSocketOf(socket: WebSocket): { cork(): void; uncork(): void } | undefined {
  return (socket as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
}
