import type Database from 'better-sqlite3';
import { TRPCError } from '@trpc/server';
import type { DeskAsOf, Moment, ReplayWindow } from '../../shared/schema/replay';
import type { Checkpoints } from '../persist/checkpoints';
import { DeskState, REPLAYED_KEYED, REPLAYED_LOGS, type CheckpointBody, type EventRow } from './desk-state';
import { PricesAt } from './prices-at';

/** A resolved moment: the newest event id it covers, and its time. */
export interface ResolvedMoment {
  id: number;
  ts: number;
}

export interface RebuildSource {
  db: Database.Database;
  checkpoints: Checkpoints;
  /** The newest id the desk issued. */
  lastId: () => number;
  /** The journal's floor: events at or below it are pruned. */
  floor: () => number;
  now: () => number;
  /**
   * A log topic's commits held in memory (its replay buffer), oldest first: below the journal's
   * floor they are the only copy (an instance started from a cluster snapshot has them from the
   * snapshot, not in its journal; after pruning the buffer may still hold some).
   */
  buffered?: (topic: string) => ReadonlyArray<{ id: number; items: readonly unknown[] }>;
}

/** The topics whose rows a rebuild folds in (see `DeskState.apply`). */
const FOLDED = [...REPLAYED_KEYED, 'trades'];

/** How far past the newest log event a snapshot scan looks for matches at most (bounded work). */
const MATCH_SCAN_LIMIT = 20_000;

/**
 * Rebuilds the desk as of a past moment from the journal: the newest checkpoint at or before it,
 * then the events after that checkpoint up to the moment folded in (a few thousand rows at most,
 * since checkpoints come every so many events), the log topics' last events read straight from
 * the log, and prices from the 1 s bars.
 */
export class Rebuilder {
  readonly prices: PricesAt;
  private readonly sql;

  constructor(private readonly source: RebuildSource) {
    const { db } = source;
    this.prices = new PricesAt(db);
    this.sql = {
      // Only the rows the fold reads leave SQLite (the log's rows are most of them).
      between: db.prepare<[number, number], EventRow>(
        `SELECT id, seq, topic, op, key, body, ts FROM events WHERE id > ? AND id <= ? AND topic IN (${FOLDED.map((t) => `'${t}'`).join(', ')}) ORDER BY id, seq`,
      ),
      tsAtOrBefore: db.prepare<[number], { ts: number }>('SELECT ts FROM events WHERE id <= ? ORDER BY id DESC LIMIT 1'),
      idAtTime: db.prepare<[number], { id: number }>('SELECT id FROM events INDEXED BY events_by_ts WHERE seq = 0 AND ts <= ? ORDER BY ts DESC LIMIT 1'),
      lastAppends: db.prepare<[string, number, number], { body: string }>(
        "SELECT body FROM events WHERE topic = ? AND op = 'append' AND id <= ? ORDER BY id DESC, seq DESC LIMIT ?",
      ),
    };
  }

  /** The moments that can be rebuilt: from the oldest checkpoint the log still reaches, to now. */
  window(): ReplayWindow {
    const oldest = this.source.checkpoints.oldestFrom(this.source.floor());
    return {
      from: oldest ? { eventId: String(oldest.id), ts: oldest.ts } : null,
      to: { eventId: String(this.source.lastId()), ts: this.source.now() },
    };
  }

