import type Database from 'better-sqlite3';
import type { Decision } from '../../shared/schema/agents';
import type { Trade } from '../../shared/schema/market';
import type { Hub } from '../hub/hub';
import type { LogTopic } from '../hub/log-topic';
import type { Journal } from '../persist/journal';
import { AgentStatsFold } from './agent-stats';

/**
 * Per-agent performance kept current on demand: each call folds only the trades and decisions
 * committed since the last one (`AgentStatsFold`), so a dashboard asking every few seconds costs
 * what changed, not the whole journal. The first call folds everything the desk retains.
 */
export class AgentStatsCache {
  private readonly fold = new AgentStatsFold();
  /** The newest event id folded; null before the first call. */
  private through: number | null = null;
  private readonly appends: Database.Statement<[string, number, number], { body: string }> | null;

  constructor(
    private readonly hub: Hub,
    private readonly topics: { trades: LogTopic<Trade>; decisions: LogTopic<Decision> },
    private readonly journal: Journal | null,
  ) {
    this.appends = journal
      ? journal.db.prepare("SELECT body FROM events WHERE topic = ? AND op = 'append' AND id > ? AND id <= ? ORDER BY id, seq")
      : null;
  }

  /** The fold, brought up to the desk's newest commit. */
  current(): AgentStatsFold {
    // Commits apply to memory synchronously, so between calls every id up to `lastId` is in the topics.
    const upTo = this.hub.lastId;
    if (this.through !== null && upTo <= this.through) return this.fold;
    // A commit's trades before its decisions: a decision is scored against the trade it caused.
    this.fold.trades(this.between(this.topics.trades, upTo));
    this.fold.decisions(this.between(this.topics.decisions, upTo));
    this.through = upTo;
    return this.fold;
  }

  /** The topic's events after `through` up to `upTo`, oldest first: from memory when it still holds them all. */
  private between<T>(topic: LogTopic<T>, upTo: number): T[] {
    const after = this.through;
    const inMemory = after !== null && after >= topic.buffer.floor;
    if (!inMemory && this.appends && this.journal) {
      const from = after ?? this.journal.floor;
      return this.appends.all(topic.name, from, upTo).map((row) => JSON.parse(row.body) as T);
    }
    const out: T[] = [];
    for (const entry of topic.buffer.dump()) if ((after === null || entry.id > after) && entry.id <= upTo) out.push(...entry.items);
    return out;
  }
}
