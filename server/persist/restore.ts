import type Database from 'better-sqlite3';
import type { LogTopic } from '../hub/log-topic';
import type { StateTopic } from '../hub/state-topic';

export interface RestoreOptions {
  /** Where this run's ids start (the journal's reserved block). */
  firstId: number;
  /** The journal's floor as it is now: it rises while retention prunes. */
  floor: () => number;
}

/**
 * Loads what the journal holds into the topics at start-up (before any subscriber): rows of state
 * topics in the order their keys were first written, the removals keyed resumes need, and the
 * most recent events of log topics; older log events are read from the database on demand.
 */
export function restoreTopics(db: Database.Database, topics: Iterable<StateTopic<unknown> | LogTopic<unknown>>, options: RestoreOptions): void {
  const sql = {
    rowsOf: db.prepare<[string], { id: number; body: string }>('SELECT id, body FROM rows WHERE topic = ? ORDER BY pos'),
    removalsOf: db.prepare<[string, number], { id: number; key: string; body: string }>(
      "SELECT id, key, body FROM events WHERE topic = ? AND op = 'remove' ORDER BY id DESC LIMIT ?",
    ),
    lastAppends: db.prepare<[string, number], { id: number; body: string }>(
      "SELECT id, body FROM events WHERE topic = ? AND op = 'append' ORDER BY id DESC, seq DESC LIMIT ?",
    ),
    appendsAfter: db.prepare<[string, number], { body: string }>(
      "SELECT body FROM events WHERE topic = ? AND op = 'append' AND id > ? ORDER BY id, seq",
    ),
  };
  for (const topic of topics) {
    topic.setFloor(options.floor());
    if (topic.deliveryClass === 'log') {
      restoreLog(topic as LogTopic<unknown>, sql, options);
      continue;
    }
    const state = topic as StateTopic<unknown>;
    for (const row of sql.rowsOf.all(state.name)) state.restoreRow(row.id, JSON.parse(row.body));
    const limit = state.maxTombstones;
    const removals = sql.removalsOf.all(state.name, limit + 1);
    // Removals beyond the newest `limit` are not reloaded: a resume from before the newest of them
    // would miss it, so it resyncs instead.
    if (removals.length > limit) state.setFloor(removals.pop()!.id);
    for (const removal of removals.reverse()) state.restoreTombstone(removal.id, removal.key, JSON.parse(removal.body));
  }
}

interface LogStatements {
  lastAppends: Database.Statement<[string, number], { id: number; body: string }>;
  appendsAfter: Database.Statement<[string, number], { body: string }>;
}

function restoreLog(topic: LogTopic<unknown>, sql: LogStatements, options: RestoreOptions): void {
  const capacity = topic.buffer.capacity;
  const recent = sql.lastAppends.all(topic.name, capacity + 1).reverse();
  // The oldest loaded commit may be cut; start from the first whole one.
  const truncated = recent.length > capacity;
  const firstWhole = truncated ? recent.findIndex((row) => row.id !== recent[0]!.id) : 0;
  const rows = firstWhole < 0 ? [] : recent.slice(firstWhole);
  let group: unknown[] = [];
  let groupId = -1;
  for (const row of rows) {
    if (row.id !== groupId && group.length > 0) {
      topic.buffer.push(groupId, group);
      group = [];
    }
    groupId = row.id;
    group.push(JSON.parse(row.body));
  }
  if (group.length > 0) topic.buffer.push(groupId, group);
  if (truncated) topic.buffer.floor = Math.max(topic.buffer.floor, (rows[0]?.id ?? options.firstId) - 1);
  topic.history = (afterId, match) => {
    if (afterId < options.floor()) return null;
    const items: unknown[] = [];
    for (const row of sql.appendsAfter.iterate(topic.name, afterId)) {
      const item = JSON.parse(row.body);
      if (match(item)) items.push(item);
    }
    return items;
  };
}
