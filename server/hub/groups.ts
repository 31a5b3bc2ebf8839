import type { Filter } from './filter';
import type { Subscriber } from './subscriber';

interface Group<T> {
  match: (item: T) => boolean;
  subscribers: Set<Subscriber<T>>;
}

/** The subscribers of one topic, grouped by filter so each predicate runs once per event. */
export class SubscriberGroups<T> {
  private readonly groups = new Map<string, Group<T>>();
  size = 0;

  add(filter: Filter<T>, subscriber: Subscriber<T>): void {
    let group = this.groups.get(filter.key);
    if (!group) {
      group = { match: filter.match, subscribers: new Set() };
      this.groups.set(filter.key, group);
    }
    group.subscribers.add(subscriber);
    this.size++;
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
