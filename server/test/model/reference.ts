import type { AppliedTick } from './candles';
import { canonical, KEYED_TOPICS, LOG_TOPICS, STATE_TOPICS, type LogTopicName, type StateTopicName } from './catalog';

export type Row = Record<string, unknown>;
export type State = Record<StateTopicName, Map<string, Row>>;
export interface LogEntry {
  id: number;
  item: Row;
}

/** Thrown when the desk breaks an invariant; the message says which and where. */
export class Violation extends Error {}

export function violation(message: string): never {
  throw new Violation(message);
}

export function emptyState(): State {
  return Object.fromEntries(STATE_TOPICS.map((t) => [t, new Map()])) as State;
}

function cloneState(state: State): State {
  return Object.fromEntries(STATE_TOPICS.map((t) => [t, new Map(state[t])])) as State;
}

/**
 * The plain reference model: what the desk has committed, as the test observed and checked it
 * step by step. The state of every durable state topic as of each event id, every log event with
 * its id, how many journal rows each commit wrote (for retention) and the idempotency keys answered.
 */
export class Reference {
  current: State = emptyState();
  readonly logs = Object.fromEntries(LOG_TOPICS.map((t) => [t, [] as LogEntry[]])) as Record<LogTopicName, LogEntry[]>;
  /** State as of each id the desk issued (commits, and the starting id of every run). */
  private readonly stateAt = new Map<number, State>();
  /** Every id in the order the desk issued them, across restarts. */
  readonly ids: number[] = [];
  /** Journal rows (`events`) per durable commit, newest last. */
  private readonly rows: Array<{ id: number; rows: number }> = [];
  /** Resumes from at or above this id must be answered exactly (nothing was pruned after it). */
  exactFrom = 0;
  readonly keys = new Map<string, { path: string; result: unknown }>();
  /**
   * False while the latest-class values (prices, portfolio) may still be only in memory: a fresh
   * desk's first portfolio is written with the next write, and a crash before any write may lose it
   * (nothing was acknowledged then). Every acknowledged mutation writes them.
   */
  latestWritten = false;
  /** First-insertion order of the rows of tasks and workflows, which decides what is trimmed. */
  readonly order = { tasks: [] as string[], workflows: [] as string[] };
  /**
   * Every price tick the desk applied, per symbol, oldest first, read off the prices each commit
   * left: what its candles must be a recomputation of. Null once a crash lost ticks nobody was
   * told were written (see `latestWritten`).
   */
  ticks: Map<string, AppliedTick[]> | null = new Map();

  get lastId(): number {
    return this.ids[this.ids.length - 1] ?? 0;
  }

  /** A run started (or restarted) at `id` with `state`, which must be the state the model holds. */
  started(id: number, state: State): void {
    if (this.ids.length === 0) {
      this.exactFrom = id;
      this.current = cloneState(state);
    }
    this.note(id);
  }

  /** A commit under `id`: the state after it and its new log events. */
  commit(id: number, state: State, appended: Partial<Record<LogTopicName, Row[]>>): void {
    for (const [symbol, tick] of state.prices) {
      if (canonical(this.current.prices.get(symbol)) === canonical(tick)) continue;
      const list = this.ticks?.get(symbol) ?? [];
      list.push({ price: tick.price as number, volume: tick.volume as number, ts: tick.ts as number });
      this.ticks?.set(symbol, list);
    }
    let rows = 0;
    for (const topic of STATE_TOPICS) {
      if (!KEYED_TOPICS.has(topic)) continue;
      const before = this.current[topic];
      const after = state[topic];
      for (const [key, row] of after) if (!before.has(key) || canonical(before.get(key)) !== canonical(row)) rows++;
      for (const key of before.keys()) if (!after.has(key)) rows++;
    }
    for (const topic of LOG_TOPICS) {
      const items = appended[topic] ?? [];
      rows += items.length;
      for (const item of items) this.logs[topic].push({ id, item });
    }
    this.current = cloneState(state);
    if (rows > 0) this.rows.push({ id, rows });
    this.note(id);
  }

  private note(id: number): void {
    this.stateAt.set(id, cloneState(this.current));
    this.ids.push(id);
  }

  /** The rows of `topic` that matched `match` as of event `id`; undefined for an id never issued. */
  viewAt(topic: StateTopicName, id: number, match: (row: Row) => boolean): Row[] | undefined {
    const state = this.stateAt.get(id);
    return state && [...state[topic].values()].filter(match);
  }

  knows(id: number): boolean {
    return this.stateAt.has(id);
  }

  /** Log events of `topic` with `after < id <= upTo` that match. */
  logBetween(topic: LogTopicName, after: number, upTo: number, match: (row: Row) => boolean): Row[] {
    return this.logs[topic].filter((e) => e.id > after && e.id <= upTo && match(e.item)).map((e) => e.item);
  }

  /**
   * What a retention run keeping `retainEvents` journal rows cuts: every commit at or below the id
   * of the row just past the newest `retainEvents` (0: nothing).
   */
  cutoff(retainEvents: number): number {
    let seen = 0;
    for (let i = this.rows.length - 1; i >= 0; i--) {
      seen += this.rows[i]!.rows;
      if (seen > retainEvents) return this.rows[i]!.id;
    }
    return 0;
  }
}
