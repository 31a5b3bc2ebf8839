import type { Stats } from '../shared/schema/system';
import type { LimitCounters } from './limits/counters';
import type { Desk } from './store/desk';

/** The desk's delivery statistics as `stats` reports them. */
export function readStats(desk: Desk, connections: number, rejected: LimitCounters, now = Date.now()): Stats {
  const { messagesSent, conflated, resynced, events, budgetHolds } = desk.hub.counters;
  const memory = process.memoryUsage();
  return {
    connections,
    subscriptions: desk.hub.subscriptionCounts(),
    messagesSent,
    conflated,
    resynced,
    events,
    budgetHolds,
    rejected: { ...rejected },
    lastEventId: String(desk.hub.lastId),
    uptimeSec: Math.round((now - desk.startedAt) / 1000),
    memory: { rss: memory.rss, heapUsed: memory.heapUsed },
    ts: now,
    cluster: null,
  };
}
