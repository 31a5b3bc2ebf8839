import type Database from 'better-sqlite3';
import type { Hub } from '../hub/hub';
import type { Checkpoints } from '../persist/checkpoints';
import type { DeskTopics } from '../store/topics';
import { checkpointBody } from './desk-state';

export interface CheckpointerOptions {
  /** A checkpoint once this many events were journaled since the last one. @default 10000 */
  everyEvents?: number;
  /** And at least this often while anything changes, ms. @default 60000 */
  everyMs?: number;
  /** How often it looks whether one is due, ms. @default 1000 */
  checkMs?: number;
  now?: () => number;
}

/**
 * Writes checkpoints off the hot path: a timer looks every `checkMs` whether `everyEvents` events
 * were journaled since the last one (a bounded count on the primary key) or `everyMs` passed, and
 * writes the desk's state then, one JSON row; it drops checkpoints the pruned log no longer
 * reaches. So rebuilding any moment folds at most about `everyEvents` events.
 */
export class Checkpointer {
  /** What it did so far: checkpoints written, time spent (ms), the longest write. */
  readonly counters = { written: 0, ms: 0, maxMs: 0 };
  private readonly options: Required<CheckpointerOptions>;
  private readonly countSince;
  private timer: NodeJS.Timeout | null = null;
  private last: { id: number; ts: number } | undefined;

  constructor(
    db: Database.Database,
    private readonly checkpoints: Checkpoints,
    private readonly hub: Hub,
    private readonly topics: DeskTopics,
    private readonly floor: () => number,
    options: CheckpointerOptions = {},
  ) {
    this.options = { everyEvents: 10_000, everyMs: 60_000, checkMs: 1000, now: Date.now, ...options };
    this.countSince = db.prepare<[number, number], { n: number }>('SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE id > ? LIMIT ?)');
    this.last = checkpoints.newest();
  }

  /** Writes a checkpoint of the desk as it is now (nothing when no commit happened since the last). */
  write(): boolean {
    const id = this.hub.lastId;
    if (this.last && this.last.id >= id) return false;
    const started = performance.now();
    const ts = this.options.now();
    this.checkpoints.write(id, ts, JSON.stringify(checkpointBody(this.topics)));
    this.last = { id, ts };
    const ms = performance.now() - started;
    this.counters.written++;
    this.counters.ms += ms;
    this.counters.maxMs = Math.max(this.counters.maxMs, ms);
    return true;
  }

  /** One step: prunes, then writes a checkpoint if one is due. */
  step(): void {
    this.checkpoints.prune(this.floor());
    const last = this.last;
    if (!last) {
      this.write();
      return;
    }
    const { everyEvents, everyMs, now } = this.options;
    if (this.countSince.get(last.id, everyEvents)!.n >= everyEvents || now() - last.ts >= everyMs) this.write();
  }

  /** Writes the first checkpoint of this run (where its ids start), then steps on a timer. */
  start(): void {
    this.write();
    const tick = () => {
      try {
        this.step();
      } catch {
        // A full or failing disk: the next step tries again.
      }
      this.timer = setTimeout(tick, this.options.checkMs);
      this.timer.unref();
    };
    this.timer = setTimeout(tick, this.options.checkMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
