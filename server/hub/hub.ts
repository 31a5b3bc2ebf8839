import { createCounters, type HubCounters } from './counters';
import { DerivedTopic } from './derived-topic';
import { LogTopic, type LogTopicOptions } from './log-topic';
import { StateTopic, type Replaced, type StateDiff, type StateTopicOptions } from './state-topic';

export type Topic<T> = StateTopic<T> | LogTopic<T>;

/** The writes of one commit, applied together under one event id. */
export interface Transaction {
  /** The event id this commit will carry. */
  readonly id: number;
  upsert<T>(topic: StateTopic<T>, ...rows: T[]): void;
  remove<T>(topic: StateTopic<T>, ...keys: string[]): void;
  append<T>(topic: LogTopic<T>, ...items: T[]): void;
}

/** One topic's effective part of a commit. */
export type Change =
  | { kind: 'state'; topic: StateTopic<unknown>; diff: StateDiff<unknown> }
  | { kind: 'log'; topic: LogTopic<unknown>; items: unknown[] };

/**
 * A commit's effect on memory, in two steps: `write` sets the topics' rows and the hub's last id
 * (what later commits read), `publish` tells subscribers and resume. A group of mutations sharing
 * one transaction writes each as it goes and publishes all once the transaction stands, or takes
 * every write back with `undo`, newest first, when it fails.
 */
export interface CommitEffects {
  write(): void;
  undo(): void;
  publish(): void;
}

/**
 * Receives every commit before anyone sees it (the journal): it writes the commit and applies its
 * `effects` once the write stands (at once, or when the mutation's transaction commits). Throwing,
 * or never applying them, rejects the commit: nothing changes in memory or on the wire, and the id
 * stays free.
 */
export interface CommitSink {
  record(id: number, changes: readonly Change[], effects: CommitEffects): void;
}

export interface HubOptions {
  /**
   * The first event id is `firstId + 1`. The default, the start time in microseconds, keeps ids
   * increasing across restarts of an in-memory desk, so an old id is recognised as too old.
   * @default Date.now() * 1000
   */
  firstId?: number;
  /** Resumes from before this id get a resync. @default firstId */
  floor?: number;
  /** Log events kept per topic for resume. @default 10000 */
  replayCapacity?: number;
  /** Log events queued per subscriber before it gets a resync instead. @default 2000 */
  maxQueue?: number;
}

/**
 * The one event hub: declares topics, assigns every commit a monotonically increasing event id and
 * hands it to the topics, which fan it out to their subscribers. Derived, instance-local values
 * (`derived`) are declared here too but take no part in commits: they have no event ids.
 */
export class Hub {
  readonly counters: HubCounters = createCounters();
  readonly topics = new Map<string, Topic<unknown>>();
  readonly derivedTopics = new Map<string, DerivedTopic<unknown>>();
  readonly maxQueue: number;
  private readonly replayCapacity: number;
  private readonly floor: number;
  /** The newest commit's id, shared with the commits' effects (which move it). */
  private readonly last: { seq: number };
  /** Set by the journal; every commit is recorded there before it is applied. */
  sink: CommitSink | null = null;

  constructor(options: HubOptions = {}) {
    this.last = { seq: options.firstId ?? Date.now() * 1000 };
    this.floor = options.floor ?? this.last.seq;
    this.replayCapacity = options.replayCapacity ?? 10_000;
    this.maxQueue = options.maxQueue ?? 2_000;
  }

