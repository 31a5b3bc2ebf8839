import type { ByteBudget } from './byte-budget';
import type { FastSubscription, Outlet } from './fast-subscription';
import type { Flushable, Flusher } from './flusher';
import type { RequestId } from './frames';
import { Inbox, INBOX_STATE_BITS } from './inbox';
import type { PackedFrames } from './packed-frames';
import { frameSocketOf } from './raw-frames';
import { rawSocketOf } from './raw-socket';

const OPEN = 1;
const CONGESTION_POLL_MS = 20;
/** In the flusher's queue (a bit of the inbox's `state`, above the inbox's own). */
const FLUSH_QUEUED = 1 << INBOX_STATE_BITS;
/** Bits of the inbox's `state` from `1 << DELIVERY_STATE_BITS` up are the subclass's own. */
export const DELIVERY_STATE_BITS = INBOX_STATE_BITS + 1;

/**
 * What only some connections use: a bandwidth budget, packed frames (both for as long as the
 * connection lives), the poll of a congested socket, and the flush list of a connection with more
 * than one subscription to flush at once; made on first use, so a connection without them keeps
 * one empty field instead of four.
 */
interface Extras {
  /** Subscriptions waiting for the flush after the first (`one`). */
  dirty: FastSubscription<unknown>[] | null;
  /** The bytes this connection may be sent before its state topics conflate; null: no limit. */
  budget: ByteBudget<FastSubscription<unknown>> | null;
  /** The connection asked for packed frames: one flush's messages go as one frame. */
  packed: PackedFrames | null;
  congestion: ReturnType<typeof setTimeout> | null;
}

/**
 * One connection's outgoing side for the desk's direct streams: subscriptions with something new
 * ask for a flush, and once per turn of the event loop the connection writes one frame for each
 * (corked into one write), until the socket is over the high-water mark; then delivery waits,
 * polling, and state topics conflate meanwhile. With a bandwidth budget, a connection that has spent
 * it holds its state subscriptions back (they conflate: only the newest value per row goes once the
 * budget allows again); log subscriptions are never held by it, they keep their queue and its
 * overflow policy.
 *
 * The connection is its delivery, as it is its inbox (`DeskConnection` extends `Delivery` extends
 * `Inbox`): one object per connection instead of records pointing back at its socket and context.
 */
export abstract class Delivery<T> extends Inbox<T> implements Outlet, Flushable {
  /**
   * Subscriptions waiting for the flush, in order: the first in `one`, the rest in `dirty`. A
   * connection most often has one subscription with news per flush, and then no array is made.
   */
  private one: FastSubscription<unknown> | null = null;
  private extras: Extras | null = null;

  /** The flusher every connection of the handler shares (not a field of each). */
  protected abstract get flusher(): Flusher;
  /** True while the socket is over the high-water mark (the connection's context says). */
  protected abstract isCongested(): boolean;

  /** The bytes this connection may be sent before its state topics conflate; null: no limit. */
  protected get budget(): ByteBudget<FastSubscription<unknown>> | null {
    return this.extras?.budget ?? null;
  }

  protected set budget(budget: ByteBudget<FastSubscription<unknown>> | null) {
    if (budget !== null || this.extras !== null) this.withExtras().budget = budget;
  }

  /** The connection asked for packed frames: one flush's messages go as one frame. */
  protected get packed(): PackedFrames | null {
    return this.extras?.packed ?? null;
  }

  protected set packed(packed: PackedFrames | null) {
    if (packed !== null || this.extras !== null) this.withExtras().packed = packed;
  }

  private get dirty(): FastSubscription<unknown>[] | null {
    return this.extras?.dirty ?? null;
  }

  private set dirty(dirty: FastSubscription<unknown>[] | null) {
    if (dirty !== null || this.extras !== null) this.withExtras().dirty = dirty;
  }

  private get congested(): boolean {
    return this.extras !== null && this.extras.congestion !== null;
  }

