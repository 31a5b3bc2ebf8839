import Sqlite, { type Database } from 'better-sqlite3';
import type { AuditEntry, AuditInput } from '../../shared/schema/system';
import { migrate } from './migrations';
import { makeParentDirectory } from './make-directories';

/** What the audit log is told about one mutation. */
export interface AuditRecord {
  ts: number;
  who: string;
  name: string | null;
  role: AuditEntry['role'];
  address: string;
  path: string;
  /** The raw input; kept as JSON up to `maxInputChars`. */
  input: unknown;
  code: string;
  eventId: string | null;
}

export interface AuditLogOptions {
  /** Longest input kept, in characters of JSON. @default 2000 */
  maxInputChars?: number;
  /** Distinct refusals kept per turn of the event loop before they are folded per path. @default 1000 */
  maxPendingRefusals?: number;
  /** The cluster instance, stored with each entry. */
  instance?: string | null;
  /** Entries older than this are pruned (0: kept for ever). @default 90 days */
  retainMs?: number;
  now?: () => number;
}

const PRUNE_BATCH = 5_000;

/**
 * The audit table's queries: a page walks `seq` downwards filtering as it goes (no index serves the
 * optional filters), pruning walks it upwards from the oldest. Every index is paid by every mutation.
 */
export const auditQueries = {
  // An entry counts at least one call; migration 11's sequence marker counts none.
  page: `SELECT * FROM audit WHERE seq < @before AND count > 0 AND (@path IS NULL OR path = @path)
           AND (@who IS NULL OR who = @who OR name = @who) ORDER BY seq DESC LIMIT @limit`,
  // The oldest entries by sequence, those past retention among them: times follow the sequence
  // within a turn of the event loop, and no index on them is paid by every mutation. The newest
  // entry stays whatever its age, so the next one never takes a sequence number given before.
  prune: 'DELETE FROM audit WHERE seq IN (SELECT seq FROM audit WHERE seq < (SELECT max(seq) FROM audit) ORDER BY seq LIMIT ?) AND ts < ?',
};

interface Row {
  seq: number;
  ts: number;
  who: string;
  name: string | null;
  role: AuditEntry['role'];
  address: string;
  path: string;
  input: string | null;
  code: string;
  event_id: string | null;
  count: number;
  instance: string | null;
}

type Pending = Omit<Row, 'seq'>;

/**
 * A mutation being called: who sent what, and whether its entry is written yet. Handed along with
 * the mutation to its transaction (`inTransaction`), rather than kept in an `AsyncLocalStorage`,
 * whose async hooks would cost every promise of the process.
 */
export interface AuditScope {
  record: Omit<AuditRecord, 'code' | 'eventId'>;
  written: boolean;
}

/**
 * The audit log of mutations, in a table of its own beside the event log. It takes no event ids,
 * so it never changes what the desk's commands fold to. An accepted mutation's entry is written
 * before its answer leaves; refusals, which a flood can make cheaply, are batched per turn of the
 * event loop and identical ones (same caller, address, path and code) are one entry with a count.
 */
export class AuditLog {
  private readonly maxInputChars: number;
  private readonly maxPending: number;
  private readonly instance: string | null;
  private readonly pending = new Map<string, Pending>();
  private flushQueued = false;
  private readonly retainMs: number;
  private readonly now: () => number;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly sql;

