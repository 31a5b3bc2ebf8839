import type { WebSocket } from 'ws';
import type { FastSubscription, Outlet } from './fast-subscription';
import type { Flushable, Flusher } from './flusher';
import { rawSocketOf } from './raw-socket';

const OPEN = 1;
const CONGESTION_POLL_MS = 20;

/**
 * One connection's outgoing side for the desk's direct streams: subscriptions with something new
 * ask for a flush, and once per turn of the event loop the connection writes one frame for each
 * (corked into one write), until the socket is over the high-water mark; then delivery waits,
 * polling, and state topics conflate meanwhile.
 */
export class Delivery implements Outlet, Flushable {
  private dirty: FastSubscription<unknown>[] | null = null;
  private flushQueued = false;
  private congestion: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly socket: WebSocket,
    private readonly flusher: Flusher,
    /** The connection's context: `isCongested()` while its socket is over the high-water mark. */
    private readonly connection: { isCongested(): boolean },
  ) {}

  enqueue(subscription: FastSubscription<unknown>): void {
    (this.dirty ??= []).push(subscription);
    if (!this.flushQueued && this.congestion === null) {
      this.flushQueued = true;
      this.flusher.schedule(this);
    }
  }

  /** Sends one frame per subscription with something pending, until the socket is congested. */
  flush(): void {
    this.flushQueued = false;
    const dirty = this.dirty;
    this.dirty = null;
    if (dirty === null) return;
    if (this.socket.readyState !== OPEN) {
      for (const sub of dirty) sub.queued = false;
      return;
    }
    const raw = dirty.length > 1 ? rawSocketOf(this.socket) : undefined;
    raw?.cork();
    let i = 0;
    for (; i < dirty.length; i++) {
      const sub = dirty[i]!;
      if (sub.stopped || !sub.hasPending) {
        sub.queued = false;
        continue;
      }
      if (sub.holdBack()) {
        sub.queued = false;
        continue;
      }
      // Over the high-water mark: delivery waits, and state topics conflate meanwhile.
      if (this.connection.isCongested()) break;
      sub.queued = false;
      const frame = sub.nextFrame();
      if (frame !== null) this.socket.send(frame);
    }
    raw?.uncork();
    if (i < dirty.length) {
      const rest = dirty.slice(i);
      this.dirty = this.dirty === null ? rest : rest.concat(this.dirty);
      this.congestion = setTimeout(() => {
        this.congestion = null;
        if (this.dirty !== null && !this.flushQueued) {
          this.flushQueued = true;
          this.flusher.schedule(this);
        }
      }, CONGESTION_POLL_MS);
    }
  }

  /** The socket closed: nothing more goes out. */
  close(): void {
    if (this.congestion !== null) clearTimeout(this.congestion);
    this.congestion = null;
    this.dirty = null;
  }
}
