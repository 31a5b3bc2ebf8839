import type { DeliveryClass } from '../../shared/schema/stream';
import { structuralEqual } from './change-detector';
import type { Filter } from './filter';
import { SubscriberGroups } from './groups';
import type { Subscriber } from './subscriber';

/** The answer to "what changed since event X?": the changes, or a resync when X is too old. */
export type Since<T> =
  | { kind: 'changes'; upserts: T[]; removes: string[] }
  | { kind: 'resync' };

interface Row<T> {
  id: number;
  value: T;
}

/** The rows a `write` replaced (undefined: there was none), in the order of the diff. */
export interface Replaced<T> {
  upserts: Array<Row<T> | undefined>;
  removes: Array<Row<T> | undefined>;
}

/** The effective changes of one commit to a state topic: what really differs from the current rows. */
export interface StateDiff<T> {
  upserts: Array<{ key: string; value: T }>;
  removes: Array<{ key: string; previous: T }>;
}

export interface StateTopicOptions<T> {
  name: string;
  deliveryClass: Extract<DeliveryClass, 'latest' | 'keyed'>;
  keyOf: (item: T) => string;
  /** Removed keys remembered for resume; older resumes get a resync. @default 10000 */
  maxTombstones?: number;
  /**
   * Subscribers that ask for deltas get rows they hold as patches (changed fields only). Worth it
   * for rows of which a change touches few fields. @default false
   */
  deltas?: boolean;
  /** Brings a row an earlier version wrote (restored from a journal or a snapshot) to today's shape. */
  upgrade?: (row: T) => T;
}

/**
 * A latest- or keyed-class topic: the current row per key, each with the id of the event that last
 * changed it. An upsert equal to the current row (structurally) is not a change and reaches nobody.
 * Resume needs no event backlog: the rows changed after X, plus the keys removed after X.
 */
export class StateTopic<T> {
  readonly name: string;
  readonly deliveryClass: StateTopicOptions<T>['deliveryClass'];
  readonly keyOf: (item: T) => string;
  /** Offers patches to subscribers that ask for deltas (see the option). */
  readonly deltas: boolean;
  readonly subscribers = new SubscriberGroups<T>();
  private readonly rows = new Map<string, Row<T>>();
  private readonly tombstones = new Map<string, Row<T>>();
  /**
   * Walks `tombstones` oldest first for eviction, kept from one eviction to the next: a new
   * iterator would step over every entry evicted before (a Map keeps their holes until it is
   * rehashed), thousands once the bound is reached. Each entry it yields is deleted at once and new
   * ones go in at the end, so every live entry is still ahead of it.
   */
  private oldestTombstones: Iterator<[string, Row<T>]> | null = null;
  /** Removed keys remembered for resume (see the option). */
  readonly maxTombstones: number;
  /** Resumes from before this id cannot be answered exactly. */
  private floor = 0;
  private readonly upgrade: (row: T) => T;

  constructor(options: StateTopicOptions<T>) {
    this.name = options.name;
    this.upgrade = options.upgrade ?? ((row) => row);
    this.deliveryClass = options.deliveryClass;
    this.keyOf = options.keyOf;
    this.maxTombstones = options.maxTombstones ?? 10_000;
    this.deltas = options.deltas ?? false;
  }

  /** Sets the floor below which resumes get a resync (the first id this process can answer for). */
  setFloor(id: number): void {
    this.floor = Math.max(this.floor, id);
  }

  get(key: string): T | undefined {
    return this.rows.get(key)?.value;
  }

  values(): T[] {
    return [...this.rows.values()].map((row) => row.value);
  }

  get size(): number {
    return this.rows.size;
  }

  /** What setting these rows (null: remove) would really change; null when nothing. */
  diff(next: ReadonlyMap<string, T | null>): StateDiff<T> | null {
    const diff: StateDiff<T> = { upserts: [], removes: [] };
    for (const [key, value] of next) {
      const current = this.rows.get(key);
      if (value === null) {
        if (current) diff.removes.push({ key, previous: current.value });
      } else if (!current || !structuralEqual(current.value, value)) diff.upserts.push({ key, value });
    }
    return diff.upserts.length > 0 || diff.removes.length > 0 ? diff : null;
  }

  /** Applies a diff under event `id` and stages it for every matching subscriber. */
  apply(id: number, diff: StateDiff<T>): void {
    this.publish(id, diff, this.write(id, diff));
  }

