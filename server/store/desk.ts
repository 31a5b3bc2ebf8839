import { Hub, type HubOptions } from '../hub/hub';
import { Journal, type JournalOptions } from '../persist/journal';
import { Activity, type ActivityOptions } from './activity';
import { Market, type MarketOptions } from './market';
import { MetricsBuffer, type MetricsBufferOptions } from './metrics-buffer';
import { declareTopics } from './topics';

export interface DeskOptions {
  hub?: HubOptions;
  market?: MarketOptions;
  activity?: ActivityOptions;
  metrics?: MetricsBufferOptions;
  /** Persist to SQLite; without it the desk lives in memory only. */
  journal?: JournalOptions;
}

/** The desk's state: one hub, its topics, and the stores that write to them. */
export function createDesk(options: DeskOptions = {}) {
  const journal = options.journal ? new Journal(options.journal) : null;
  const hub = new Hub(journal ? { ...options.hub, firstId: journal.firstId, floor: journal.floor } : options.hub);
  const topics = declareTopics(hub);
  if (journal) {
    journal.restore(hub.topics.values());
    hub.sink = journal;
  }
  const market = new Market(hub, topics, options.market);
  const activity = new Activity(hub, topics, market, options.activity);
  const metrics = new MetricsBuffer(hub, topics.metrics, options.metrics);
  return {
    hub,
    topics,
    market,
    activity,
    metrics,
    journal,
    /**
     * Runs a mutation once per idempotency key and returns only when its change is durable.
     * @see Journal.once
     */
    once<R>(key: string | undefined, path: string, run: () => R): R {
      return journal ? journal.once(key, path, run) : run();
    },
  };
}

export type Desk = ReturnType<typeof createDesk>;
