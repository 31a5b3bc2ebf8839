import type { Filter } from '../hub/filter';
import type { Hub, Topic } from '../hub/hub';
import { first, resync, usesDeltas, type StreamPlan } from '../hub/stream';
import { LogTopic } from '../hub/log-topic';
import { Subscriber, SUBSCRIBER_FLAG_BITS, type DeltaMode, type QueuePolicy } from '../hub/subscriber';
import { dataFrameTail, type FrameHead } from './frames';
import { writeTextFrame, type FrameSocket } from './raw-frames';

/**
 * The JSON of the last message built for one topic + filter group, with the window of commits it
 * covers. Every subscriber of the group that was idle before commit `firstId` and has received
 * every commit up to `lastId` since holds exactly the same pending rows or events, so it can send
 * these bytes instead of building and serializing its own. That holds because an event id names
 * exactly one commit: the hub never gives two commits one id, and derived values (health, stats)
 * take none and never come through here.
 */
export interface SharedPayload extends QueuePolicy {
  /** The group: what its subscribers would each hold otherwise (one record per group, not per subscriber). */
  readonly owner: PayloadShares;
  readonly hub: Hub;
  readonly topic: Topic<unknown>;
  readonly key: string;
  /**
   * The group's filter: its subscribers' filters all have its key, and the topic keeps one filter
   * object per key (`SubscriberGroups.add` returns it), so it is kept here rather than by each.
   */
  filter: Filter<unknown>;
  firstId: number;
  lastId: number;
  json: string;
  /** The data frame after its head (`dataFrameTail`) for `json` under `lastId`. */
  tail: string;
  /** `tail` as UTF-8, encoded on first use and then written for every subscriber of the group. */
  bytes: Buffer | null;
  refs: number;
}

/** What follows a subscription's head in its next frame: its group's payload, or a resync of its own. */
type FrameTail = Pick<SharedPayload, 'tail' | 'bytes'>;

/**
 * The key subscribers share payloads under: their filter's, apart for those that get patches (the
 * same commits make other bytes for them).
 */
export function shareKeyOf(filterKey: string, deltas: DeltaMode): string {
  return deltas === false ? filterKey : `${filterKey}\u0000deltas${deltas === 'compact' ? ':compact' : ''}`;
}

/** Shared payloads per topic and share key (`shareKeyOf`), alive while a subscriber uses them. */
export class PayloadShares {
  private readonly byTopic = new Map<Topic<unknown>, Map<string, SharedPayload>>();

  /** The group of `topic` (on `hub`) and `key`, with one more subscriber whose filter is `filter` (of the key `key` is made from). */
  acquire(hub: Hub, topic: Topic<unknown>, key: string, filter: Filter<unknown>): SharedPayload {
    let byKey = this.byTopic.get(topic);
    if (!byKey) this.byTopic.set(topic, (byKey = new Map()));
    let share = byKey.get(key);
    if (!share) byKey.set(key, (share = { maxQueue: hub.maxQueue, counters: hub.counters, owner: this, hub, topic, key, filter, firstId: 0, lastId: 0, json: '', tail: '', bytes: null, refs: 0 }));
    share.refs++;
    return share;
  }

  /** One subscriber fewer; the group goes with its last. */
  release(share: SharedPayload): void {
    if (--share.refs > 0) return;
    const byKey = this.byTopic.get(share.topic);
    if (byKey?.get(share.key) === share) byKey.delete(share.key);
    if (byKey?.size === 0) this.byTopic.delete(share.topic);
  }

  /** Groups with a shared payload (for tests). */
  get size(): number {
    let n = 0;
    for (const byKey of this.byTopic.values()) n += byKey.size;
    return n;
  }
}

/** A `maxHz` subscription's pacing: the least gap, when the last message went out, the timer for the next slot. */
interface Pace {
  readonly minGapMs: number;
  lastSentAt: number;
  timer: ReturnType<typeof setTimeout> | null;
  /** The timer fired: the next message may go whatever the clock says. */
  elapsed: boolean;
}

