import type { RawData, WebSocket } from 'ws';
import { clockMs, refilled, spent, waitMs } from '../limits/owed-tokens';
import { rawSocketOf } from './raw-socket';

/** Something served a bounded slice at a time. `serve()` says whether it has more ready now. */
export interface Servable {
  serve(): boolean;
}

/**
 * Round-robin over every connection with requests waiting: each gets one slice per round, and the
 * next round waits for the next turn of the event loop (`setImmediate`), so other sockets' input,
 * timers and delivery run between one connection's slices however much it has queued.
 */
export function createSliceLoop() {
  let pending: Servable[] = [];
  let scheduled = false;
  const run = () => {
    scheduled = false;
    const targets = pending;
    pending = [];
    for (const target of targets) if (target.serve()) pending.push(target);
    if (pending.length > 0 && !scheduled) {
      scheduled = true;
      setImmediate(run);
    }
  };
  return {
    /** Serves `target` in the next round; its own bookkeeping schedules it at most once. */
    schedule(target: Servable): void {
      pending.push(target);
      if (!scheduled) {
        scheduled = true;
        setImmediate(run);
      }
    },
  };
}
export type SliceLoop = ReturnType<typeof createSliceLoop>;

/** Requests run per connection per round. */
const SLICE = 16;
/** Frames queued before the socket stops being read. */
const PAUSE_AT = 8;
const POLL_MS = 20;
// Frames ws had already read when the socket was paused are still delivered: one read's worth.
// Past these the client is not a tRPC client; it is closed rather than buffered.
export const HARD_FRAMES = 16_384;
export const HARD_BYTES = 8 * 1024 * 1024;
const FRAME_OVERHEAD = 64;
/** In the slice loop's next round. */
const SCHEDULED = 1;
/** The socket is closing: nothing more is read or run. */
const CLOSED = 2;
/** In a spell of a spent budget (counted once per spell). */
const THROTTLING = 4;
/** Bits of `Inbox.state` from `1 << INBOX_STATE_BITS` up are the subclass's own (`Delivery`'s). */
export const INBOX_STATE_BITS = 3;

/** The empty request queue a backlog starts with and returns to; never written to. */
const NONE: never[] = Object.freeze([]) as unknown as never[];

/**
 * What an inbox holds while it has input queued or a poll pending: made with the first frame
 * queued, dropped once everything ran and no timer waits, so an idle connection keeps one empty
 * field for it instead of five.
 */
interface Backlog<T> {
  frames: { data: RawData; isBinary: boolean }[];
  requests: T[];
  /** Requests before it have run. */
  head: number;
  /** What the queued frames hold, with `FRAME_OVERHEAD` each. */
  bytes: number;
  timer: ReturnType<typeof setTimeout> | null;
}

function newBacklog<T>(): Backlog<T> {
  return { frames: [], requests: NONE, head: 0, bytes: 0, timer: null };
}

/**
 * One connection's input, bounded: every frame (PING and PONG included) spends from the request
 * budgets as it is handled, a batch one per call; requests run in slices while nothing blocks
 * them; and while the budget is spent, requests wait or a few frames are queued, the socket is not
 * read (`pause()`), so what a client can make the server hold is a few frames, not what it sends.
 */
export abstract class Inbox<T> implements Servable {
  private backlog: Backlog<T> | null = null;
  /**
   * `SCHEDULED`, `CLOSED`, `THROTTLING`: three flags in one small integer, not a field each; the
   * bits from `1 << INBOX_STATE_BITS` up are the subclass's.
   */
  protected state = 0;
  /** The connection's own request budget, as two small integers (`owed-tokens`): milli-tokens below full, and since when. */
  private owed = 0;
  private owedAt = 0;

  /**
   * The connection is the inbox: one object per connection holds its input's state beside the
   * rest, instead of a record of its own pointing back at its socket and owner.
   */
  constructor(protected readonly socket: WebSocket) {}

  /** The slice loop every connection of the handler shares (not a field of each). */
  protected abstract get loop(): SliceLoop;

  /** The requests one frame carries; [] when the frame was answered on the spot. */
  protected abstract unpack(data: RawData, isBinary: boolean): T[];
  /** Runs one request. */
  protected abstract run(request: T): void;
  /** True while requests must wait: too many in flight, output over the high-water mark, no context yet. */
  protected abstract blocked(): boolean;
  /** The client answered our PING. */
  protected abstract pong(): void;
  /** The connection's own request budget: frames and calls per second, and in a burst. */
  protected abstract get rate(): { readonly perSecond: number; readonly burst: number };
  /** Spends `n` from the budgets shared with other connections (the caller's). */
  protected abstract spendShared(n: number): void;
  /** Milliseconds until the shared budgets have a token again; 0 when they have one now. */
  protected abstract sharedWaitMs(): number;
  /** The socket stopped being read because a budget is spent. */
  protected abstract throttled(): void;

