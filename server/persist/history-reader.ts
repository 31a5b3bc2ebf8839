import type Database from 'better-sqlite3';
import type { HistoryEntry, HistorySource } from '../store/history-pages';

interface Row {
  id: number;
  body: string;
}

/** Groups rows (in id order, either way) into commits. */
function group<T>(rows: readonly Row[]): HistoryEntry<T>[] {
  const out: Array<{ id: number; items: T[] }> = [];
  for (const row of rows) {
    const last = out[out.length - 1];
    const item = JSON.parse(row.body) as T;
    if (last && last.id === row.id) last.items.push(item);
    else out.push({ id: row.id, items: [item] });
  }
  return out;
}

/**
 * Reads log topics' events from the journal's `events` table, whole commits at a time, by index
 * seeks on `(topic, id)`: a page costs the rows it reads, however long the table is.
 */
export class JournalHistory {
  private readonly sql;

  constructor(db: Database.Database) {
    this.sql = {
      before: db.prepare<[string, number, number, number], Row>(
        "SELECT id, body FROM events WHERE topic = ? AND op = 'append' AND id < ? AND id > ? ORDER BY id DESC, seq DESC LIMIT ?",
      ),
      after: db.prepare<[string, number, number], Row>("SELECT id, body FROM events WHERE topic = ? AND op = 'append' AND id > ? ORDER BY id, seq LIMIT ?"),
      get: db.prepare<[string, number], Row>("SELECT id, body FROM events WHERE topic = ? AND op = 'append' AND id = ? ORDER BY seq"),
      // Both seeks are one step down the time index, whatever the journal's length.
      lastBefore: db.prepare<[number], { id: number }>('SELECT id FROM events INDEXED BY events_by_ts WHERE seq = 0 AND ts < ? ORDER BY ts DESC, id DESC LIMIT 1'),
      firstFrom: db.prepare<[number], { id: number }>('SELECT id FROM events INDEXED BY events_by_ts WHERE seq = 0 AND ts >= ? ORDER BY ts, id LIMIT 1'),
    };
  }

  /** The newest commit recorded before `ts` (any topic), or null when none is retained. */
  lastBefore(ts: number): number | null {
    return this.sql.lastBefore.get(ts)?.id ?? null;
  }

  /** The oldest commit recorded at or after `ts` (any topic), or null when none is yet. */
  firstFrom(ts: number): number | null {
    return this.sql.firstFrom.get(ts)?.id ?? null;
  }

  /** One topic's events above `floor` (the journal's retention floor now). */
  source<T>(topic: string, floor: number): HistorySource<T> {
    const { sql } = this;
    const get = (id: number): HistoryEntry<T> | null => (id > floor ? (group<T>(sql.get.all(topic, id))[0] ?? null) : null);
    // A read that hit its limit may have cut its last commit: that one is left for the next read,
    // or read whole when it is the only one. Rows read newest first come last item first per commit.
    const whole = (rows: Row[], max: number, newestFirst: boolean): HistoryEntry<T>[] => {
      let kept = rows;
      if (rows.length > max) {
        const cutId = rows[rows.length - 1]!.id;
        kept = rows.filter((row) => row.id !== cutId);
        if (kept.length === 0) return [get(cutId)!];
      }
      const entries = group<T>(kept);
      return newestFirst ? entries.map((entry) => ({ id: entry.id, items: [...entry.items].reverse() })) : entries;
    };
    return {
      floor,
      before: (id, max) => whole(sql.before.all(topic, Math.min(id, Number.MAX_SAFE_INTEGER), floor, max + 1), max, true),
      after: (id, max) => whole(sql.after.all(topic, Math.max(id, floor), max + 1), max, false),
      get,
    };
  }
}