  /** The id of the newest commit (or the starting point when none happened yet). */
  get lastId(): number {
    return this.last.seq;
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

  /** Declares a derived, instance-local value (see `DerivedTopic`). */
  derived<T>(name: string): DerivedTopic<T> {
    const topic = new DerivedTopic<T>(name);
    this.checkName(name);
    this.derivedTopics.set(name, topic as DerivedTopic<unknown>);
    return topic;
  }

  /**
   * Runs `write` and applies what it wrote as one commit: the journal records it first, then the
   * topics apply it and stage it for their subscribers (inside a mutation, once the mutation's
   * transaction stands). Returns the commit's event id, or null when nothing really changed (no id
   * is used up then).
   */
  commit(write: (tx: Transaction) => void): number | null {
    const id = this.last.seq + 1;
    const tx = new Draft(id);
    write(tx);
    const changes: Change[] = [];
    for (const [topic, next] of tx.state) {
      const diff = topic.diff(next);
      if (diff) changes.push({ kind: 'state', topic, diff });
    }
    for (const [topic, items] of tx.logs) if (items.length > 0) changes.push({ kind: 'log', topic, items });
    if (changes.length === 0) return null;
    const effects = new Effects(id, changes, this.last, this.counters);
    if (this.sink) this.sink.record(id, changes, effects);
    else {
      effects.write();
      effects.publish();
    }
    return id;
  }

  subscriptionCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, topic] of this.topics) out[name] = topic.subscribers.size;
    for (const [name, topic] of this.derivedTopics) out[name] = topic.subscriberCount;
    return out;
  }

  private register(topic: Topic<unknown>): void {
    this.checkName(topic.name);
    topic.setFloor(this.floor);
    this.topics.set(topic.name, topic);
  }

  private checkName(name: string): void {
    if (this.topics.has(name) || this.derivedTopics.has(name)) throw new Error(`topic ${name} is declared twice`);
  }
}

/**
 * The transaction a commit's `write` fills: the rows (null: removed) and items it wrote, per topic.
 * A class rather than closures made per commit: every mutation pays for this.
 */
class Draft implements Transaction {
  readonly state = new Map<StateTopic<unknown>, Map<string, unknown>>();
  readonly logs = new Map<LogTopic<unknown>, unknown[]>();

  constructor(readonly id: number) {}

  upsert<T>(topic: StateTopic<T>, ...rows: T[]): void {
    const next = this.rowsOf(topic as StateTopic<unknown>);
    for (const row of rows) next.set(topic.keyOf(row), row);
  }

  remove<T>(topic: StateTopic<T>, ...keys: string[]): void {
    const next = this.rowsOf(topic as StateTopic<unknown>);
    for (const key of keys) next.set(key, null);
  }

  append<T>(topic: LogTopic<T>, ...items: T[]): void {
    let list = this.logs.get(topic as LogTopic<unknown>);
    if (!list) this.logs.set(topic as LogTopic<unknown>, (list = []));
    list.push(...items);
  }

  private rowsOf(topic: StateTopic<unknown>): Map<string, unknown> {
    let next = this.state.get(topic);
    if (!next) this.state.set(topic, (next = new Map()));
    return next;
  }
}

/** One commit's `CommitEffects` on the topics and on the hub's last id (`last`). */
class Effects implements CommitEffects {
  private readonly before: number;
  private readonly replaced: Array<Replaced<unknown> | null> = [];

  constructor(
    private readonly id: number,
    private readonly changes: readonly Change[],
    private readonly last: { seq: number },
    private readonly counters: HubCounters,
  ) {
    this.before = last.seq;
  }

  write(): void {
    for (const change of this.changes) this.replaced.push(change.kind === 'state' ? change.topic.write(this.id, change.diff) : null);
    this.last.seq = this.id;
  }

  undo(): void {
    for (let i = this.changes.length - 1; i >= 0; i--) {
      const change = this.changes[i]!;
      if (change.kind === 'state') change.topic.undo(change.diff, this.replaced[i]!);
    }
    this.last.seq = this.before;
  }

  // Log events are only read by subscribers and resume, so they join memory here, not in `write`.
  publish(): void {
    for (let i = 0; i < this.changes.length; i++) {
      const change = this.changes[i]!;
      if (change.kind === 'state') change.topic.publish(this.id, change.diff, this.replaced[i]!);
      else change.topic.append(this.id, change.items);
    }
    this.counters.events++;
  }
}