  /**
   * The first half of `apply`: sets the rows (what later commits read) and returns the rows they
   * replace, for `publish` or `undo`. Until `publish`, nobody is told and resume knows nothing.
   */
  write(id: number, diff: StateDiff<T>): Replaced<T> {
    const upserts: Array<Row<T> | undefined> = [];
    const removes: Array<Row<T> | undefined> = [];
    for (const { key, value } of diff.upserts) {
      upserts.push(this.rows.get(key));
      this.rows.set(key, { id, value });
    }
    for (const { key } of diff.removes) {
      removes.push(this.rows.get(key));
      this.rows.delete(key);
    }
    return { upserts, removes };
  }

  /** Takes back a `write` that was never published (its transaction failed); the newest first. */
  undo(diff: StateDiff<T>, replaced: Replaced<T>): void {
    const restore = (key: string, row: Row<T> | undefined) => (row ? this.rows.set(key, row) : this.rows.delete(key));
    for (let i = diff.removes.length - 1; i >= 0; i--) restore(diff.removes[i]!.key, replaced.removes[i]);
    for (let i = diff.upserts.length - 1; i >= 0; i--) restore(diff.upserts[i]!.key, replaced.upserts[i]);
  }

  /** The second half of `apply`: remembers removals for resume and stages the diff for every matching subscriber. */
  publish(id: number, diff: StateDiff<T>, replaced: Replaced<T>): void {
    for (let i = 0; i < diff.upserts.length; i++) {
      const { key, value } = diff.upserts[i]!;
      const previous = replaced.upserts[i]?.value;
      this.tombstones.delete(key);
      for (const group of this.subscribers.values()) {
        // A row that no longer matches leaves the views that held it: a removal for them.
        const staged = group.filter.match(value) ? value : previous !== undefined && group.filter.match(previous) ? null : undefined;
        if (staged === undefined) continue;
        // What the group's subscribers hold for the key (for deltas): the previous row, if it matched.
        const held = this.deltas && previous !== undefined && (staged === null || group.filter.match(previous)) ? previous : undefined;
        for (const subscriber of group.subscribers) subscriber.stage(key, staged, id, held);
      }
    }
    for (const { key, previous } of diff.removes) {
      this.remember(key, { id, value: previous });
      for (const group of this.subscribers.values()) {
        if (!group.filter.match(previous)) continue;
        for (const subscriber of group.subscribers) subscriber.stage(key, null, id, previous);
      }
    }
  }

  /** Every row with the id of the event that last changed it (for a snapshot of the desk). */
  dump(): Array<[id: number, value: T]> {
    return [...this.rows.values()].map((row) => [row.id, row.value]);
  }

  /** Loads a persisted row (start-up only: nobody is subscribed yet). */
  restoreRow(id: number, value: T): void {
    this.rows.set(this.keyOf(value), { id, value: this.upgrade(value) });
  }

  /** Loads a persisted removal, oldest first (start-up only). */
  restoreTombstone(id: number, key: string, previous: T): void {
    if (!this.rows.has(key)) this.remember(key, { id, value: this.upgrade(previous) });
  }

  snapshot(filter: Filter<T>): T[] {
    const items: T[] = [];
    for (const row of this.rows.values()) if (filter.match(row.value)) items.push(row.value);
    return items;
  }

  since(lastEventId: number, filter: Filter<T>): Since<T> {
    if (lastEventId < this.floor) return { kind: 'resync' };
    const upserts: T[] = [];
    const removes: string[] = [];
    // A row changed since that no longer matches may have matched then: the client drops it if it
    // holds it. So may a removed row whose last value did not match; removing a key a client does
    // not hold changes nothing.
    for (const [key, row] of this.rows) {
      if (row.id <= lastEventId) continue;
      if (filter.match(row.value)) upserts.push(row.value);
      else removes.push(key);
    }
    for (const [key, row] of this.tombstones) if (row.id > lastEventId) removes.push(key);
    return { kind: 'changes', upserts, removes };
  }

  /** Returns the filter to keep (see `SubscriberGroups.add`). */
  subscribe(filter: Filter<T>, subscriber: Subscriber<T>): Filter<T> {
    return this.subscribers.add(filter, subscriber);
  }

  unsubscribe(filter: Filter<T>, subscriber: Subscriber<T>): void {
    this.subscribers.delete(filter, subscriber);
  }

  private remember(key: string, row: Row<T>): void {
    // A key removed again moves to the newest end, so eviction stays oldest-first.
    this.tombstones.delete(key);
    this.tombstones.set(key, row);
    if (this.tombstones.size > this.maxTombstones) {
      this.oldestTombstones ??= this.tombstones.entries();
      const oldest = this.oldestTombstones.next().value;
      if (oldest) {
        this.tombstones.delete(oldest[0]);
        this.floor = Math.max(this.floor, oldest[1].id);
      }
    }
  }
}
