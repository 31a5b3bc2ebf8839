import { Hub, type HubOptions } from '../hub/hub';
import type { LogTopic } from '../hub/log-topic';
import { TRPCError } from '@trpc/server';
import type { CandlesInput } from '../../shared/schema/candles';
import { CandleArchive, defaultCandleRetention, type CandleRetention } from '../persist/candle-archive';
import { defaultEquityRetention, EquityArchive, type EquityRetention } from '../persist/equity-archive';
import type { EquityHistoryQuery } from '../../shared/schema/equity';
import type { AuditScope } from '../persist/audit-log';
import { Journal, type JournalOptions } from '../persist/journal';
import { whileOpening } from '../persist/open-database';
import { Activity, type ActivityOptions } from './activity';
import { AgentCommands } from './agent-commands';
import { Market, type MarketOptions } from './market';
import { AgentMemory } from './memory';
import { AgentStatusHistory } from './agent-status-history';
import { AgentStatsCache } from './agent-stats-cache';
import { Revocations } from './revocations';
import { candlePage } from './candle-pages';
import { readEquityHistory } from './equity-history';
import { candleKey, declareTopics } from './topics';
import { Checkpoints } from '../persist/checkpoints';
import { Checkpointer, type CheckpointerOptions } from '../replay/checkpointer';
import { Rebuilder } from '../replay/rebuild';

export interface DeskOptions {
  hub?: HubOptions;
  market?: MarketOptions;
  activity?: ActivityOptions;
  /** Persist to SQLite; without it the desk lives in memory only. */
  journal?: JournalOptions;
  /** How long closed bars are kept per interval (with a journal; without one only open bars are kept). */
  candleRetention?: Partial<CandleRetention>;
  /** How often the desk's state is checkpointed for rebuilding past moments (with a journal). */
  checkpoints?: CheckpointerOptions;
  /** How the agents' performance fold reads the journal and how often it keeps a snapshot (rows). */
  agentStats?: { pageRows?: number; snapshotRows?: number };
  /** Keep the portfolio's history (with a journal). @default true */
  equity?: boolean;
  /** How long the portfolio's history is kept per resolution. */
  equityRetention?: Partial<EquityRetention>;
  /** Loads state into the topics after the journal's and before any store reads them (a cluster snapshot). */
  restore?: (hub: Hub) => void;
}

/**
 * The desk's clock. Commands run at their own timestamp (`at`), so a command log replayed elsewhere
 * stamps the same times.
 */
export function createClock() {
  let pinned: number | null = null;
  return {
    now: () => pinned ?? Date.now(),
    at<R>(ts: number, run: () => R): R {
      const previous = pinned;
      pinned = ts;
      try {
        return run();
      } finally {
        pinned = previous;
      }
    },
  };
}

/** The desk's state: one hub, its topics, and the stores that write to them. */
export function createDesk(options: DeskOptions = {}) {
  const clock = createClock();
  // The journal stamps a commit with the desk's clock, pinned to the command's time while one runs: a
  // commit's recorded time is the `ts` of the items it stamps, on every instance replaying the log.
  const journalOptions = options.journal ? { ...options.journal, now: options.journal.now ?? clock.now } : undefined;
  const journal = journalOptions ? whileOpening(journalOptions.path, () => new Journal(journalOptions)) : null;
  const hub = new Hub(
    journal ? { ...options.hub, firstId: options.hub?.firstId ?? journal.firstId, floor: options.hub?.floor ?? journal.floor } : options.hub,
  );
  const topics = declareTopics(hub);
  if (journal) {
    whileOpening(journalOptions!.path, () => journal.restore(hub.topics.values()));
    hub.sink = journal;
  }
  const candleArchive = journal ? new CandleArchive(journal.db, { ...defaultCandleRetention, ...options.candleRetention }) : null;
  if (journal && candleArchive) journal.keepHistory(topics.candles.name, candleArchive);
  const equityArchive = journal && options.equity !== false ? new EquityArchive(journal.db, { ...defaultEquityRetention, ...options.equityRetention }) : null;
  if (journal && equityArchive) journal.keepHistory(topics.portfolio.name, equityArchive);
  options.restore?.(hub);
  const market = new Market(hub, topics, { now: clock.now, ...options.market });
  const activity = new Activity(hub, topics, market, { now: clock.now, ...options.activity });
  const revocations = new Revocations(hub, topics.revocations, clock.now);
  const agentCommands = new AgentCommands(hub, topics, { now: clock.now });
  const replay = journal ? createReplay(journal, hub, topics, options.checkpoints) : null;
  const memory = new AgentMemory(hub, topics.memories, options.activity?.now ?? clock.now);
  return {
    hub,
    clock,
    /** When this desk was created (what `stats.uptimeSec` counts from). */
    startedAt: Date.now(),
    /** Commands the simulator submitted that were refused (e.g. a nudge before any price). */
    counters: { rejectedCommands: 0 },
    topics,
    market,
    activity,
    revocations,
    agentCommands,
    memory,
    /** Agents' status histories from the journal (none without one). */
    statusHistory: journal ? new AgentStatusHistory(journal.db) : null,
    /** Per-agent performance, folded on demand (`agents.stats`, `agents.view`), now or as of a past moment. */
    agentStats: new AgentStatsCache(hub, topics, journal, options.agentStats?.pageRows, options.agentStats?.snapshotRows),
    journal,
    /** Past moments: checkpoints and their rebuilding (with a journal). */
    replay,
    /** A page of a symbol's bars of an interval, oldest first (see `candlePage`). */
    candles(input: Required<Pick<CandlesInput, 'symbol' | 'interval' | 'limit'>> & Pick<CandlesInput, 'before'>) {
      try {
        // Bars that closed since the last batch of latest values are written first, so none is missed.
        journal?.flushLatest();
      } catch (error) {
        throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: `the desk could not write its newest bars (${(error as Error).message}); retry later`, cause: error });
      }
      const open = topics.candles.get(candleKey(input.symbol, input.interval));
      const older = (upTo: number, n: number) => candleArchive?.before(input.symbol, input.interval, upTo, n) ?? [];
      return candlePage(open, older, input.before, input.limit);
    },
    /** The portfolio's history over a range, at a resolution (see `readEquityHistory`). */
    equityHistory(input: EquityHistoryQuery) {
      try {
        // The portfolio's values since the last batch of latest values are written first, so the newest buckets are there.
        journal?.flushLatest();
      } catch (error) {
        throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: `the desk could not write its newest values (${(error as Error).message}); retry later`, cause: error });
      }
      return readEquityHistory(equityArchive, input, (options.market?.now ?? clock.now)());
    },
    /**
     * Runs a mutation once per idempotency key and returns only when its change is durable.
     * @see Journal.once
     */
    once<R>(key: string | undefined, path: string, run: () => R, ts?: number, audit?: AuditScope): R {
      return journal ? journal.once(key, path, run, ts, audit) : run();
    },
  };
}

export type Desk = ReturnType<typeof createDesk>;

function createReplay(journal: Journal, hub: Hub, topics: ReturnType<typeof declareTopics>, options?: CheckpointerOptions) {
  const checkpoints = new Checkpoints(journal.db);
  const floor = () => journal.floor;
  return {
    checkpoints,
    checkpointer: new Checkpointer(journal.db, checkpoints, hub, topics, floor, options),
    rebuilder: new Rebuilder({
      db: journal.db,
      checkpoints,
      lastId: () => hub.lastId,
      floor,
      now: Date.now,
      buffered: (name) => (hub.topics.get(name) as LogTopic<unknown> | undefined)?.buffer?.dump() ?? [],
    }),
  };
}
