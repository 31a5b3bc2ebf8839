/** One commit's events in a log topic. */
export interface Entry<T> {
  id: number;
  items: readonly T[];
}

/**
 * The recent history of a log topic, bounded by a number of events. Entries are kept in id order;
 * when the oldest are evicted, `floor` moves to the newest evicted id, so a resume from before it
 * is known to be incomplete.
 */
export class ReplayBuffer<T> {
  private entries: Entry<T>[] = [];
  private start = 0;
  private count = 0;
  floor = 0;

  constructor(readonly capacity: number) {}

  push(id: number, items: readonly T[]): void {
    this.entries.push({ id, items });
    this.count += items.length;
    while (this.count > this.capacity && this.start < this.entries.length) {
      const evicted = this.entries[this.start++]!;
      this.count -= evicted.items.length;
      this.floor = Math.max(this.floor, evicted.id);
    }
    // Compact now and then so the array does not grow with everything ever evicted.
    if (this.start > 1024 && this.start * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.start);
      this.start = 0;
    }
  }

  /** Events after `id`, oldest first, or null when some of them were already evicted. */
  after(id: number, match: (item: T) => boolean): T[] | null {
    if (id < this.floor) return null;
    const out: T[] = [];
    for (let i = this.firstAfter(id); i < this.entries.length; i++) {
      for (const item of this.entries[i]!.items) if (match(item)) out.push(item);
    }
    return out;
  }

  /** The last `limit` matching events, oldest first. */
  last(limit: number, match: (item: T) => boolean): T[] {
    const out: T[] = [];
    for (let i = this.entries.length - 1; i >= this.start && out.length < limit; i--) {
      const items = this.entries[i]!.items;
      for (let j = items.length - 1; j >= 0 && out.length < limit; j--) {
        if (match(items[j]!)) out.push(items[j]!);
      }
    }
    return out.reverse();
  }

  /** The entries held, oldest first (for a snapshot of the desk). */
  dump(): Entry<T>[] {
    return this.entries.slice(this.start);
  }

  get size(): number {
    return this.count;
  }

  private firstAfter(id: number): number {
    let lo = this.start;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.id <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
