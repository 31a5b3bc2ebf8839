import Database from 'better-sqlite3';
import { TRPCError } from '@trpc/server';
import type { Change, CommitEffects, CommitSink } from '../hub/hub';
import type { LogTopic } from '../hub/log-topic';
import type { StateTopic } from '../hub/state-topic';
import type { AuditScope } from './audit-log';
import { restoreTopics } from './restore';
import { openDatabase } from './open-database';

export interface JournalOptions {
  /** SQLite file, or `:memory:`. */
  path: string;
  /** `normal`: a commit survives a process crash; `full`: also power loss (fsync per commit). @default 'normal' */
  synchronous?: 'normal' | 'full';
  /** Latest-class values (prices, portfolio) are written in batches this often. @default 100 */
  latestFlushMs?: number;
  /** Events retained for resume (0: no limit). @default 1000000 */
  retainEvents?: number;
  /** Events older than this are pruned (0: no limit). @default 7 days */
  retainMs?: number;
  /** Idempotency keys are remembered this long. @default 24 h */
  idempotencyMs?: number;
  /** Where the ids of a new database start. @default the current time in microseconds */
  startId?: number;
  now?: () => number;
}

/** Ids are reserved in blocks, so a crash can never make the next run reuse an id a client saw. */
const RESERVE_BLOCK = 100_000;
/** How far behind the newest command time keys are still kept past their expiry. */
const KEY_PRUNE_MARGIN_MS = 3600_000;
/** Rows one pruning step deletes at most: a few milliseconds of work, so the feed never stalls. */
const PRUNE_BATCH = 1_000;
/** Pause between pruning steps while there is backlog (up to ~100 steps a second). */
const PRUNE_PAUSE_MS = 10;
/** Pause between checks when nothing is beyond retention. */
const PRUNE_IDLE_MS = 1_000;

interface PendingLatest {
  topic: string;
  key: string;
  id: number;
  /**
   * The value (undefined: the key was removed), serialized only when it is written: most latest
   * values are replaced by a newer one of their key before the next batch.
   */
  value: unknown;
  /** Set for a topic with a history table, where values are kept per slot, not only per key. */
  slot?: string;
  /** Its history is written only with the timer's batch (`LatestHistory.batched`). */
  batched?: boolean;
}

/**
 * A table that keeps more of a latest-class topic than its current value per key (candles: every
 * bar, not only the open one). Each value is written to it in the same transaction as the value
 * itself, whether with its own commit or with the batch of pending values it waits in.
 */
export interface LatestHistory {
  /** Values of one key with different slots are all written (the key's last value alone otherwise). */
  slotOf(value: unknown): string;
  /**
   * Runs inside the transaction that writes `values`, in the order they were committed: a
   * batched history gets every value of a transaction in one call, so it can fold them before it
   * writes (a group of trades moves the portfolio's buckets once, not once per trade).
   */
  write(values: readonly unknown[]): void;
  /** Deletes what is past retention, a bounded batch; returns rows deleted. */
  prune(now: number): number;
  /**
   * Written with the batch of latest values the timer writes (every `latestFlushMs`) and with a
   * mutation's transaction (which takes the waiting values along), never in a plain commit's own
   * transaction: a history that must cost the tick path nothing (the portfolio's, which a tick of a
   * held symbol changes in a commit written at once). Values wait per slot, and only values whose
   * commit stood are written.
   */
  readonly batched?: boolean;
}

/** A commit written (or being written) to the journal, applied once its transaction stands. */
interface Written {
  id: number;
  /** Rows it adds to `events`. */
  rows: number;
  /** Its latest-class values, written with its transaction or staged after it. */
  latest: PendingLatest[];
  effects: CommitEffects;
}

/** A row of `rows` as a transaction leaves it (see `Journal.stageRow`). */
interface RowWrite {
  topic: string;
  key: string;
  id: number;
  /** JSON (keyed topics, already serialized for their event), a value to serialize (latest topics), or undefined: removed. */
  body: string | { value: unknown } | undefined;
  /** The row is deleted first: it was removed, or removed and written again. */
  removed: boolean;
}

/** How one mutation of a group ended: its answer, or what it threw. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/** A mutation running inside `once`: at most one commit, written in the mutation's transaction once the mutation returned. */
interface Unit {
  path: string;
  commit: Written | null;
  /** Who called it, for `withMutation`. */
  audit: AuditScope | undefined;
  /** The commit's changes, written after the mutation returned (see `writeUnit`). */
  changes: readonly Change[];
}

