import { gunzipSync, gzipSync } from 'node:zlib';
import type { Hub } from '../hub/hub';
import type { Desk } from '../store/desk';

/** Where in the command log a snapshot was taken: everything up to and including this entry is in it. */
export interface LogPosition {
  /** Stream entry id of the last command folded. */
  entryId: string;
  /** Its sequence number in the log (commands are numbered from 1). */
  seq: number;
}

/**
 * The folded state of a cluster desk at one log position: enough for an instance to start there
 * and fold only the commands after it, reaching the same state under the same event ids as the
 * instances that folded everything.
 */
export interface DeskSnapshot extends LogPosition {
  v: 1;
  /** The hub's last event id; the next commit is `lastId + 1`. */
  lastId: number;
  /** Rows of every state topic, with the id of the event that last changed each. */
  state: Record<string, Array<[id: number, value: unknown]>>;
  /** The replay buffer of every log topic, oldest first. */
  log: Record<string, Array<[id: number, items: readonly unknown[]]>>;
  /** Idempotency keys still within their window: key, path, event id, result, first use. */
  keys: Array<[string, string, number | null, string | null, number]>;
}

/**
 * Captures the desk's folded state (synchronously, between two commands) as gzipped JSON. Derived,
 * instance-local readings (`hub.derivedTopics`) are not in `hub.topics` and so are left out;
 * resumes from before the snapshot are not answerable from it.
 */
export function captureSnapshot(desk: Desk, at: LogPosition): Buffer {
  const snapshot: DeskSnapshot = { v: 1, ...at, lastId: desk.hub.lastId, state: {}, log: {}, keys: [] };
  for (const [name, topic] of desk.hub.topics) {
    if (topic.deliveryClass === 'log') snapshot.log[name] = topic.buffer.dump().map((e) => [e.id, e.items]);
    else snapshot.state[name] = topic.dump();
  }
  if (desk.journal) {
    snapshot.keys = desk.journal.db
      .prepare<[], { key: string; path: string; event_id: number | null; result: string | null; created: number }>(
        'SELECT key, path, event_id, result, created FROM idempotency ORDER BY created',
      )
      .all()
      .map((k) => [k.key, k.path, k.event_id, k.result, k.created]);
  }
  return gzipSync(JSON.stringify(snapshot), { level: 1 });
}

/** Reads a snapshot written by `captureSnapshot`; throws on another format. */
export function parseSnapshot(data: Buffer): DeskSnapshot {
  const snapshot = JSON.parse(gunzipSync(data).toString('utf8')) as DeskSnapshot;
  if (snapshot.v !== 1) throw new Error(`unknown snapshot format ${String(snapshot.v)}`);
  return snapshot;
}

/** Loads a snapshot's topics into a new desk's hub (`DeskOptions.restore`): before any store reads them. */
export function restoreTopics(hub: Hub, snapshot: DeskSnapshot): void {
  for (const [name, topic] of hub.topics) {
    if (topic.deliveryClass === 'log') for (const [id, items] of snapshot.log[name] ?? []) topic.buffer.push(id, items);
    else for (const [id, value] of snapshot.state[name] ?? []) topic.restoreRow(id, value);
  }
}

/** Loads a snapshot's idempotency keys into a new desk's journal. */
export function restoreKeys(desk: Desk, snapshot: DeskSnapshot): void {
  if (!desk.journal) return;
  const insert = desk.journal.db.prepare('INSERT OR REPLACE INTO idempotency (key, path, event_id, result, created) VALUES (?, ?, ?, ?, ?)');
  desk.journal.db.transaction(() => {
    for (const key of snapshot.keys) insert.run(...key);
  })();
}