  constructor(
    private readonly db: Database,
    options: AuditLogOptions = {},
  ) {
    this.maxInputChars = options.maxInputChars ?? 2000;
    this.maxPending = options.maxPendingRefusals ?? 1000;
    this.instance = options.instance ?? null;
    this.retainMs = options.retainMs ?? 90 * 24 * 3600 * 1000;
    this.now = options.now ?? Date.now;
    this.sql = {
      insert: db.prepare<[number, string, string | null, string | null, string, string, string | null, string, string | null, number, string | null]>(
        'INSERT INTO audit (ts, who, name, role, address, path, input, code, event_id, count, instance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      prune: db.prepare<[number, number]>(auditQueries.prune),
      page: db.prepare<{ before: number; limit: number; path: string | null; who: string | null }, Row>(auditQueries.page),
    };
  }

  /**
   * Inside a mutation's own transaction (the journal calls it with the scope the mutation was
   * executed with): writes its entry, as accepted with the answer's event id, and marks the scope
   * written. Rolled back with the mutation. Without a scope (the simulator, a folded command of
   * another instance) nothing is written; once `written`, the caller records nothing more.
   */
  inTransaction(scope: AuditScope | undefined, answer: unknown): void {
    if (!scope || scope.written) return;
    // Straight from the scope, without the two objects `rowOf` would make: every mutation pays this.
    const r = scope.record;
    if (this.db.open) {
      this.sql.insert.run(r.ts, r.who, r.name, r.role, r.address, r.path, boundedJson(r.input, this.maxInputChars), 'OK', eventIdOf(answer), 1, this.instance);
    }
    scope.written = true;
  }

  /**
   * Records an accepted mutation now (before it is answered). The mutation has already taken effect,
   * so a failing write must not turn its answer into an error: the entry then waits, like a refusal,
   * for the next batch.
   */
  accepted(record: AuditRecord): void {
    try {
      this.write(this.rowOf(record, true));
    } catch {
      this.queue(`${record.who}\u0000${record.address}\u0000${record.path}\u0000OK\u0000${record.eventId}`, record, true);
    }
  }

  /**
   * Records a refused mutation in the next batch. Refusals by a rate limit keep no input: a flood
   * should cost as little as possible.
   */
  refused(record: AuditRecord): void {
    this.queue(`${record.who}\u0000${record.address}\u0000${record.path}\u0000${record.code}`, record, record.code !== 'TOO_MANY_REQUESTS');
  }

  /** Adds an entry to the next batch; identical ones share it, and past the bound one per path and code. */
  private queue(key: string, record: AuditRecord, withInput: boolean): void {
    let entry = this.pending.get(key);
    if (!entry && this.pending.size >= this.maxPending) {
      // Past the bound, refusals of one path and code share one entry whoever sent them.
      key = `\u0000${record.path}\u0000${record.code}`;
      entry = this.pending.get(key);
      if (!entry) {
        entry = { ...this.rowOf(record, false), who: '(many)', name: null, role: null, address: '(many)', count: 0 };
        this.pending.set(key, entry);
      }
    }
    if (entry) {
      entry.count++;
      return;
    }
    this.pending.set(key, this.rowOf(record, withInput));
    if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes the pending refusals in one transaction. */
  flush(): void {
    this.flushQueued = false;
    if (this.pending.size === 0 || !this.db.open) return;
    const rows = [...this.pending.entries()];
    this.pending.clear();
    try {
      this.db.transaction(() => {
        for (const [, row] of rows) this.write(row);
      })();
    } catch {
      // A full or failing disk must not take the desk down: the entries wait for the next flush.
      for (const [key, row] of rows) {
        const newer = this.pending.get(key);
        if (newer) newer.count += row.count;
        else this.pending.set(key, row);
      }
    }
  }

  /** Deletes entries past the retention, a bounded batch at a time; returns how many. */
  prune(): number {
    if (this.retainMs <= 0 || !this.db.open) return 0;
    return this.sql.prune.run(PRUNE_BATCH, this.now() - this.retainMs).changes;
  }

  /** Prunes once a minute (a batch each time, so a long backlog never stalls the desk). */
  start(): void {
    this.timer ??= setInterval(() => this.prune(), 60_000);
    this.timer.unref();
  }

  /** Stops pruning and writes what is pending. */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.flush();
  }

  /** One page, newest first; `next` is the `before` of the following page (null at the end). */
  page(input: AuditInput): { entries: AuditEntry[]; next: number | null } {
    this.flush();
    const rows = this.sql.page.all({ before: input.before ?? Number.MAX_SAFE_INTEGER, limit: input.limit, path: input.path ?? null, who: input.who ?? null });
    const entries = rows.map(({ event_id, ...row }) => ({ ...row, eventId: event_id }));
    return { entries, next: rows.length === input.limit ? rows.at(-1)!.seq : null };
  }

  private rowOf(record: AuditRecord, withInput: boolean): Pending {
    return {
      ts: record.ts,
      who: record.who,
      name: record.name,
      role: record.role,
      address: record.address,
      path: record.path,
      input: withInput ? boundedJson(record.input, this.maxInputChars) : null,
      code: record.code,
      event_id: record.eventId,
      count: 1,
      instance: this.instance,
    };
  }

  private write(row: Pending): void {
    if (!this.db.open) return;
    this.sql.insert.run(row.ts, row.who, row.name, row.role, row.address, row.path, row.input, row.code, row.event_id, row.count, row.instance);
  }
}

/** The event id a mutation's answer carries, if any. */
export function eventIdOf(data: unknown): string | null {
  const eventId = typeof data === 'object' && data !== null ? (data as { eventId?: unknown }).eventId : undefined;
  return typeof eventId === 'string' ? eventId : null;
}

/** `value` as JSON, cut to `max` characters (marked with the full length). */
export function boundedJson(value: unknown, max: number): string | null {
  if (value === undefined) return null;
  let json: string;
  try {
    json = JSON.stringify(value) ?? 'null';
  } catch {
    return '"(not serializable)"';
  }
  return json.length <= max ? json : `${json.slice(0, max)}…(${json.length} chars)`;
}

/**
 * A database for the audit log alone, where the desk's journal is not a file (cluster mode: the
 * log in Redis is the durable copy of the commands, not of who sent them). Instances on one host
 * may share the file; SQLite serializes their writes.
 */
export function openAuditDatabase(path: string): Database {
  if (path !== ':memory:') makeParentDirectory(path);
  const db = new Sqlite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}