/**
 * A write of a grouped mutation that failed after the mutation itself succeeded: without a
 * savepoint it cannot be taken back alone, so the whole group fails (see `Journal.group`).
 */
class GroupWriteFailed extends Error {
  constructor(readonly reason: unknown) {
    super('a grouped mutation failed to write');
  }
}

/**
 * The durable event log and state, in SQLite. Every commit of a log or keyed topic is written (in
 * one transaction, before anyone sees it) to `events`, and keyed rows to `rows`; latest-class
 * values are kept as the last value per key and written in batches, so price ticks are not
 * throttled by the disk. A mutation writes them along with its own commit before it is acknowledged,
 * and nothing is applied in memory or sent before its transaction stands.
 */
export class Journal implements CommitSink {
  readonly db: Database.Database;
  /** The last id reserved; the hub continues from here after a restart. */
  readonly firstId: number;
  /** Resumes from before this id cannot be answered from the log. */
  floor: number;
  /**
   * Runs inside every mutation's transaction, once the mutation ran: what else must be written with
   * it (the audit entry), so a mutation stays one transaction. Throwing fails the mutation.
   */
  withMutation: ((path: string, answer: unknown, audit: AuditScope | undefined) => void) | null = null;
  /**
   * Runs inside each pruning step's transaction, before the events through `through` are deleted:
   * what must be kept of them (the agents' performance folded into its snapshot at the floor).
   * Throwing leaves the events in place; the next step tries again.
   */
  beforePrune: ((through: number) => void) | null = null;
  /** What the pruning timer did so far: steps that deleted rows, rows, time spent, the longest step (ms). */
  readonly pruning = { steps: 0, rows: 0, ms: 0, maxMs: 0 };
  private reserved: number;
  private readonly pendingLatest = new Map<string, PendingLatest>();
  /** Values of batched histories waiting for the timer's batch, per topic, key and slot. */
  private readonly pendingHistory = new Map<string, PendingLatest>();
  private readonly histories = new Map<string, LatestHistory>();
  /** Values of batched histories the running transaction writes, written together at its end (`writeQueuedHistory`). */
  private readonly historyQueue: PendingLatest[] = [];
  /** The mutation `once` is running, whose commit joins its transaction. */
  private unit: Unit | null = null;
  /** Inside `group`: the commits written so far, in memory but not yet published. */
  private grouped: Written[] | null = null;
  /** The newest command time `once` has seen: keys are pruned against it, never ahead of it. */
  private keyClock = Number.NEGATIVE_INFINITY;
  private timers: NodeJS.Timeout[] = [];
  private pruneTimer: NodeJS.Timeout | null = null;
  /** Rows in `events`, counted once at open and kept up to date, so the count cut-off needs no walk. */
  private eventCount: number;
  /** The position the next new row takes (see `rows.pos`). */
  private nextPos: number;
  /**
   * `rows` as the running transaction leaves them, per topic and key, written once at its end
   * (`writeRows`): a group of trades moves one position and the portfolio a dozen times, and the
   * table needs only where they ended. Each value waits unserialized where it can (latest values).
   */
  private readonly rowWrites = new Map<string, RowWrite>();
  private readonly options: Required<Omit<JournalOptions, 'path' | 'startId'>>;
  private readonly sql;
  /**
   * One mutation alone, in its own transaction: built once, since making a better-sqlite3
   * transaction function per call costs more than running it.
   */
  private readonly runUnit: (unit: Unit, run: () => unknown, key: string | undefined, expired: boolean, ts: number) => unknown;
  /**
   * A group's transaction, made once: better-sqlite3's `transaction()` builds four wrappers and
   * defines their properties on every call, which per group cost as much as a mutation's insert.
   */
  private readonly runGroup: (runs: ReadonlyArray<() => unknown>, outcomes: Array<Outcome<unknown>>) => void;

