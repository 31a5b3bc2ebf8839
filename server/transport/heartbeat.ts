import type { WebSocket } from 'ws';

const OPEN = 1;

interface Beat {
  /** Last time the socket sent anything. */
  seen: number;
  /** When we pinged it and are waiting for an answer; 0 when not waiting. */
  pinged: number;
}

/**
 * Keep-alive for every socket on one timer, in tRPC's terms: a socket silent for `pingMs` gets a
 * text `PING`; one that then stays silent for `pongWaitMs` is terminated. Any frame from the client
 * counts as an answer. One small record per socket instead of timers and closures of its own.
 */
export function createHeartbeat(pingMs: number, pongWaitMs: number, now: () => number = Date.now) {
  const sockets = new Map<WebSocket, Beat>();
  const tickMs = Math.max(20, Math.min(pingMs, pongWaitMs) / 4);
  let timer: NodeJS.Timeout | null = null;

  function tick(): void {
    const at = now();
    for (const [socket, beat] of sockets) {
      if (beat.pinged !== 0) {
        if (at - beat.pinged >= pongWaitMs) {
          sockets.delete(socket);
          socket.terminate();
        }
      } else if (at - beat.seen >= pingMs && socket.readyState === OPEN) {
        beat.pinged = at;
        socket.send('PING');
      }
    }
    if (sockets.size === 0) stop();
  }

  function stop(): void {
    if (timer) clearInterval(timer);
    timer = null;
  }

  return {
    add(socket: WebSocket): void {
      sockets.set(socket, { seen: now(), pinged: 0 });
      if (!timer) {
        timer = setInterval(tick, tickMs);
        timer.unref();
      }
    },
    /** The socket sent something: it is alive. */
    seen(socket: WebSocket): void {
      const beat = sockets.get(socket);
      if (beat) {
        beat.seen = now();
        beat.pinged = 0;
      }
    },
    remove(socket: WebSocket): void {
      sockets.delete(socket);
    },
    get size(): number {
      return sockets.size;
    },
    stop,
  };
}
