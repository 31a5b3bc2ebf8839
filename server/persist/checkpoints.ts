import type Database from 'better-sqlite3';

/** A checkpoint row: the desk's state (JSON) as of event `id`, written at `ts`. */
export interface CheckpointRow {
  id: number;
  ts: number;
  body: string;
}

/**
 * The `checkpoints` table: the desk's state every so many events, where rebuilding a past moment
 * starts (then the events after it are folded in). Only checkpoints at or above the journal's
 * floor can be rolled forward, since the events after older ones are pruned; `prune` drops those.
 */
export class Checkpoints {
  private readonly sql;

  constructor(db: Database.Database) {
    this.sql = {
      insert: db.prepare<[number, number, string]>('INSERT OR REPLACE INTO checkpoints (id, ts, body) VALUES (?, ?, ?)'),
      atOrBefore: db.prepare<[number], CheckpointRow>('SELECT id, ts, body FROM checkpoints WHERE id <= ? ORDER BY id DESC LIMIT 1'),
      newest: db.prepare<[], { id: number; ts: number }>('SELECT id, ts FROM checkpoints ORDER BY id DESC LIMIT 1'),
      oldestFrom: db.prepare<[number], { id: number; ts: number }>('SELECT id, ts FROM checkpoints WHERE id >= ? ORDER BY id LIMIT 1'),
      // A handful of rows per day of retention: a scan of them costs nothing.
      newestAtTime: db.prepare<[number], { id: number; ts: number }>('SELECT id, ts FROM checkpoints WHERE ts <= ? ORDER BY id DESC LIMIT 1'),
      pruneBelow: db.prepare<[number]>('DELETE FROM checkpoints WHERE id < ?'),
      count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM checkpoints'),
    };
  }

  write(id: number, ts: number, body: string): void {
    this.sql.insert.run(id, ts, body);
  }

  /** The newest checkpoint at or before event `id`. */
  atOrBefore(id: number): CheckpointRow | undefined {
    return this.sql.atOrBefore.get(id);
  }

  /** The newest checkpoint written at or before time `ts`. */
  atTime(ts: number): { id: number; ts: number } | undefined {
    return this.sql.newestAtTime.get(ts);
  }

  newest(): { id: number; ts: number } | undefined {
    return this.sql.newest.get();
  }

  /** The oldest checkpoint at or above `floor`: the oldest moment that can be rebuilt. */
  oldestFrom(floor: number): { id: number; ts: number } | undefined {
    return this.sql.oldestFrom.get(floor);
  }

  /** Deletes checkpoints below `floor` (their events are gone); returns how many. */
  prune(floor: number): number {
    return this.sql.pruneBelow.run(floor).changes;
  }

  get size(): number {
    return this.sql.count.get()!.n;
  }
}
