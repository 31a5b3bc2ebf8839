import type Database from 'better-sqlite3';
import type { Decision } from '../../shared/schema/agents';
import type { Trade } from '../../shared/schema/market';
import { AgentStatsFold, type FoldSnapshot } from './agent-stats';

/**
 * What per-agent performance reads from and keeps in the journal's database: the trades and
 * decisions of a range of ids, and snapshots of the fold (`agent_stats`) as of an event id.
 *
 * The fold covers every trade and decision the desk ever recorded, whatever retention prunes:
 * before the journal deletes events through an id, `rollBaseTo` folds them into the snapshot at
 * the floor, so the oldest snapshot is always the fold of everything pruned (see `Journal.beforePrune`).
 * Snapshots above it, written as the fold goes, bound the work of a fold as of any moment.
 */
export class AgentStatsJournal {
  private readonly sql;

  constructor(db: Database.Database) {
    this.sql = {
      appends: db.prepare<[string, number, number], { body: string }>(
        "SELECT body FROM events WHERE topic = ? AND op = 'append' AND id > ? AND id <= ? ORDER BY id, seq",
      ),
      // The id of the commit holding a topic's (n+1)-th append after an id: where a page ends.
      nth: db.prepare<[string, number, number, number], { id: number }>(
        "SELECT id FROM events WHERE topic = ? AND op = 'append' AND id > ? AND id <= ? ORDER BY id, seq LIMIT 1 OFFSET ?",
      ),
      write: db.prepare<[number, string]>('INSERT OR REPLACE INTO agent_stats (id, body) VALUES (?, ?)'),
      atOrBefore: db.prepare<[number], { id: number; body: string }>('SELECT id, body FROM agent_stats WHERE id <= ? ORDER BY id DESC LIMIT 1'),
      newest: db.prepare<[], { id: number; body: string }>('SELECT id, body FROM agent_stats ORDER BY id DESC LIMIT 1'),
      pruneBelow: db.prepare<[number]>('DELETE FROM agent_stats WHERE id < ?'),
    };
  }

  /**
   * Makes sure a snapshot exists: with none (a new journal, or one from before snapshots were
   * kept), an empty fold at `floor`, where the events it still holds begin.
   */
  ensureBase(floor: number): void {
    if (!this.sql.newest.get()) this.sql.write.run(floor, JSON.stringify(new AgentStatsFold().snapshot()));
  }

  /** The newest snapshot at or before event `id`, as a fold to go on from. */
  snapshotAtOrBefore(id: number): { id: number; fold: AgentStatsFold } | undefined {
    const row = this.sql.atOrBefore.get(id);
    return row ? { id: row.id, fold: AgentStatsFold.from(JSON.parse(row.body) as FoldSnapshot) } : undefined;
  }

  /** Keeps the fold as of event `id` (a commit boundary). */
  writeSnapshot(id: number, fold: AgentStatsFold): void {
    this.sql.write.run(id, JSON.stringify(fold.snapshot()));
  }

  /** Folds the trades and decisions of ids in (`after`, `upTo`] into `fold` as one step (whole commits); returns the rows folded. */
  foldRange(fold: AgentStatsFold, after: number, upTo: number): number {
    const trades = this.read<Trade>('trades', after, upTo);
    const decisions = this.read<Decision>('decisions', after, upTo);
    fold.trades(trades);
    fold.decisions(decisions);
    return trades.length + decisions.length;
  }

  /** The end of the next page after `from`: the commit holding either topic's (rows+1)-th append, or `upTo`. */
  pageEnd(from: number, upTo: number, rows: number): number {
    let end = upTo;
    for (const topic of ['trades', 'decisions']) {
      const row = this.sql.nth.get(topic, from, upTo, rows);
      if (row) end = Math.min(end, row.id);
    }
    return end;
  }

  /**
   * Before the journal deletes its events through `through` (whole commits just above the floor):
   * folds them into the newest snapshot at or below `through` (the one at the floor at worst), keeps
   * that as the snapshot at `through`, and drops the older ones, which nothing can roll forward any
   * more. Runs in the pruning's transaction, so a crash keeps both or neither. The rows folded are
   * the ones the pruning deletes at most: bounded work.
   */
  rollBaseTo(through: number, floor: number): void {
    const base = this.snapshotAtOrBefore(through);
    if (!base || base.id < through) {
      const fold = base?.fold ?? new AgentStatsFold();
      this.foldRange(fold, base?.id ?? floor, through);
      this.writeSnapshot(through, fold);
    }
    this.sql.pruneBelow.run(through);
  }

  private read<T>(topic: string, after: number, upTo: number): T[] {
    return this.sql.appends.all(topic, after, upTo).map((row) => JSON.parse(row.body) as T);
  }
}
