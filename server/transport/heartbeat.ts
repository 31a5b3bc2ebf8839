import type { WebSocket } from 'ws';

const OPEN = 1;

/**
 * One socket's state in one number: when it last answered a PING (or was added), or, negated and
 * less one, when we pinged it and are waiting for an answer; in ms since the heartbeat was made.
 * A number that small is a small integer V8 keeps in the map's slot itself, where a `{ seen,
 * pinged }` record with a `Date.now()` (a heap number) was ~56 bytes per connection.
 */
export type Beat = number;
const pingedAt = (at: number): Beat => -at - 1;

/**
 * Where the heartbeat keeps each socket's number: a `Map` of its own by default; a transport may
 * keep it in the record it has per socket anyway, and list the sockets from the server's client
 * set, instead of a table entry per socket.
 */
export interface BeatStore {
  get(socket: WebSocket): Beat | undefined;
  set(socket: WebSocket, beat: Beat): void;
  delete(socket: WebSocket): void;
  /** Every socket with a number. */
  entries(): Iterable<[WebSocket, Beat]>;
}

/**
 * Keep-alive for every socket on one timer, in tRPC's terms: `pingMs` after its last answer a
 * socket gets a text `PING`; one that does not answer `PONG` within `pongWaitMs` is terminated.
 * Only a PONG counts: a client that keeps sending but never reads (and so never sees the PING) is
 * not alive in the sense that matters, it is a buffer growing. One small record per socket instead
 * of timers and closures of its own.
 */
export function createHeartbeat(pingMs: number, pongWaitMs: number, clock: () => number = Date.now, sockets: BeatStore = new Map<WebSocket, Beat>()) {
  const epoch = clock();
  // Whole, through Math.floor: the difference of two doubles is a heap number of its own until the
  // code is optimized, while Math.floor hands back a small integer whenever the value is one.
  const now = () => Math.floor(clock() - epoch);
  const tickMs = Math.max(20, Math.min(pingMs, pongWaitMs) / 4);
  let timer: NodeJS.Timeout | null = null;

  function tick(): void {
    const at = now();
    let kept = 0;
    for (const [socket, beat] of sockets.entries()) {
      kept++;
      if (beat < 0) {
        if (at - pingedAt(beat) >= pongWaitMs) {
          sockets.delete(socket);
          kept--;
          socket.terminate();
        }
      } else if (at - beat >= pingMs && socket.readyState === OPEN) {
        sockets.set(socket, pingedAt(at));
        socket.send('PING');
      }
    }
    if (kept === 0) stop();
  }

  function stop(): void {
    if (timer) clearInterval(timer);
    timer = null;
  }

  return {
    add(socket: WebSocket): void {
      sockets.set(socket, now());
      if (!timer) {
        timer = setInterval(tick, tickMs);
        timer.unref();
      }
    },
    /** The socket answered PONG: it reads what we send. */
    seen(socket: WebSocket): void {
      if (sockets.get(socket) !== undefined) sockets.set(socket, now());
    },
    remove(socket: WebSocket): void {
      sockets.delete(socket);
    },
    get size(): number {
      let n = 0;
      for (const _ of sockets.entries()) n++;
      return n;
    },
    stop,
  };
}
