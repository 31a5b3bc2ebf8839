import type { Filter } from './filter';
import { SubscriberGroups } from './groups';
import { ReplayBuffer } from './replay-buffer';
import type { Subscriber } from './subscriber';

export interface LogTopicOptions<T> {
  name: string;
  keyOf: (item: T) => string;
  /** Events kept in memory for resume. @default 10000 */
  replayCapacity?: number;
}

/** Older history than the in-memory buffer holds, e.g. from the journal; null when not retained. */
export type History<T> = (afterId: number, match: (item: T) => boolean) => T[] | null;

/** A log-class topic: every event, in order, to every matching subscriber. */
export class LogTopic<T> {
  readonly name: string;
  readonly deliveryClass = 'log' as const;
  readonly keyOf: (item: T) => string;
  readonly subscribers = new SubscriberGroups<T>();
  readonly buffer: ReplayBuffer<T>;
  /** Consulted when a resume is older than the in-memory buffer. */
  history: History<T> | null = null;

  constructor(options: LogTopicOptions<T>) {
    this.name = options.name;
    this.keyOf = options.keyOf;
    this.buffer = new ReplayBuffer(options.replayCapacity ?? 10_000);
  }

  setFloor(id: number): void {
    this.buffer.floor = Math.max(this.buffer.floor, id);
  }

  /** Events after `afterId` that match, from memory or history; null when they are not all retained. */
  after(afterId: number, match: (item: T) => boolean): T[] | null {
    return this.buffer.after(afterId, match) ?? this.history?.(afterId, match) ?? null;
  }

  append(id: number, items: readonly T[]): void {
    this.buffer.push(id, items);
    for (const group of this.subscribers.values()) {
      let matched: T[] | null = null;
      for (const item of items) {
        if (group.filter.match(item)) (matched ??= []).push(item);
      }
      if (!matched) continue;
      for (const subscriber of group.subscribers) subscriber.push(matched, id);
    }
  }

  snapshot(filter: Filter<T>, limit: number): T[] {
    return this.buffer.last(limit, filter.match);
  }

  /** Returns the filter to keep (see `SubscriberGroups.add`). */
  subscribe(filter: Filter<T>, subscriber: Subscriber<T>): Filter<T> {
    return this.subscribers.add(filter, subscriber);
  }

  unsubscribe(filter: Filter<T>, subscriber: Subscriber<T>): void {
    this.subscribers.delete(filter, subscriber);
  }
}
