import type { Filter } from './filter';
import type { Subscriber } from './subscriber';

interface Group<T> {
  /** The first subscriber's filter; later ones with the same key share it. */
  filter: Filter<T>;
  subscribers: Set<Subscriber<T>>;
}

/** The subscribers of one topic, grouped by filter so each predicate runs once per event. */
export class SubscriberGroups<T> {
  private readonly groups = new Map<string, Group<T>>();
  size = 0;

  /**
   * Adds the subscriber to its filter's group and returns the group's filter, which the caller
   * keeps instead of its own: a thousand subscribers of one watchlist hold one filter, not a
   * thousand copies of its key, set and predicate.
   */
  add(filter: Filter<T>, subscriber: Subscriber<T>): Filter<T> {
    let group = this.groups.get(filter.key);
    if (!group) {
      group = { filter, subscribers: new Set() };
      this.groups.set(filter.key, group);
    }
    group.subscribers.add(subscriber);
    this.size++;
    return group.filter;
  }

  delete(filter: Filter<T>, subscriber: Subscriber<T>): void {
    const group = this.groups.get(filter.key);
    if (!group?.subscribers.delete(subscriber)) return;
    this.size--;
    if (group.subscribers.size === 0) this.groups.delete(filter.key);
  }

  /** Items waiting in all these subscribers' queues. */
  pendingItems(): number {
    let total = 0;
    for (const group of this.groups.values()) for (const subscriber of group.subscribers) total += subscriber.pendingCount;
    return total;
  }

  get groupCount(): number {
    return this.groups.size;
  }

  values(): IterableIterator<Group<T>> {
    return this.groups.values();
  }
}
