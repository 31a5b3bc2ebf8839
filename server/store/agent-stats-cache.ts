import type { Decision } from '../../shared/schema/agents';
import type { Trade } from '../../shared/schema/market';
import type { Hub } from '../hub/hub';
import type { LogTopic } from '../hub/log-topic';
import type { Journal } from '../persist/journal';
import { AgentStatsFold } from './agent-stats';
import { AgentStatsJournal } from './agent-stats-journal';

/** Rows of either topic read from the journal per step of a catch-up; the event loop runs between steps. */
export const STATS_PAGE_ROWS = 2_000;
/** A snapshot of the fold once this many trades and decisions were folded since the last one. */
export const STATS_SNAPSHOT_ROWS = 5_000;

/**
 * Per-agent performance kept current on demand: each call folds only the trades and decisions
 * committed since the last one (`AgentStatsFold`), so a dashboard asking every few seconds costs
 * what changed, not the whole journal. With a journal, the fold starts from its newest snapshot
 * (`AgentStatsJournal`), so a restart folds only what came after it, and catches up in pages of
 * whole commits with the event loop running between them, so a long history never holds up other
 * clients; calls made meanwhile wait for the same catch-up. On the way it keeps a snapshot every
 * `STATS_SNAPSHOT_ROWS`, where a fold as of a past moment (`at`) starts.
 */
export class AgentStatsCache {
  private fold = new AgentStatsFold();
  /** The newest event id folded; null before the first call. */
  private through: number | null = null;
  private catchingUp: Promise<void> | null = null;
  private readonly store: AgentStatsJournal | null;
  /** Rows folded since the last snapshot was written. */
  private unsnapshotted = 0;

  constructor(
    private readonly hub: Hub,
    private readonly topics: { trades: LogTopic<Trade>; decisions: LogTopic<Decision> },
    private readonly journal: Journal | null,
    private readonly pageRows = STATS_PAGE_ROWS,
    private readonly snapshotRows = STATS_SNAPSHOT_ROWS,
  ) {
    this.store = journal ? new AgentStatsJournal(journal.db) : null;
    if (journal && this.store) {
      const store = this.store;
      store.ensureBase(journal.floor);
      journal.beforePrune = (through) => store.rollBaseTo(through, journal.floor);
    }
  }

  /** The fold, brought up to the desk's newest commit. */
  async current(): Promise<AgentStatsFold> {
    this.catchingUp ??= this.catchUp().finally(() => {
      this.catchingUp = null;
    });
    await this.catchingUp;
    return this.fold;
  }

  /**
   * The fold as of event `id` (at or above the journal's floor, at or below the newest id): the
   * newest snapshot at or before it with the trades and decisions after it folded in, a few
   * thousand rows at most. Null without a journal.
   */
  async at(id: number): Promise<AgentStatsFold | null> {
    if (!this.store) return null;
    // Catching up first leaves snapshots up to now behind it, so any moment starts near one.
    await this.current();
    const base = this.store.snapshotAtOrBefore(id);
    const fold = base?.fold ?? new AgentStatsFold();
    const from = base?.id ?? this.journal!.floor;
    if (from < id) this.store.foldRange(fold, from, id);
    return fold;
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      // Commits apply to memory synchronously, so between steps every id up to `lastId` is in the topics (and, written first, in the journal).
      const upTo = this.hub.lastId;
      if (this.store) this.startFromSnapshot();
      const after = this.through;
      if (after !== null && upTo <= after) return;
      const { trades, decisions } = this.topics;
      const inMemory = after !== null && after >= trades.buffer.floor && after >= decisions.buffer.floor;
      if (inMemory || !this.store) {
        // At most the replay buffers' capacity: one step.
        this.foldBetween(this.fromMemory(trades, after, upTo), this.fromMemory(decisions, after, upTo), upTo);
        return;
      }
      const from = after!;
      const end = this.store.pageEnd(from, upTo, this.pageRows);
      this.unsnapshotted += this.store.foldRange(this.fold, from, end);
      this.through = end;
      this.snapshotIfDue();
      if (end < upTo) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Where the fold goes on from with a journal: where it is, unless it never started or is below the
   * floor (retention pruned what it had not folded yet), then from the newest snapshot, which holds
   * everything pruned.
   */
  private startFromSnapshot(): void {
    const floor = this.journal!.floor;
    if (this.through !== null && this.through >= floor) return;
    const base = this.store!.snapshotAtOrBefore(this.hub.lastId);
    this.fold = base?.fold ?? new AgentStatsFold();
    this.through = base?.id ?? floor;
    this.unsnapshotted = 0;
  }

  /** A commit's trades before its decisions: a decision is scored against the trade it caused. */
  private foldBetween(trades: Trade[], decisions: Decision[], through: number): void {
    this.fold.trades(trades);
    this.fold.decisions(decisions);
    this.through = through;
    this.unsnapshotted += trades.length + decisions.length;
    this.snapshotIfDue();
  }

  private snapshotIfDue(): void {
    if (!this.store || this.unsnapshotted < this.snapshotRows) return;
    try {
      this.store.writeSnapshot(this.through!, this.fold);
      this.unsnapshotted = 0;
    } catch {
      // A full or failing disk: a later step writes it; until then a past moment folds from an older one.
    }
  }

  /** The topic's events after `after` up to `upTo`, oldest first, from the replay buffer. */
  private fromMemory<T>(topic: LogTopic<T>, after: number | null, upTo: number): T[] {
    const out: T[] = [];
    for (const entry of topic.buffer.dump()) if ((after === null || entry.id > after) && entry.id <= upTo) out.push(...entry.items);
    return out;
  }
}
