import type { RowPatch, StreamMessage } from '../../shared/schema/stream';
import { compactPatch, type CompactPatch } from '../../shared/stream/compact';
import type { HubCounters } from './counters';
import { rowDelta } from './patch';

/** How a subscriber gets rows it holds: whole, as `patches`, or as `compact` patches. */
export type DeltaMode = boolean | 'compact';

const REMOVED: unique symbol = Symbol('removed');
/** `Subscriber.flags`: the log queue overflowed (a resync goes next). */
const OVERFLOWED = 1;
/** `Subscriber.flags`: deltas go as `compact` patches. */
const COMPACT = 2;
/** Bits of `Subscriber.flags` from `1 << SUBSCRIBER_FLAG_BITS` up are a subclass's own. */
export const SUBSCRIBER_FLAG_BITS = 2;
/** The empty queue every idle log subscriber shares; never pushed to. */
const NONE: never[] = Object.freeze([]) as unknown as never[];
type Staged<T> = T | typeof REMOVED;

/** What bounds a subscriber's queue and counts what it does: its hub (`Hub` has both). */
export interface QueuePolicy {
  readonly maxQueue: number;
  readonly counters: HubCounters;
}

/** A message ready to go out, with the event id it brings the subscriber up to. */
export interface Outgoing<T> {
  id: number;
  message: StreamMessage<T>;
}

/**
 * One subscriber's bounded queue. State topics conflate: only the newest value per key is kept,
 * so the queue never holds more than one entry per row. Log topics queue every event up to
 * `maxQueue`; past that the subscriber is marked `overflowed` and gets a resync snapshot instead.
 * Whatever is pending goes out as one message under the newest event id, so after delivering id X
 * the subscriber's view reflects every change up to X.
 *
 * With `deltas`, a row the subscriber holds goes out as a patch against the value it last
 * received: the row as it was when the key was first staged since the last message (every earlier
 * change had been delivered), however many changes conflated after it.
 */
export class Subscriber<T> {
  /** Created on first use: most subscribers of a quiet topic never need them. */
  private rows: Map<string, Staged<T>> | null = null;
  private items: T[] = NONE;
  /** The newest commit staged or pushed. */
  protected pendingId = 0;
  /**
   * Deltas only: per staged key, the value the subscriber holds (undefined: none); made on first
   * use. `false`: this subscriber gets whole rows.
   */
  private bases: Map<string, T | undefined> | null | false;
  /** `OVERFLOWED`, `COMPACT`, and a subclass's bits above them: one small integer, not a field each. */
  protected flags: number;

  constructor(
    /** The hub's limits and counters: one field for both, shared by every subscriber of the hub (or of its group). */
    protected readonly policy: QueuePolicy,
    /** State topics: send held rows as patches (`'compact'`: compact patches). @default false */
    deltas: DeltaMode = false,
  ) {
    this.bases = deltas ? null : false;
    this.flags = deltas === 'compact' ? COMPACT : 0;
  }

  /** The log queue overflowed: a resync snapshot goes next instead of the events. */
  get overflowed(): boolean {
    return (this.flags & OVERFLOWED) !== 0;
  }

  set overflowed(on: boolean) {
    this.flags = on ? this.flags | OVERFLOWED : this.flags & ~OVERFLOWED;
  }

  /**
   * State topics: stage the newest value (or removal) of one row. `held`: the row's value before
   * this change, when it matched the subscriber's filter (what it holds, for deltas).
   */
  stage(key: string, value: T | null, id: number, held?: T): void {
    const rows = (this.rows ??= new Map());
    if (rows.has(key)) {
      rows.delete(key);
      this.policy.counters.conflated++;
    } else if (this.bases !== false) {
      const bases = this.bases ?? (this.bases = new Map());
      bases.set(key, held);
    }
    rows.set(key, value === null ? REMOVED : value);
    this.pendingId = id;
    this.wake();
  }

  /** Log topics: queue events, or mark the subscriber for a resync when the queue is full. */
  push(items: readonly T[], id: number): void {
    this.pendingId = id;
    if (!this.overflowed) {
      if (this.items.length + items.length > this.policy.maxQueue) {
        this.flags |= OVERFLOWED;
        this.items = NONE;
      } else {
        if (this.items === NONE) this.items = [];
        for (const item of items) this.items.push(item);
      }
    }
    this.wake();
  }

  /** How held rows are sent (see `DeltaMode`). */
  get deltas(): DeltaMode {
    return this.bases === false ? false : (this.flags & COMPACT) !== 0 ? 'compact' : true;
  }

  /** Rows or events waiting to be delivered. */
  get pendingCount(): number {
    return (this.rows?.size ?? 0) + this.items.length;
  }

  get hasPending(): boolean {
    return this.overflowed || (this.rows !== null && this.rows.size > 0) || this.items.length > 0;
  }

  /** Takes everything pending as one message, or null when nothing is. */
  take(): Outgoing<T> | null {
    if (this.items.length > 0) {
      const items = this.items;
      this.items = NONE;
      return { id: this.pendingId, message: { type: 'append', items } };
    }
    if (this.rows !== null && this.rows.size > 0) {
      const upserts: T[] = [];
      const removes: string[] = [];
      const bases = this.bases === false ? null : this.bases;
      const patches: RowPatch<T>[] = [];
      const compact: CompactPatch[] = [];
      for (const [key, value] of this.rows) {
        if (value === REMOVED) removes.push(key);
        else if (bases === null) upserts.push(value);
        else {
          const held = bases.get(key);
          const delta = held === undefined ? null : rowDelta(key, held, value);
          // Back to what the subscriber holds (changed and changed back): nothing to send.
          if (delta?.kind === 'same') continue;
          if (delta?.kind !== 'patch') upserts.push(value);
          // A patch that removes fields keeps the plain form (compact patches only set).
          else if ((this.flags & COMPACT) !== 0 && delta.patch.unset === undefined) compact.push(compactPatch(key, held as Record<string, unknown>, delta.patch.set));
          else patches.push(delta.patch);
        }
      }
      this.rows.clear();
      bases?.clear();
      const message: StreamMessage<T> = { type: 'changes', upserts, removes };
      if (patches.length > 0) message.patches = patches;
      if (compact.length > 0) message.compact = compact;
      return { id: this.pendingId, message };
    }
    return null;
  }

  /** Drops everything pending (a resync snapshot is about to replace it). */
  reset(): void {
    this.rows?.clear();
    if (this.bases) this.bases.clear();
    this.items = NONE;
    this.flags &= ~OVERFLOWED;
  }

  /** Something is pending: a subclass delivers it (or wakes whoever awaits it). */
  wake(): void {}
}

/** A subscriber a generator awaits (`ready`): a subscription procedure's (`streamTopic`). */
export class WaitingSubscriber<T> extends Subscriber<T> {
  private waiter: (() => void) | null = null;

  /** Resolves when something is pending or the signal aborts. */
  ready(signal: AbortSignal): Promise<void> {
    if (this.hasPending || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  override wake(): void {
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = null;
      waiter();
    }
  }
}