  constructor(options: JournalOptions) {
    this.options = {
      synchronous: 'normal',
      latestFlushMs: 100,
      retainEvents: 1_000_000,
      retainMs: 7 * 24 * 3600 * 1000,
      idempotencyMs: 24 * 3600 * 1000,
      now: Date.now,
      ...options,
    };
    this.db = openDatabase(options.path);
    this.db.pragma(`synchronous = ${this.options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    const db = this.db;
    this.sql = {
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      insertEvent: db.prepare<[number, number, string, string, string, string, number]>(
        'INSERT INTO events (id, seq, topic, op, key, body, ts) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      // A new key takes the next position; a changed row keeps its own (as a Map keeps insertion order).
      upsertRow: db.prepare<[string, string, number, string, number]>(
        'INSERT INTO rows (topic, key, id, body, pos) VALUES (?, ?, ?, ?, ?) ON CONFLICT (topic, key) DO UPDATE SET id = excluded.id, body = excluded.body',
      ),
      lastPos: db.prepare<[], { pos: number | null }>('SELECT max(pos) AS pos FROM rows'),
      deleteRow: db.prepare<[string, string]>('DELETE FROM rows WHERE topic = ? AND key = ?'),
      countEvents: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM events'),
      // Both cut-offs are index seeks: the n-th oldest row (n <= PRUNE_BATCH) and the newest row older than a time.
      nthOldest: db.prepare<[number], { id: number }>('SELECT id FROM events ORDER BY id, seq LIMIT 1 OFFSET ?'),
      newestBefore: db.prepare<[number], { id: number }>('SELECT id FROM events INDEXED BY events_by_ts WHERE seq = 0 AND ts < ? ORDER BY ts DESC LIMIT 1'),
      deleteThrough: db.prepare<[number]>('DELETE FROM events WHERE id <= ?'),
      newestId: db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM events'),
      newestBelow: db.prepare<[number], { id: number | null }>('SELECT max(id) AS id FROM events WHERE id < ?'),
      getKey: db.prepare<[string], { path: string; event_id: number | null; result: string | null; created: number }>(
        'SELECT path, event_id, result, created FROM idempotency WHERE key = ?',
      ),
      deleteKey: db.prepare<[string]>('DELETE FROM idempotency WHERE key = ?'),
      putKey: db.prepare<[string, string, number | null, string | null, number]>(
        'INSERT INTO idempotency (key, path, event_id, result, created) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET result = excluded.result, event_id = coalesce(idempotency.event_id, excluded.event_id)',
      ),
      pruneKeys: db.prepare<[number, number]>(
        'DELETE FROM idempotency WHERE key IN (SELECT key FROM idempotency WHERE created < ? ORDER BY created LIMIT ?)',
      ),
    };
    this.runUnit = db.transaction((unit: Unit, run: () => unknown, key: string | undefined, expired: boolean, ts: number) => {
      const answer = run();
      this.writeUnit(unit, answer, key, expired, ts, true);
      this.writeQueuedHistory();
      this.writeRows();
      return answer;
    });
    this.runGroup = db.transaction((runs: ReadonlyArray<() => unknown>, outcomes: Array<Outcome<unknown>>) => {
      this.writeLatest([], true);
      this.writeHistory([], true);
      for (const run of runs) {
        try {
          outcomes.push({ ok: true, value: run() });
        } catch (error) {
          if (error instanceof Database.SqliteError || error instanceof GroupWriteFailed) throw error;
          outcomes.push({ ok: false, error });
        }
      }
      this.writeQueuedHistory();
      this.writeRows();
    });
    const reserved = this.sql.getMeta.get('reserved');
    const floor = this.sql.getMeta.get('floor');
    // A new database starts at the current time in microseconds, above any in-memory run before it.
    this.firstId = reserved ? Number(reserved.value) : (options.startId ?? this.options.now() * 1000);
    this.floor = floor ? Number(floor.value) : this.firstId;
    this.reserved = this.firstId;
    this.eventCount = this.sql.countEvents.get()!.n;
    this.nextPos = (this.sql.lastPos.get()?.pos ?? 0) + 1;
    this.db.transaction(() => {
      this.reserve(this.firstId);
      this.sql.setMeta.run('floor', String(this.floor));
    })();
  }

  /**
   * Loads persisted rows (in the order their keys were first written), removals and recent log
   * events into the topics (before any subscriber); older log events are read on demand.
   */
  restore(topics: Iterable<StateTopic<unknown> | LogTopic<unknown>>): void {
    restoreTopics(this.db, topics, { firstId: this.firstId, floor: () => this.floor });
  }

  /** Keeps `history` of the latest-class topic `topic` (see `LatestHistory`), pruned with the events. */
  keepHistory(topic: string, history: LatestHistory): void {
    this.histories.set(topic, history);
  }

  /**
   * Writes a commit, then applies it (`apply`: memory and the wire) once its transaction stands.
   * Inside `once` the commit joins the mutation's transaction and is applied when that one stands;
   * when writing fails, `apply` never runs and the error is thrown.
   */
  record(id: number, changes: readonly Change[], effects: CommitEffects): void {
    const commit: Written = { id, rows: 0, latest: [], effects };
    const unit = this.unit;
    if (unit) {
      // A second commit would be diffed against state the first has not changed yet.
      if (unit.commit) throw new Error(`${unit.path} made a second commit; a mutation makes at most one`);
      // Written once the mutation returns: until then it has written nothing, so a mutation that
      // throws needs nothing taken back (no savepoint per mutation of a group).
      unit.commit = commit;
      unit.changes = changes;
      return;
    }
    const durable = id >= this.reserved || changes.some((c) => c.kind === 'log' || c.topic.deliveryClass === 'keyed');
    if (!durable) {
      // Latest-only commits (most price ticks) touch no table: their values go with the next write.
      this.writeEvents(commit, changes);
      this.settle(commit, false);
      return;
    }
    try {
      this.db.transaction(() => {
        this.writeEvents(commit, changes);
        // Whatever is written now takes the pending latest values along (the portfolio with its trades).
        this.writeLatest(commit.latest);
        this.writeRows();
        this.reserveThrough(id);
      })();
    } catch (error) {
      this.rowWrites.clear();
      throw writeFailure(error);
    }
    this.settle(commit, true);
  }

  /** Writes pending latest-class values now (on a timer; mutations take them along in their own transaction). */
  flushLatest(): void {
    if (this.pendingLatest.size === 0 && this.pendingHistory.size === 0) return;
    try {
      this.db.transaction(() => {
        this.writeLatest([]);
        this.writeHistory([], true);
        this.writeQueuedHistory();
        this.writeRows();
      })();
    } finally {
      this.historyQueue.length = 0;
      this.rowWrites.clear();
    }
    this.pendingLatest.clear();
    this.pendingHistory.clear();
  }

  /**
   * Runs a mutation, at most once per idempotency key: a retry returns the first call's result.
   * The mutation's commit, the pending latest values and the key's answer are written in one
   * transaction (one fsync with `synchronous: 'full'`), and the commit reaches memory and the wire
   * only once that transaction stands: a mutation that fails to write leaves no trace.
   * Whether a key has expired is decided by `ts`, the command's own time, against the time the key
   * was first used, never by this process's clock at the moment it runs: instances folding one
   * command log (or replaying it a day later) decide the same.
   */
  once<R>(key: string | undefined, path: string, run: () => R, ts: number = this.options.now(), audit?: AuditScope): R {
    if (this.unit) throw new Error(`${path} ran inside ${this.unit.path}; mutations do not nest`);
    let expired = false;
    if (key !== undefined) {
      this.keyClock = Math.max(this.keyClock, ts);
      const prior = this.sql.getKey.get(key);
      if (prior && prior.created < ts - this.options.idempotencyMs) expired = true;
      else if (prior) {
        if (prior.path !== path) {
          throw new TRPCError({ code: 'CONFLICT', message: `idempotency key ${key} was already used for ${prior.path}` });
        }
        return (prior.result ? JSON.parse(prior.result) : { eventId: prior.event_id === null ? null : String(prior.event_id) }) as R;
      }
    }
    const unit: Unit = { path, commit: null, audit, changes: [] };
    this.unit = unit;
    const grouped = this.grouped;
    let result: R;
    try {
      if (grouped) {
        // Inside the group's transaction, with no savepoint: the mutation writes only once it
        // returned, so one that throws leaves nothing to take back and fails alone.
        result = run();
        this.unit = null;
        try {
          this.writeUnit(unit, result, key, expired, ts, false);
        } catch (error) {
          throw new GroupWriteFailed(error);
        }
      } else result = this.runUnit(unit, run, key, expired, ts) as R;
    } catch (error) {
      if (!grouped) {
        this.historyQueue.length = 0;
        this.rowWrites.clear();
      }
      // In a group a failed write fails the whole group, which says so (see `group`).
      throw grouped ? error : writeFailure(error);
    } finally {
      this.unit = null;
    }
    if (!grouped) this.settle(unit.commit, true, true, true);
    else if (unit.commit) {
      // Later mutations of the group read what this one changed; nobody else sees it before the group stands.
      unit.commit.effects.write();
      grouped.push(unit.commit);
    }
    return result;
  }

  /**
   * Runs mutations (each one calling `once`) in one transaction: one commit to the disk and one
   * fsync for all of them. Each sees the changes of those before it; a mutation that throws
   * (validation, limits, a missing row) has written nothing yet and fails alone, and the others go
   * on. Nothing reaches the wire, and no outcome is returned, before the transaction stands; when
   * writing fails, every write of the group is taken back, in memory too, and every mutation fails
   * with SERVICE_UNAVAILABLE.
   */
  group<R>(runs: ReadonlyArray<() => R>): Array<Outcome<R>> {
    if (this.unit || this.grouped) throw new Error('a group of mutations cannot start inside another mutation');
    // Alone, a mutation's own transaction is the group's: no savepoint needed.
    if (runs.length === 1) {
      try {
        return [{ ok: true, value: runs[0]!() }];
      } catch (error) {
        return [{ ok: false, error }];
      }
    }
    const grouped: Written[] = [];
    const outcomes: Array<Outcome<R>> = [];
    this.grouped = grouped;
    try {
      this.runGroup(runs, outcomes as Array<Outcome<unknown>>);
    } catch (error) {
      for (let i = grouped.length - 1; i >= 0; i--) grouped[i]!.effects.undo();
      const failure = writeFailure(error instanceof GroupWriteFailed ? error.reason : error);
      return runs.map(() => ({ ok: false, error: failure }));
    } finally {
      this.grouped = null;
      this.historyQueue.length = 0;
      this.rowWrites.clear();
    }
    this.pendingLatest.clear();
    this.pendingHistory.clear();
    for (const commit of grouped) this.settle(commit, true, false, true);
    return outcomes;
  }

  /**
   * One pruning step: deletes the oldest events beyond the retention limits, at most about
   * `PRUNE_BATCH` rows (whole commits), and raises the floor to the newest id it deleted in the same
   * transaction, so a resume from before it is refused the moment anything it needs is gone.
   * Returns the rows deleted (0: nothing is beyond retention).
   */
  prune(): number {
    const { retainEvents, retainMs } = this.options;
    const now = this.options.now();
    // Pruning keys only saves room (expiry is decided in `once`), so it stays well behind the
    // newest command time seen: a command stamped by a clock up to KEY_PRUNE_MARGIN_MS behind
    // still finds every key that is live for it.
    this.sql.pruneKeys.run(Math.min(now, this.keyClock) - this.options.idempotencyMs - KEY_PRUNE_MARGIN_MS, PRUNE_BATCH);
    let historyRows = 0;
    for (const history of this.histories.values()) historyRows += history.prune(now);
    let through = 0;
    const excess = retainEvents > 0 ? this.eventCount - retainEvents : 0;
    if (excess > 0) {
      through = this.sql.nthOldest.get(Math.min(excess, PRUNE_BATCH) - 1)?.id ?? 0;
      // Commits go whole, so the one holding the cut row goes with it; never the newest, though: a
      // commit larger than the limit is kept whole rather than leave the log empty right after it.
      const newest = this.sql.newestId.get()?.id ?? 0;
      if (through >= newest) through = this.sql.newestBelow.get(newest)?.id ?? 0;
    }
    if (retainMs > 0) {
      const expired = this.sql.newestBefore.get(now - retainMs)?.id ?? 0;
      if (expired > through) {
        // Expired rows a batch at a time too; fewer than a batch left: all of them.
        const batchEnd = this.sql.nthOldest.get(PRUNE_BATCH - 1)?.id ?? expired;
        through = Math.max(through, Math.min(expired, batchEnd));
      }
    }
    if (through === 0) return historyRows;
    const deleted = this.db.transaction(() => {
      this.beforePrune?.(through);
      const { changes } = this.sql.deleteThrough.run(through);
      if (through > this.floor) this.sql.setMeta.run('floor', String(through));
      return changes;
    })();
    this.eventCount -= deleted;
    this.floor = Math.max(this.floor, through);
    return deleted + historyRows;
  }

  /**
   * Starts the latest-value flush and the retention pruning: a step every second, and every
   * `PRUNE_PAUSE_MS` while there is backlog, yielding to the event loop between steps.
   */
  start(): void {
    const flush = setInterval(() => {
      try {
        this.flushLatest();
      } catch {
        // A full or failing disk: the values stay pending and go with the next write that works.
      }
    }, this.options.latestFlushMs);
    flush.unref();
    this.timers = [flush];
    const step = () => {
      let deleted = 0;
      const started = performance.now();
      try {
        deleted = this.prune();
      } catch {
        // A full or failing disk: the next step tries again; writes report their own failures.
      }
      const ms = performance.now() - started;
      this.pruning.maxMs = Math.max(this.pruning.maxMs, ms);
      if (deleted > 0) {
        this.pruning.steps++;
        this.pruning.rows += deleted;
        this.pruning.ms += ms;
      }
      this.pruneTimer = setTimeout(step, deleted > 0 ? PRUNE_PAUSE_MS : PRUNE_IDLE_MS);
      this.pruneTimer.unref();
    };
    this.pruneTimer = setTimeout(step, PRUNE_PAUSE_MS);
    this.pruneTimer.unref();
  }

  /**
   * Writes the pending latest values and closes the database. The database is closed even when
   * that last write fails (a full disk); the failure is thrown after.
   */
  close(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    if (this.pruneTimer) clearTimeout(this.pruneTimer);
    this.pruneTimer = null;
    if (!this.db.open) return;
    try {
      this.flushLatest();
    } finally {
      this.db.close();
    }
  }

  /**
   * What a mutation writes once it returned `answer`, in its transaction (alone, or the group's):
   * its commit, its audit entry, its latest values (with the pending ones when alone: a group wrote
   * those when it began), its key's answer.
   */
  private writeUnit(unit: Unit, answer: unknown, key: string | undefined, expired: boolean, ts: number, withPending: boolean): void {
    if (expired) this.sql.deleteKey.run(key!);
    const commit = unit.commit;
    if (commit) this.writeEvents(commit, unit.changes);
    this.withMutation?.(unit.path, answer, unit.audit);
    this.writeLatest(commit?.latest ?? [], withPending);
    this.writeHistory(commit?.latest ?? [], withPending);
    if (key !== undefined) this.sql.putKey.run(key, unit.path, commit?.id ?? null, JSON.stringify(answer), ts);
    if (commit) this.reserveThrough(commit.id);
  }

  /** Inserts a commit's log and keyed events and rows; its latest values are collected, not written. */
  private writeEvents(commit: Written, changes: readonly Change[]): void {
    const { id } = commit;
    const ts = this.options.now();
    let seq = 0;
    for (const change of changes) {
      const { topic } = change;
      if (change.kind === 'log') {
        for (const item of change.items) this.sql.insertEvent.run(id, seq++, topic.name, 'append', topic.keyOf(item), JSON.stringify(item), ts);
        continue;
      }
      if (topic.deliveryClass === 'latest') {
        const history = this.histories.get(topic.name);
        for (const { key, value } of change.diff.upserts) {
          commit.latest.push(history ? { topic: topic.name, key, id, value, slot: history.slotOf(value), batched: history.batched } : { topic: topic.name, key, id, value });
        }
        for (const { key } of change.diff.removes) commit.latest.push({ topic: topic.name, key, id, value: undefined });
        continue;
      }
      for (const { key, value } of change.diff.upserts) {
        const body = JSON.stringify(value);
        this.sql.insertEvent.run(id, seq++, topic.name, 'upsert', key, body, ts);
        this.stageRow(topic.name, key, id, body);
      }
      for (const { key, previous } of change.diff.removes) {
        this.sql.insertEvent.run(id, seq++, topic.name, 'remove', key, JSON.stringify(previous), ts);
        this.stageRow(topic.name, key, id, undefined);
      }
    }
    commit.rows = seq;
  }

  /** Writes every pending latest value (unless `withPending` is false), then `newer` (a commit's own, which win). */
  private writeLatest(newer: readonly PendingLatest[], withPending = true): void {
    for (const entries of [withPending ? this.pendingLatest.values() : [], newer]) {
      for (const { topic, key, id, value, slot, batched } of entries) {
        this.stageRow(topic, key, id, value === undefined ? undefined : { value });
        if (slot !== undefined && !batched) this.histories.get(topic)!.write([value]);
      }
    }
  }

  /**
   * Stages a row's write for `writeRows` (`body` undefined: removed). A key that was removed in this
   * transaction and comes back takes a new position after every key staged before, as the row
   * deleted and inserted again would; a key changed in place keeps its own.
   */
  private stageRow(topic: string, key: string, id: number, body: RowWrite['body']): void {
    const slot = `${topic}\u0000${key}`;
    const staged = this.rowWrites.get(slot);
    if (!staged) {
      this.rowWrites.set(slot, { topic, key, id, body, removed: body === undefined });
    } else if (staged.body === undefined && body !== undefined) {
      this.rowWrites.delete(slot);
      this.rowWrites.set(slot, { topic, key, id, body, removed: true });
    } else {
      staged.id = id;
      staged.body = body;
      staged.removed ||= body === undefined;
    }
  }

  /** Inside a transaction, at its end: writes the staged rows, in the order they were staged. */
  private writeRows(): void {
    for (const { topic, key, id, body, removed } of this.rowWrites.values()) {
      if (removed) this.sql.deleteRow.run(topic, key);
      if (body !== undefined) this.sql.upsertRow.run(topic, key, id, typeof body === 'string' ? body : JSON.stringify(body.value), this.nextPos++);
    }
    this.rowWrites.clear();
  }

  /**
   * Queues the waiting values of batched histories (unless `withPending` is false), then those of
   * `newer` (a mutation's own), for `writeQueuedHistory` at the end of the transaction.
   */
  private writeHistory(newer: readonly PendingLatest[], withPending: boolean): void {
    if (withPending) for (const entry of this.pendingHistory.values()) this.historyQueue.push(entry);
    for (const entry of newer) if (entry.batched && entry.value !== undefined) this.historyQueue.push(entry);
  }

  /** Inside a transaction, at its end: writes the queued values of batched histories, each history's in one call. */
  private writeQueuedHistory(): void {
    const queue = this.historyQueue;
    if (queue.length === 0) return;
    const byTopic = new Map<string, unknown[]>();
    for (const { topic, value } of queue) (byTopic.get(topic) ?? byTopic.set(topic, []).get(topic)!).push(value);
    queue.length = 0;
    for (const [topic, values] of byTopic) this.histories.get(topic)!.write(values);
  }

  /**
   * After a transaction stood (or for a commit that needs none): updates what is kept in memory
   * and applies the commit. `wroteLatest`: the pending latest values were written with it;
   * `wroteHistory`: the batched histories' too, its own included (a mutation's transaction).
   * `write`: false when a group already wrote it to memory.
   */
  private settle(commit: Written | null, wroteLatest: boolean, write = true, wroteHistory = false): void {
    if (wroteLatest) this.pendingLatest.clear();
    if (wroteHistory) this.pendingHistory.clear();
    if (!commit) return;
    // Entries wait in the order their key (and slot) first came: a key's newest slot is written last.
    for (const entry of commit.latest) {
      if (!wroteLatest) this.pendingLatest.set(`${entry.topic}\u0000${entry.key}\u0000${entry.slot ?? ''}`, entry);
      if (!wroteHistory && entry.batched && entry.value !== undefined) this.pendingHistory.set(`${entry.topic}\u0000${entry.key}\u0000${entry.slot}`, entry);
    }
    this.eventCount += commit.rows;
    if (commit.id >= this.reserved) this.reserved = commit.id + RESERVE_BLOCK;
    if (write) commit.effects.write();
    commit.effects.publish();
  }

  /** Inside a transaction: moves the reserved block past `id` when it reaches it. */
  private reserveThrough(id: number): void {
    if (id >= this.reserved) this.sql.setMeta.run('reserved', String(id + RESERVE_BLOCK));
  }

  private reserve(id: number): void {
    this.reserved = id + RESERVE_BLOCK;
    this.sql.setMeta.run('reserved', String(this.reserved));
  }
}

/** A failed write as the caller sees it: what went wrong, and that nothing was applied. */
function writeFailure(error: unknown): unknown {
  if (!(error instanceof Database.SqliteError)) return error;
  return new TRPCError({
    code: 'SERVICE_UNAVAILABLE',
    message: `the desk could not write to its database (${error.message}); nothing was applied, retry later`,
    cause: error,
  });
}
