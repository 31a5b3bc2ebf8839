import type { RawData, WebSocket } from 'ws';
import { TokenBucket } from '../limits/token-bucket';
import { createHeartbeat } from './heartbeat';

const EMPTY_BATCH = /^\s*\[\s*\]\s*$/;
const POLL_MS = 20;

export interface FrameGuardOptions {
  keepAlive: { enabled: boolean; pingMs: number; pongWaitMs: number };
  /** Outgoing bytes buffered above which the socket is not read. */
  highWaterMark: number;
  /** Frames per second per connection, and the burst. */
  perSecond: number;
  burst: number;
  /** The socket stopped being read because a budget is spent. */
  onThrottled?: () => void;
}

/**
 * What the stock transport (tRPC's own adapter) gets at the socket level, since its request
 * handling is not ours: every frame spends from the connection's budget and its caller's (the
 * address: the adapter makes the context inside), one per 50 bytes as if each held as many calls
 * as it could, and while a budget is spent or the outgoing
 * buffer is over the high-water mark the socket is not read; keep-alive counts only PONG; and the
 * one malformed frame the adapter passes over in silence, an empty batch, gets a PARSE_ERROR in
 * tRPC's own shape. Not bounded here: calls per batch and calls in flight (the adapter runs a
 * batch's calls at once) — the desk transport bounds those.
 */
export function createFrameGuard(options: FrameGuardOptions) {
  const heartbeat = options.keepAlive.enabled ? createHeartbeat(options.keepAlive.pingMs, options.keepAlive.pongWaitMs) : null;

  return {
    guard(socket: WebSocket, shared: TokenBucket | null): void {
      const own = new TokenBucket(options.perSecond, options.burst);
      const budgets = shared ? [own, shared] : [own];
      let timer: ReturnType<typeof setTimeout> | null = null;
      let throttling = false;
      const pace = () => {
        let wait = 0;
        for (const budget of budgets) wait = Math.max(wait, budget.waitMs());
        if (wait > 0 !== throttling) {
          throttling = wait > 0;
          if (throttling) options.onThrottled?.();
        }
        const congested = socket.bufferedAmount > options.highWaterMark;
        if (wait > 0 || congested) {
          if (!socket.isPaused) socket.pause();
          timer ??= setTimeout(() => {
            timer = null;
            pace();
          }, Math.max(wait, POLL_MS));
        } else if (socket.isPaused) socket.resume();
      };
      heartbeat?.add(socket);
      socket.on('message', (data: RawData, isBinary: boolean) => {
        // The adapter's calls per frame are not ours to count; a call takes at least ~50 bytes, so
        // a frame costs as many calls as it could hold.
        const cost = 1 + Math.floor((Buffer.isBuffer(data) ? data.length : 0) / 50);
        for (const budget of budgets) budget.spend(cost);
        pace();
        if (isBinary || !Buffer.isBuffer(data) || data.length > 16) return;
        const text = data.toString('utf8');
        if (text === 'PONG') heartbeat?.seen(socket);
        else if (EMPTY_BATCH.test(text)) {
          socket.send('{"id":null,"error":{"message":"empty batch","code":-32700,"data":{"code":"PARSE_ERROR","httpStatus":400}}}');
        }
      });
      socket.on('close', () => {
        heartbeat?.remove(socket);
        if (timer !== null) clearTimeout(timer);
        timer = null;
      });
    },
  };
}