  /** A frame from the socket. */
  push(data: RawData, isBinary: boolean): void {
    if (this.state & CLOSED) return;
    const size = Buffer.isBuffer(data) ? data.length : 0;
    if (!isBinary && size === 4 && String(data) === 'PONG') {
      // Nothing to answer, so nothing to queue; it still costs its share of the budget.
      this.spend(1);
      this.pong();
    } else {
      const backlog = (this.backlog ??= newBacklog());
      backlog.frames.push({ data, isBinary });
      backlog.bytes += size + FRAME_OVERHEAD;
      if (backlog.frames.length > HARD_FRAMES || backlog.bytes > HARD_BYTES) {
        this.stopReading();
        this.socket.close(1008, 'too much unread input');
        return;
      }
      this.wake();
    }
    this.pace();
  }

  /** Something that blocked requests is gone (an answer went out, the context is ready). */
  wake(): void {
    if (this.state & (CLOSED | SCHEDULED) || this.idle()) return;
    this.state |= SCHEDULED;
    this.loop.schedule(this);
  }

  serve(): boolean {
    if (this.state & CLOSED) {
      this.state &= ~SCHEDULED;
      return false;
    }
    let done = 0;
    // The answers of one slice leave in one write, not one syscall each.
    const raw = rawSocketOf(this.socket);
    raw?.cork();
    while (done < SLICE && !this.idle() && !this.blocked() && this.budgetWaitMs() === 0) {
      done++;
      // Not idle, so there is a backlog.
      const backlog = this.backlog!;
      if (backlog.head < backlog.requests.length) {
        const request = backlog.requests[backlog.head]!;
        backlog.requests[backlog.head++] = undefined as T;
        if (backlog.head === backlog.requests.length) {
          backlog.requests = NONE;
          backlog.head = 0;
        }
        this.run(request);
        continue;
      }
      const frame = backlog.frames.shift()!;
      backlog.bytes -= (Buffer.isBuffer(frame.data) ? frame.data.length : 0) + FRAME_OVERHEAD;
      const unpacked = this.unpack(frame.data, frame.isBinary);
      const cost = Math.max(1, unpacked.length);
      this.spend(cost);
      if (unpacked.length > 0) backlog.requests = backlog.head === 0 && backlog.requests.length === 0 ? unpacked : backlog.requests.concat(unpacked);
    }
    raw?.uncork();
    this.pace();
    this.dropBacklog();
    const more = !this.idle() && !this.blocked() && this.budgetWaitMs() === 0;
    this.state = more ? this.state | SCHEDULED : this.state & ~SCHEDULED;
    return more;
  }

  /** Stops everything; the socket is closing. */
  stopReading(): void {
    this.state |= CLOSED;
    const timer = this.backlog?.timer;
    if (timer) clearTimeout(timer);
    this.backlog = null;
  }

  /** Lets the backlog go once nothing is queued and no poll waits. */
  private dropBacklog(): void {
    if (this.backlog !== null && this.backlog.timer === null && this.idle()) this.backlog = null;
  }

  /** Spends `n` from every budget a request spends from: the connection's, and the caller's across connections. */
  private spend(n: number): void {
    this.refill();
    this.owed = spent(this.owed, n, this.rate.burst);
    this.spendShared(n);
  }

  /** Milliseconds until every budget has a token again; 0 when they have one now. */
  private budgetWaitMs(): number {
    this.refill();
    const { perSecond, burst } = this.rate;
    return Math.max(waitMs(this.owed, burst, perSecond), this.sharedWaitMs());
  }

  private refill(): void {
    const now = clockMs();
    this.owed = refilled(this.owed, now - this.owedAt, this.rate.perSecond);
    this.owedAt = now;
  }

  private idle(): boolean {
    const backlog = this.backlog;
    return backlog === null || (backlog.frames.length === 0 && backlog.head >= backlog.requests.length);
  }

  /** Reads the socket only while the budget allows and little is queued; polls back when waiting. */
  private pace(): void {
    if (this.state & CLOSED) return;
    const wait = this.budgetWaitMs();
    const backlog = this.backlog;
    const queued = backlog === null ? 0 : backlog.frames.length + (backlog.requests.length - backlog.head);
    const blocked = queued > 0 && this.blocked();
    // Counted once per spell of a spent budget, however often this runs during it.
    if (wait > 0 !== ((this.state & THROTTLING) !== 0)) {
      this.state ^= THROTTLING;
      if (wait > 0) this.throttled();
    }
    if (wait > 0 || blocked || queued >= PAUSE_AT) {
      if (!this.socket.isPaused) this.socket.pause();
    } else if (this.socket.isPaused) this.socket.resume();
    if ((wait > 0 || blocked) && (backlog === null || backlog.timer === null)) {
      const waiting = backlog ?? (this.backlog = newBacklog());
      waiting.timer = setTimeout(() => {
        waiting.timer = null;
        this.pace();
        this.wake();
        this.dropBacklog();
      }, Math.max(wait, POLL_MS));
    }
  }
}
