import type { Filter } from './filter';
import { SubscriberGroups } from './groups';
import { ReplayBuffer } from './replay-buffer';
import type { Subscriber } from './subscriber';

export interface LogTopicOptions<T> {
  name: string;
  keyOf: (item: T) => string;
  /** Events kept for resume. @default 10000 */
  replayCapacity?: number;
}

/** A log-class topic: every event, in order, to every matching subscriber. */
export class LogTopic<T> {
  readonly name: string;
  readonly deliveryClass = 'log' as const;
  readonly keyOf: (item: T) => string;
  readonly subscribers = new SubscriberGroups<T>();
  readonly buffer: ReplayBuffer<T>;

  constructor(options: LogTopicOptions<T>) {
    this.name = options.name;
    this.keyOf = options.keyOf;
    this.buffer = new ReplayBuffer(options.replayCapacity ?? 10_000);
  }

  setFloor(id: number): void {
    this.buffer.floor = Math.max(this.buffer.floor, id);
  }

  append(id: number, items: readonly T[]): boolean {
    if (items.length === 0) return false;
    this.buffer.push(id, items);
    for (const group of this.subscribers.values()) {
      let matched: T[] | null = null;
      for (const item of items) {
        if (group.match(item)) (matched ??= []).push(item);
      }
      if (!matched) continue;
      for (const subscriber of group.subscribers) subscriber.push(matched, id);
    }
    return true;
  }

  snapshot(filter: Filter<T>, limit: number): T[] {
    return this.buffer.last(limit, filter.match);
  }

  subscribe(filter: Filter<T>, subscriber: Subscriber<T>): void {
    this.subscribers.add(filter, subscriber);
  }

  unsubscribe(filter: Filter<T>, subscriber: Subscriber<T>): void {
    this.subscribers.delete(filter, subscriber);
  }
}