/** Where a subscription asks to be flushed when something is pending. */
export interface Outlet {
  enqueue(subscription: FastSubscription<unknown>): void;
}

/**
 * One subscription delivered without a generator: the hub stages into it (the same bounded,
 * conflating queue as the stock path), it asks its connection for a flush, and the connection
 * takes one frame from it when the socket is not congested and `maxHz` allows.
 */
/** A subscription's rarer options, in a record of their own only when asked for. */
interface Rare {
  /** Rows of a log topic's first frame (`limit`). */
  readonly limit: number;
  /** `maxHz` only. */
  readonly pace: Pace | null;
}

// Bits of the subscriber's flags above its own.
const QUEUED = 1 << SUBSCRIBER_FLAG_BITS;
const STOPPED = 2 << SUBSCRIBER_FLAG_BITS;
/** It has a `Rare` record (in `rares`). */
const RARE = 4 << SUBSCRIBER_FLAG_BITS;

/** The rare options of the subscriptions that set them, by subscription: no field for them in every other one. */
const rares = new WeakMap<FastSubscription<unknown>, Rare>();

/**
 * One subscription delivered without a generator: the hub stages into it (the same bounded,
 * conflating queue as the stock path), it asks its connection for a flush, and the connection
 * takes one frame from it when the socket is not congested and `maxHz` allows. What is the same
 * for its whole group (hub, topic, share key, filter) it reads from its shared payload; its flags
 * share one small integer with the subscriber's; `limit` and `maxHz` live in a record made only
 * for the subscriptions that set them, in a table beside them (`rares`).
 */
export class FastSubscription<T> extends Subscriber<T> {
  /** The commit that made the queue non-empty (the newest in it is the subscriber's `pendingId`). */
  private firstId = 0;
  constructor(
    plan: StreamPlan<T>,
    /** The frame's fixed start for this subscription (`sharedHead`). */
    protected readonly head: FrameHead,
    protected readonly outlet: Outlet,
    /** Its group's payload (`PayloadShares.acquire` for `plan`'s topic), which is its queue policy too. */
    share: SharedPayload,
  ) {
    // The shared payload carries the hub's limits and counters: one field for both.
    super(share, usesDeltas(plan.topic, plan.options));
    const { options } = plan;
    const pace: Pace | null = options.maxHz ? { minGapMs: 1000 / options.maxHz, lastSentAt: 0, timer: null, elapsed: false } : null;
    if (pace !== null || options.limit !== undefined) {
      rares.set(this as FastSubscription<unknown>, { limit: options.limit ?? 50, pace });
      this.flags |= RARE;
    }
  }

  private get rare(): Rare | null {
    return (this.flags & RARE) !== 0 ? rares.get(this as FastSubscription<unknown>)! : null;
  }

  /** Its group's payload, kept in the subscriber's policy field. */
  private get share(): SharedPayload {
    return this.policy as SharedPayload;
  }

  private get filter(): Filter<T> {
    return this.share.filter as Filter<T>;
  }

  /** In the connection's flush list. */
  get queued(): boolean {
    return (this.flags & QUEUED) !== 0;
  }

  set queued(on: boolean) {
    this.flags = on ? this.flags | QUEUED : this.flags & ~QUEUED;
  }

  get stopped(): boolean {
    return (this.flags & STOPPED) !== 0;
  }

  private get hub(): Hub {
    return this.share.hub;
  }

  private get topic(): Topic<T> {
    return this.share.topic as Topic<T>;
  }

  private get limit(): number {
    return this.rare?.limit ?? 50;
  }

  private get pace(): Pace | null {
    return this.rare?.pace ?? null;
  }

  /** A state topic's subscription: its queue keeps only the newest value per row. */
  get conflates(): boolean {
    return !(this.topic instanceof LogTopic);
  }

  /** Registers on the topic and returns the first frame: snapshot, or what was missed, or a resync. */
  start(lastEventId: string | null | undefined): string {
    this.share.filter = this.topic.subscribe(this.filter, this) as Filter<unknown>;
    const out = first(this.hub, this.topic, { filter: this.filter, lastEventId }, this.limit);
    return this.frame(out.id, JSON.stringify(out.message));
  }