  /**
   * The event id and time of a moment: an id stands for itself (its time is its newest recorded
   * event's); a time for the newest event at or before it. Refuses a moment after now
   * (BAD_REQUEST) or before the oldest one that can be rebuilt (NOT_FOUND).
   */
  resolve(moment: Moment): ResolvedMoment {
    const { checkpoints, lastId, now } = this.source;
    let resolved: ResolvedMoment;
    if (typeof moment === 'string') {
      const id = Number(moment);
      if (id > lastId()) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: `event id ${moment} is after the newest event the desk issued (${lastId()})` });
      }
      const cp = checkpoints.atOrBefore(id);
      resolved = { id, ts: Math.max(this.sql.tsAtOrBefore.get(id)?.ts ?? 0, cp?.ts ?? 0) };
    } else {
      if (moment > now()) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: `time ${new Date(moment).toISOString()} is in the future (now ${new Date(now()).toISOString()})` });
      }
      const id = Math.max(this.sql.idAtTime.get(moment)?.id ?? 0, checkpoints.atTime(moment)?.id ?? 0);
      resolved = { id, ts: moment };
    }
    this.checkpointFor(resolved.id, moment);
    return resolved;
  }

  /** The journaled state as of event `id`: its checkpoint with the events after it folded in. */
  stateAt(id: number): DeskState {
    const checkpoint = this.checkpointFor(id, String(id));
    const state = new DeskState(checkpoint.id, JSON.parse(checkpoint.body) as CheckpointBody);
    for (const row of this.sql.between.iterate(checkpoint.id, id)) state.apply(row);
    state.lastId = id;
    return state;
  }

  /** The newest event id recorded at or before time `ts` (0: none). */
  idAt(ts: number): number {
    return this.sql.idAtTime.get(ts)?.id ?? 0;
  }

  /** The checkpoint's time (`ts` of its row), for the prices measured from it. */
  checkpointTs(id: number): number {
    return this.source.checkpoints.atOrBefore(id)?.ts ?? 0;
  }

  /**
   * The last `limit` events of a log topic at or before `id` that `match`, oldest first: from the
   * journal, and below its floor from the commits still held in memory.
   */
  logAt(topic: string, id: number, limit: number, match: (item: unknown) => boolean = () => true): unknown[] {
    if (limit === 0) return [];
    const items: unknown[] = [];
    // Unfiltered, `limit` rows are all it takes; filtered, a bounded scan back.
    let scanned = 0;
    for (const row of this.sql.lastAppends.iterate(topic, id, MATCH_SCAN_LIMIT)) {
      scanned++;
      const item = JSON.parse(row.body);
      if (!match(item)) continue;
      items.push(item);
      if (items.length >= limit) return items.reverse();
    }
    // A scan that stopped at its bound has not reached the journal's oldest: memory would leave a gap.
    if (scanned >= MATCH_SCAN_LIMIT) return items.reverse();
    const entries = this.source.buffered?.(topic) ?? [];
    const below = Math.min(id, this.source.floor());
    for (let i = entries.length - 1; i >= 0 && items.length < limit; i--) {
      const entry = entries[i]!;
      if (entry.id > below) continue;
      for (let j = entry.items.length - 1; j >= 0 && items.length < limit; j--) if (match(entry.items[j])) items.push(entry.items[j]);
    }
    return items.reverse();
  }

  /** The whole desk as of `moment` (see `DeskAsOf`). */
  asOf(moment: Moment, limit: number): DeskAsOf {
    const at = this.resolve(moment);
    const state = this.stateAt(at.id);
    const keyed: Record<string, unknown[]> = {};
    for (const name of REPLAYED_KEYED) keyed[name] = state.rows(name);
    const logs: Record<string, unknown[]> = {};
    for (const name of REPLAYED_LOGS) logs[name] = this.logAt(name, at.id, limit);
    return {
      eventId: String(at.id),
      ts: at.ts,
      keyed: keyed as DeskAsOf['keyed'],
      logs: logs as DeskAsOf['logs'],
      portfolio: state.portfolio(),
      prices: this.prices.at(at.ts, state.basePrices, this.checkpointTs(at.id)),
    };
  }

  private checkpointFor(id: number, moment: Moment) {
    const checkpoint = this.source.checkpoints.atOrBefore(id);
    const floor = this.source.floor();
    // Older checkpoints cannot be rolled forward: the events after them are pruned.
    if (!checkpoint || (checkpoint.id < floor && checkpoint.id !== id)) {
      const oldest = this.window().from;
      const what = typeof moment === 'string' ? `event id ${moment}` : `time ${new Date(moment).toISOString()}`;
      throw new TRPCError({
        code: 'NOT_FOUND',
        message: oldest
          ? `${what} is before the oldest moment the desk can rebuild (event id ${oldest.eventId}, ${new Date(oldest.ts).toISOString()})`
          : `${what} cannot be rebuilt: the desk has no checkpoint yet`,
      });
    }
    return checkpoint;
  }
}
