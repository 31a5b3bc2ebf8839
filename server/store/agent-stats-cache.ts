import type Database from 'better-sqlite3';
import type { Decision } from '../../shared/schema/agents';
import type { Trade } from '../../shared/schema/market';
import type { Hub } from '../hub/hub';
import type { LogTopic } from '../hub/log-topic';
import type { Journal } from '../persist/journal';
import { AgentStatsFold } from './agent-stats';

/** Rows of either topic read from the journal per step of a catch-up; the event loop runs between steps. */
export const STATS_PAGE_ROWS = 2_000;

/**
 * Per-agent performance kept current on demand: each call folds only the trades and decisions
 * committed since the last one (`AgentStatsFold`), so a dashboard asking every few seconds costs
 * what changed, not the whole journal. The first call folds everything the desk retains, from the
 * journal in pages of whole commits with the event loop running between them, so a long history
 * never holds up other clients; calls made meanwhile wait for the same catch-up.
 */
export class AgentStatsCache {
  private readonly fold = new AgentStatsFold();
  /** The newest event id folded; null before the first call. */
  private through: number | null = null;
  private catchingUp: Promise<void> | null = null;
  private readonly appends: Database.Statement<[string, number, number], { body: string }> | null;
  /** The id of the commit holding a topic's (n+1)-th append after an id: where a page ends. */
  private readonly nth: Database.Statement<[string, number, number, number], { id: number }> | null;

  constructor(
    private readonly hub: Hub,
    private readonly topics: { trades: LogTopic<Trade>; decisions: LogTopic<Decision> },
    private readonly journal: Journal | null,
    private readonly pageRows = STATS_PAGE_ROWS,
  ) {
    this.appends = journal
      ? journal.db.prepare("SELECT body FROM events WHERE topic = ? AND op = 'append' AND id > ? AND id <= ? ORDER BY id, seq")
      : null;
    this.nth = journal
      ? journal.db.prepare("SELECT id FROM events WHERE topic = ? AND op = 'append' AND id > ? AND id <= ? ORDER BY id, seq LIMIT 1 OFFSET ?")
      : null;
  }

  /** The fold, brought up to the desk's newest commit. */
  async current(): Promise<AgentStatsFold> {
    this.catchingUp ??= this.catchUp().finally(() => {
      this.catchingUp = null;
    });
    await this.catchingUp;
    return this.fold;
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      // Commits apply to memory synchronously, so between steps every id up to `lastId` is in the topics (and, written first, in the journal).
      const upTo = this.hub.lastId;
      const after = this.through;
      if (after !== null && upTo <= after) return;
      const { trades, decisions } = this.topics;
      const inMemory = after !== null && after >= trades.buffer.floor && after >= decisions.buffer.floor;
      if (inMemory || !this.appends) {
        // At most the replay buffers' capacity: one step.
        this.foldBetween(this.fromMemory(trades, after, upTo), this.fromMemory(decisions, after, upTo), upTo);
        return;
      }
      const from = after ?? this.journal!.floor;
      const end = this.pageEnd(from, upTo);
      this.foldBetween(this.fromJournal(trades, from, end), this.fromJournal(decisions, from, end), end);
      if (end < upTo) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** A commit's trades before its decisions: a decision is scored against the trade it caused. */
  private foldBetween(trades: Trade[], decisions: Decision[], through: number): void {
    this.fold.trades(trades);
    this.fold.decisions(decisions);
    this.through = through;
  }

  /** The end of the next page after `from`: the commit holding either topic's (pageRows+1)-th append, or `upTo`. */
  private pageEnd(from: number, upTo: number): number {
    let end = upTo;
    for (const topic of [this.topics.trades, this.topics.decisions]) {
      const row = this.nth!.get(topic.name, from, upTo, this.pageRows);
      if (row) end = Math.min(end, row.id);
    }
    return end;
  }

  private fromJournal<T>(topic: LogTopic<T>, from: number, end: number): T[] {
    return this.appends!.all(topic.name, from, end).map((row) => JSON.parse(row.body) as T);
  }

  /** The topic's events after `after` up to `upTo`, oldest first, from the replay buffer. */
  private fromMemory<T>(topic: LogTopic<T>, after: number | null, upTo: number): T[] {
    const out: T[] = [];
    for (const entry of topic.buffer.dump()) if ((after === null || entry.id > after) && entry.id <= upTo) out.push(...entry.items);
    return out;
  }
}
