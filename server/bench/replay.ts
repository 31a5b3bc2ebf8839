/**
 * Time travel in `npm run bench`: a journal pre-filled with 1 M events (commits of 100: custom
 * events, agent statuses and tasks, as a busy desk writes them, with a checkpoint every 10,000
 * events as the desk's own timer writes them), then over a real WebSocket the time to rebuild the
 * desk as of moments up to 1 M events back (`replay.asOf`), and the speed of a replay over the
 * newest fifth of the log (`onCustom` with `replay` at 100x, events received per second until it
 * is live; the events were recorded far faster than 100x of real time, so it is not paced), and a
 * history page of a time range near the oldest event, beside the same range scanned by id.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp } from '../app';
import { createDesk } from '../store/desk';
import { readHistory } from '../store/history';
import { customHistoryInput } from '../../shared/schema/history';
import { createDeskClient } from '../../shared/node';
import { median } from './stats';

export interface ReplayBenchResult {
  events: number;
  prefillMs: number;
  checkpoints: number;
  /** Rebuilding the desk (`replay.asOf`'s work, in the server) as of a moment `events` back, ms: median and max of `rebuilds`. */
  oldestMs: { median: number; max: number };
  /** Of moments spread over the whole log, each a different distance past its checkpoint, ms. */
  anyMs: { median: number; max: number };
  /** `replay.asOf` of those moments through the client over HTTP, ms (the round trip included). */
  wireMs: { median: number; max: number };
  /** `system.health` through the same client, the round trip alone, ms. */
  healthMs: { median: number; max: number };
  rebuilds: number;
  /** A replay at 100x from the oldest moment until it is live. */
  replay: { events: number; ms: number; eventsPerSec: number };
  /**
   * `history.custom` of a 50 ms range near the oldest event, through the client: ms per first page
   * (median, max of `rebuilds`), the items it held; and in the server the same range scanned by id
   * (as without the time index): pages and ms until its first item.
   */
  historyBack: { ms: { median: number; max: number }; items: number; scan: { pages: number; ms: number } };
}

const ROWS_PER_COMMIT = 1_000;
/** The replay is timed over the newest part of the log: a fifth of it. */

