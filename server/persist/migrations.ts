import type { Database } from 'better-sqlite3';

/** Versioned schema changes, applied in order at start-up; `PRAGMA user_version` records the last. */
export const migrations = [
  {
    version: 1,
    name: 'event log, current rows, meta',
    up: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE events (
        id INTEGER NOT NULL, seq INTEGER NOT NULL, topic TEXT NOT NULL, op TEXT NOT NULL,
        key TEXT NOT NULL, body TEXT NOT NULL, ts INTEGER NOT NULL,
        PRIMARY KEY (id, seq)
      ) WITHOUT ROWID;
      CREATE TABLE rows (
        topic TEXT NOT NULL, key TEXT NOT NULL, id INTEGER NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (topic, key)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'idempotency keys; per-topic event index for resume',
    up: `
      CREATE INDEX events_by_topic ON events (topic, id);
      CREATE TABLE idempotency (
        key TEXT PRIMARY KEY, path TEXT NOT NULL, event_id INTEGER, result TEXT, created INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX idempotency_by_age ON idempotency (created);
    `,
  },
  {
    version: 3,
    name: 'event time index, so age retention seeks its cut-off instead of scanning',
    up: `
      CREATE INDEX events_by_ts ON events (ts);
    `,
  },
  {
    version: 4,
    name: 'audit log of mutations, outside the event sequence',
    up: `
      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL, who TEXT NOT NULL, name TEXT, role TEXT,
        address TEXT NOT NULL, path TEXT NOT NULL, input TEXT, code TEXT NOT NULL, event_id TEXT,
        count INTEGER NOT NULL DEFAULT 1, instance TEXT
      );
      CREATE INDEX audit_by_path ON audit (path, seq);
      CREATE INDEX audit_by_who ON audit (who, seq);
      CREATE INDEX audit_by_name ON audit (name, seq);
      CREATE INDEX audit_by_ts ON audit (ts);
    `,
  },
  {
    version: 5,
    name: 'row position: rows come back in the order their keys were first written',
    // Rows from before keep the order of their last change, the closest record there is.
    up: `
      ALTER TABLE rows ADD COLUMN pos INTEGER NOT NULL DEFAULT 0;
      UPDATE rows SET pos = id;
    `,
  },
  {
    version: 6,
    name: 'candles: every bar of every symbol and interval, pruned by age per interval',
    up: `
      CREATE TABLE candles (
        symbol TEXT NOT NULL, interval TEXT NOT NULL, open_time INTEGER NOT NULL,
        open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL,
        volume REAL NOT NULL, ticks INTEGER NOT NULL,
        PRIMARY KEY (symbol, interval, open_time)
      ) WITHOUT ROWID;
      CREATE INDEX candles_by_age ON candles (interval, open_time);
    `,
  },
  {
    version: 7,
    name: 'checkpoints: the desk\'s state every so many events, where rebuilding a past moment starts',
    up: `
      CREATE TABLE checkpoints (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, body TEXT NOT NULL);
    `,
  },
  {
    version: 8,
    name: 'equity: the portfolio in buckets of 1 s, 1 m and 1 h, pruned by age per resolution',
    up: `
      CREATE TABLE equity (
        resolution TEXT NOT NULL, ts INTEGER NOT NULL,
        open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL,
        cash REAL NOT NULL, realized_pnl REAL NOT NULL, unrealized_pnl REAL NOT NULL, samples INTEGER NOT NULL,
        PRIMARY KEY (resolution, ts)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 9,
    name: 'agent stats: the per-agent performance fold as of an event id, kept at the floor so pruning never loses it',
    up: `
      CREATE TABLE agent_stats (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
    `,
  },
  {
    version: 10,
    name: 'audit log: only the time index, which pruning seeks; every mutation paid for three more that no query used',
    // `system.audit` filters by path and caller while it walks `seq` downwards (its optional filters
    // are `@x IS NULL OR ...` terms, which no index serves), and pruning seeks `ts`.
    up: `
      DROP INDEX IF EXISTS audit_by_path;
      DROP INDEX IF EXISTS audit_by_who;
      DROP INDEX IF EXISTS audit_by_name;
    `,
  },
  {
    version: 11,
    name: 'audit log: the sequence a plain rowid, and no time index; every entry paid for both and each cost a page in every commit',
    // AUTOINCREMENT updates sqlite_sequence with every insert, and audit_by_ts took one more b-tree
    // insert. Pruning now walks the sequence from the oldest (server/persist/audit-log.ts) and keeps
    // the newest entry whatever its age, so a sequence number is never given twice, not even one
    // given to an entry pruned before this migration.
    up: `
      CREATE TABLE audit_rowid (
        seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, who TEXT NOT NULL, name TEXT, role TEXT,
        address TEXT NOT NULL, path TEXT NOT NULL, input TEXT, code TEXT NOT NULL, event_id TEXT,
        count INTEGER NOT NULL DEFAULT 1, instance TEXT
      );
      INSERT INTO audit_rowid (seq, ts, who, name, role, address, path, input, code, event_id, count, instance)
        SELECT seq, ts, who, name, role, address, path, input, code, event_id, count, instance FROM audit;
      -- Numbers AUTOINCREMENT gave to entries since pruned stay given: a marker (no calls, time 0)
      -- holds the highest until a newer entry exists; pages skip it and pruning takes it then.
      INSERT INTO audit_rowid (seq, ts, who, address, path, code, count)
        SELECT seq, 0, '', '', '', '', 0 FROM sqlite_sequence
        WHERE name = 'audit' AND seq > (SELECT coalesce(max(seq), 0) FROM audit);
      DROP TABLE audit;
      ALTER TABLE audit_rowid RENAME TO audit;
    `,
  },
  {
    version: 12,
    name: 'event time index: one entry per commit, not per event',
    // Every row of a commit has its time and its first row has seq 0, so the commit's first row
    // answers every time seek (all of them by commit), and a trade's commit (its fill and its
    // position) writes one entry instead of two.
    up: `
      DROP INDEX IF EXISTS events_by_ts;
      CREATE INDEX events_by_ts ON events (ts) WHERE seq = 0;
    `,
  },
] as const;

export const SCHEMA_VERSION = migrations[migrations.length - 1]!.version;

/** Brings the database up to `target` (default: the newest version); each step in its own transaction. */
export function migrate(db: Database, target: number = SCHEMA_VERSION): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(`database schema version ${current} is newer than this server knows (${SCHEMA_VERSION})`);
  }
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      db.exec(migration.up);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
