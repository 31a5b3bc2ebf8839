import type { WebSocket } from 'ws';

const OPEN = 1;

interface Beat {
  /** When the socket last answered a PING (or was added). */
  seen: number;
  /** When we pinged it and are waiting for an answer; 0 when not waiting. */
  pinged: number;
}

/**
 * Keep-alive for every socket on one timer, in tRPC's terms: `pingMs` after its last answer a
 * socket gets a text `PING`; one that does not answer `PONG` within `pongWaitMs` is terminated.
 * Only a PONG counts: a client that keeps sending but never reads (and so never sees the PING) is
 * not alive in the sense that matters, it is a buffer growing. One small record per socket instead
 * of timers and closures of its own.
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
    /** The socket answered PONG: it reads what we send. */
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