export async function measureReplay(options: { events?: number; rebuilds?: number } = {}): Promise<ReplayBenchResult> {
  const events = options.events ?? 1_000_000;
  const rebuilds = options.rebuilds ?? 10;
  const dir = mkdtempSync(join(tmpdir(), 'bench-replay-'));
  const path = join(dir, 'desk.db');
  try {
    const prefill = prefillMixed(path, events);
    const app = await startApp({ port: 0, sim: { enabled: false }, statsIntervalMs: 3_600_000, desk: { journal: { path, retainEvents: 0, retainMs: 0 } } });
    const client = createDeskClient({ url: app.url });
    try {
      const { api } = client;
      const { rebuilder } = app.desk.replay!;
      const db = app.desk.journal!.db;
      const back = (n: number) => String(db.prepare<[number], { id: number }>('SELECT id FROM events ORDER BY id DESC, seq DESC LIMIT 1 OFFSET ?').get(n)!.id);
      const inProcess = (at: string) => {
        const started = performance.now();
        rebuilder.asOf(at, 50);
        return performance.now() - started;
      };
      const overTheWire = async (at: string) => {
        const started = performance.now();
        await api.replay.asOf.query({ at });
        return performance.now() - started;
      };
      // A moment 1 M events back (the first event), and moments spread over the log, each a
      // different distance past its checkpoint (up to the 10,000 events between two).
      const rows = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM events').get()!.n;
      const oldest = back(rows - 1);
      const spread = Array.from({ length: rebuilds }, (_, i) => back(Math.max(0, Math.floor(((i + 0.5) / rebuilds) * (rows - 1)) - ((i * 997) % 10_000))));
      inProcess(oldest); // warm-up
      const oldestTimes = Array.from({ length: rebuilds }, () => inProcess(oldest));
      const anyTimes = spread.map(inProcess);
      const wire: number[] = [];
      const health: number[] = [];
      for (const at of spread) {
        wire.push(await overTheWire(at));
        const started = performance.now();
        await api.system.health.query();
        health.push(performance.now() - started);
      }
      const replay = await timeReplay(api, back(Math.floor(rows / 5)), String(app.desk.hub.lastId));
      const historyBack = await timeHistoryBack(app.desk, api, db.prepare<[], { ts: number }>("SELECT json_extract(body, '$.ts') AS ts FROM events WHERE topic = 'custom' ORDER BY id LIMIT 1 OFFSET 20000").get()!.ts, rebuilds);
      return {
        events: rows,
        prefillMs: Math.round(prefill.ms),
        checkpoints: prefill.checkpoints,
        oldestMs: summary(oldestTimes),
        anyMs: summary(anyTimes),
        wireMs: summary(wire),
        healthMs: summary(health),
        rebuilds,
        replay,
        historyBack,
      };
    } finally {
      client.close();
      await app.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The custom events of a replay from `from` at 100x, until the stream is live (an id at or past `to`). */
async function timeReplay(api: ReturnType<typeof createDeskClient>['api'], from: string, to: string) {
  const started = performance.now();
  let received = 0;
  await new Promise<void>((resolve, reject) => {
    const sub = api.feeds.onCustom.subscribe({ limit: 0, replay: { from, speed: 100 } }, {
      onData: ({ id, data }) => {
        if (data.type === 'append') received += data.items.length;
        if (BigInt(id) >= BigInt(to)) {
          sub.unsubscribe();
          resolve();
        }
      },
      onError: reject,
    });
  });
  const ms = performance.now() - started;
  return { events: received, ms: Math.round(ms), eventsPerSec: Math.round(received / (ms / 1000)) };
}

/** A first page of a 50 ms range from `from` through the client, and the same range paged by id in the server. */
async function timeHistoryBack(desk: ReturnType<typeof createDesk>, api: ReturnType<typeof createDeskClient>['api'], from: number, runs: number) {
  const range = { from, to: from + 50, limit: 100 };
  const times: number[] = [];
  let items = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    items = (await api.history.custom.query(range)).items.length;
    times.push(performance.now() - started);
  }
  const started = performance.now();
  let pages = 0;
  let cursor: string | null = null;
  for (;;) {
    pages++;
    const page: { items: unknown[]; next: string | null } = readHistory(desk.journal, desk.topics.custom, customHistoryInput.parse({ ...range, cursor }), () => true, { timeSlackMs: null });
    if (page.items.length > 0 || page.next === null) break;
    cursor = page.next;
  }
  return { ms: summary(times), items, scan: { pages, ms: Math.round(performance.now() - started) } };
}

/** Writes `events` rows through the desk's own journal, with checkpoints as the desk writes them. */
function prefillMixed(path: string, events: number): { ms: number; checkpoints: number } {
  const started = performance.now();
  const desk = createDesk({ journal: { path, retainEvents: 0, retainMs: 0 } });
  const { custom, agents, tasks } = desk.topics;
  const checkpointer = desk.replay!.checkpointer;
  checkpointer.write();
  let sinceCheckpoint = 0;
  for (let done = 0; done < events; ) {
    const count = Math.min(ROWS_PER_COMMIT, events - done);
    const n = done;
    desk.hub.commit((tx) => {
      // 950 custom events, 25 agent statuses and 25 tasks per commit.
      for (let i = 0; i < count; i++) {
        const k = n + i;
        if (i % 40 === 0) tx.upsert(agents, { id: `ag-${(k / 40) % 50}`, name: `agent ${k % 50}`, status: k % 3 ? 'active' : 'idle', currentTaskId: null, cpu: k % 100, memory: 100, lastSeen: Date.now() } as never);
        else if (i % 40 === 1) tx.upsert(tasks, { id: `t-${((k - 1) / 40) % 500}`, agentId: `ag-${k % 50}`, status: 'running', progress: (k % 100) / 100, title: 'task', createdAt: 0, updatedAt: Date.now() } as never);
        else tx.append(custom, { id: `pre${k}`, type: 'prefill', data: k, ts: Date.now() });
      }
    });
    done += count;
    sinceCheckpoint += count;
    if (sinceCheckpoint >= 10_000) {
      checkpointer.write();
      sinceCheckpoint = 0;
    }
  }
  const checkpoints = desk.replay!.checkpoints.size;
  desk.journal!.close();
  return { ms: performance.now() - started, checkpoints };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
const summary = (times: number[]) => ({ median: round(median(times)), max: round(Math.max(...times)) });