  override stage(key: string, value: T | null, id: number, held?: T): void {
    if (!this.hasPending) this.firstId = id;
    super.stage(key, value, id, held);
  }

  override push(items: readonly T[], id: number): void {
    if (!this.hasPending) this.firstId = id;
    super.push(items, id);
  }

  override wake(): void {
    if (this.queued || this.stopped || (this.pace !== null && this.pace.timer !== null)) return;
    this.queued = true;
    this.outlet.enqueue(this as FastSubscription<unknown>);
  }

  /**
   * True when `maxHz` holds the next message back; a timer then re-queues the subscription when
   * its slot comes (meanwhile its queue keeps conflating).
   */
  holdBack(): boolean {
    const pace = this.pace;
    if (pace === null || pace.elapsed) return false;
    const wait = pace.lastSentAt + pace.minGapMs - Date.now();
    if (wait <= 0) return false;
    pace.timer = setTimeout(() => {
      pace.timer = null;
      pace.elapsed = true;
      this.wake();
    }, wait);
    return true;
  }

  /** Takes everything pending as one frame (a resync after an overflow); null when nothing is. */
  nextFrame(): string | null {
    const next = this.nextTail();
    return next === null ? null : this.sent(this.head.text + next.tail);
  }

  /**
   * `nextFrame`, written straight to the TCP socket (`writeTextFrame`): the group's payload is
   * encoded once, not once per subscriber. Returns the message's size in bytes, 0 when nothing was
   * pending.
   */
  writeNext(socket: FrameSocket): number {
    const next = this.nextTail();
    if (next === null) return 0;
    this.sent('');
    return writeTextFrame(socket, this.head.bytes, (next.bytes ??= Buffer.from(next.tail)));
  }

  /** `nextFrame`'s message without the frame: its event id and JSON (for packed frames). */
  nextPayload(): Pick<SharedPayload, 'lastId' | 'json'> | null {
    if (this.overflowed) {
      if (this.pace !== null) this.pace.elapsed = false;
      this.reset();
      const out = resync(this.hub, this.topic, this.filter, this.limit);
      this.sent('');
      return { lastId: out.id, json: JSON.stringify(out.message) };
    }
    // Not overflowed: what `nextTail` returns is the group's payload.
    if (this.nextTail() === null) return null;
    this.sent('');
    return this.share;
  }

  private nextTail(): FrameTail | null {
    if (this.pace !== null) this.pace.elapsed = false;
    if (this.overflowed) {
      this.reset();
      const out = resync(this.hub, this.topic, this.filter, this.limit);
      return { tail: dataFrameTail(String(out.id), JSON.stringify(out.message)), bytes: null };
    }
    if (!this.hasPending) return null;
    const share = this.share;
    if (share.firstId === this.firstId && share.lastId === this.pendingId) {
      this.reset();
      return share;
    }
    const firstId = this.firstId;
    const out = this.take()!;
    const json = JSON.stringify(out.message);
    share.firstId = firstId;
    share.lastId = out.id;
    share.json = json;
    share.tail = dataFrameTail(String(out.id), json);
    share.bytes = null;
    return share;
  }

  /** Leaves the topic and runs `released`. */
  stop(): void {
    if (this.stopped) return;
    this.flags |= STOPPED;
    const pace = this.pace;
    if (pace?.timer) clearTimeout(pace.timer);
    if (pace !== null) pace.timer = null;
    this.topic.unsubscribe(this.filter, this);
    this.share.owner.release(this.share);
    this.reset();
    this.released();
  }

  /**
   * The subscription stopped: a subclass does its connection's bookkeeping and sends `stopped`
   * here, with what it needs in its fields rather than a closure per subscription.
   */
  protected released(): void {}

  private frame(id: number, json: string): string {
    return this.sent(this.head.text + dataFrameTail(String(id), json));
  }

  private sent(frame: string): string {
    this.hub.counters.messagesSent++;
    if (this.pace !== null) this.pace.lastSentAt = Date.now();
    return frame;
  }
}