  private withExtras(): Extras {
    return (this.extras ??= { dirty: null, budget: null, packed: null, congestion: null });
  }

  /** Asks the flusher for a flush, once until it runs. */
  private scheduleFlush(): void {
    if (this.state & FLUSH_QUEUED) return;
    this.state |= FLUSH_QUEUED;
    this.flusher.schedule(this);
  }

  enqueue(subscription: FastSubscription<unknown>): void {
    if (this.one === null && this.dirty === null) this.one = subscription;
    else (this.dirty ??= []).push(subscription);
    if (!this.congested) this.scheduleFlush();
  }

  /** Sends one frame per subscription with something pending, until the socket is congested. */
  flush(): void {
    this.state &= ~FLUSH_QUEUED;
    const one = this.one;
    this.one = null;
    if (one !== null && this.dirty === null) {
      if (!this.deliver(one)) this.wait([one]);
      this.sendPacked();
      return;
    }
    const dirty = one !== null ? [one, ...this.dirty!] : this.dirty;
    this.dirty = null;
    if (dirty === null) return;
    const raw = dirty.length > 1 ? rawSocketOf(this.socket) : undefined;
    raw?.cork();
    let i = 0;
    while (i < dirty.length && this.deliver(dirty[i]!)) i++;
    this.sendPacked();
    raw?.uncork();
    if (i < dirty.length) this.wait(dirty.slice(i));
  }

  private sendPacked(): void {
    const frame = this.extras?.packed?.take();
    if (frame != null) this.socket.send(frame);
  }

  /** Sends `sub`'s next frame if it has one; false when the socket is congested (it waits then). */
  private deliver(sub: FastSubscription<unknown>): boolean {
    if (this.socket.readyState !== OPEN || sub.stopped || !sub.hasPending || sub.holdBack()) {
      sub.queued = false;
      return true;
    }
    // Over the high-water mark: delivery waits, and state topics conflate meanwhile.
    if (this.isCongested()) return false;
    const budget = this.budget;
    // Over budget: a state subscription waits, still queued (so its rows conflate), until it allows.
    if (budget !== null && sub.conflates && !budget.allows()) {
      budget.hold(sub, this);
      return true;
    }
    sub.queued = false;
    const packed = this.packed;
    if (packed !== null) {
      // The desk handler's subscriptions carry their request id.
      const payload = sub.nextPayload();
      if (payload === null) return true;
      const bytes = packed.add((sub as unknown as { requestId: RequestId }).requestId, payload);
      budget?.spend(bytes);
      return true;
    }
    const direct = frameSocketOf(this.socket);
    if (direct !== null) {
      const bytes = sub.writeNext(direct);
      if (bytes > 0) budget?.spend(bytes);
      return true;
    }
    const frame = sub.nextFrame();
    if (frame !== null) {
      this.socket.send(frame);
      budget?.spend(Buffer.byteLength(frame));
    }
    return true;
  }

  /** The socket is congested: `rest` goes out first once it drains (polled). */
  private wait(rest: FastSubscription<unknown>[]): void {
    const queued = this.one !== null ? [this.one, ...(this.dirty ?? [])] : this.dirty;
    this.one = null;
    this.dirty = queued === null ? rest : rest.concat(queued);
    const extras = this.withExtras();
    extras.congestion = setTimeout(() => {
      extras.congestion = null;
      if (this.dirty !== null || this.one !== null) this.scheduleFlush();
    }, CONGESTION_POLL_MS);
  }

  /** The budget allows again: the state subscriptions it held go back in line. */
  requeue(held: FastSubscription<unknown>[]): void {
    this.dirty = this.dirty === null ? held : this.dirty.concat(held);
    if (!this.congested) this.scheduleFlush();
  }

  /** The socket closed: nothing more goes out. */
  protected stopWriting(): void {
    const extras = this.extras;
    if (extras?.congestion) clearTimeout(extras.congestion);
    if (extras !== null) extras.congestion = null;
    this.one = null;
    this.dirty = null;
    extras?.budget?.close();
  }
}
