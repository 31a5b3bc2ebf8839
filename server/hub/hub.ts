import { createCounters, type HubCounters } from './counters';
import { LogTopic, type LogTopicOptions } from './log-topic';
import { StateTopic, type StateTopicOptions } from './state-topic';

export type Topic<T> = StateTopic<T> | LogTopic<T>;

/** The writes of one commit, applied together under one event id. */
export interface Transaction {
  /** The event id this commit will carry. */
  readonly id: number;
  upsert<T>(topic: StateTopic<T>, ...rows: T[]): void;
  remove<T>(topic: StateTopic<T>, ...keys: string[]): void;
  append<T>(topic: LogTopic<T>, ...items: T[]): void;
}

type Op =
  | { kind: 'upsert'; topic: StateTopic<unknown>; rows: unknown[] }
  | { kind: 'remove'; topic: StateTopic<unknown>; keys: string[] }
  | { kind: 'append'; topic: LogTopic<unknown>; items: unknown[] };

export interface HubOptions {
  /**
   * The first event id is `firstId + 1`. The default, the start time in microseconds, keeps ids
   * increasing across restarts of an in-memory desk, so an old id is recognised as too old.
   * @default Date.now() * 1000
   */
  firstId?: number;
  /** Log events kept per topic for resume. @default 10000 */
  replayCapacity?: number;
  /** Log events queued per subscriber before it gets a resync instead. @default 2000 */
  maxQueue?: number;
}

/**
 * The one event hub: declares topics, assigns every commit a monotonically increasing event id and
 * hands it to the topics, which fan it out to their subscribers.
 */
export class Hub {
  readonly counters: HubCounters = createCounters();
  readonly topics = new Map<string, Topic<unknown>>();
  readonly maxQueue: number;
  private readonly replayCapacity: number;
  private readonly firstId: number;
  private seq: number;

  constructor(options: HubOptions = {}) {
    this.firstId = options.firstId ?? Date.now() * 1000;
    this.seq = this.firstId;
    this.replayCapacity = options.replayCapacity ?? 10_000;
    this.maxQueue = options.maxQueue ?? 2_000;
  }

  /** The id of the newest commit (or the starting point when none happened yet). */
  get lastId(): number {
    return this.seq;
  }

  state<T>(options: StateTopicOptions<T>): StateTopic<T> {
    const topic = new StateTopic(options);
    this.register(topic as unknown as Topic<unknown>);
    return topic;
  }

  log<T>(options: LogTopicOptions<T>): LogTopic<T> {
    const topic = new LogTopic({ replayCapacity: this.replayCapacity, ...options });
    this.register(topic as unknown as Topic<unknown>);
    return topic;
  }

  /**
   * Runs `write` and applies what it wrote as one commit. Returns the commit's event id, or null
   * when nothing really changed (no id is used up then).
   */
  commit(write: (tx: Transaction) => void): number | null {
    const id = this.seq + 1;
    const ops: Op[] = [];
    const tx: Transaction = {
      id,
      upsert: (topic, ...rows) => void ops.push({ kind: 'upsert', topic: topic as StateTopic<unknown>, rows }),
      remove: (topic, ...keys) => void ops.push({ kind: 'remove', topic: topic as StateTopic<unknown>, keys }),
      append: (topic, ...items) => void ops.push({ kind: 'append', topic: topic as LogTopic<unknown>, items }),
    };
    write(tx);
    let changed = false;
    for (const op of ops) {
      if (op.kind === 'upsert') changed = op.topic.apply(id, op.rows, []) || changed;
      else if (op.kind === 'remove') changed = op.topic.apply(id, [], op.keys) || changed;
      else changed = op.topic.append(id, op.items) || changed;
    }
    if (!changed) return null;
    this.seq = id;
    this.counters.events++;
    return id;
  }

  subscriptionCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, topic] of this.topics) out[name] = topic.subscribers.size;
    return out;
  }

  private register(topic: Topic<unknown>): void {
    if (this.topics.has(topic.name)) throw new Error(`topic ${topic.name} is declared twice`);
    topic.setFloor(this.firstId);
    this.topics.set(topic.name, topic);
  }
}
