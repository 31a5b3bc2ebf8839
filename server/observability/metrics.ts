import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { ClusterStatus } from '../cluster/cluster';
import type { LimitCounters } from '../limits/counters';
import type { Desk } from '../store/desk';

/**
 * Prometheus metrics for `GET /metrics`: connections, subscriptions per topic, hub delivery
 * counters, limit rejections, mutations and their errors by code, queue depths, and Node's default
 * metrics (event-loop lag among them). Gauges read live values when scraped.
 */
export function createMetrics(desk: Desk, connections: () => number, rejected: LimitCounters, cluster?: () => ClusterStatus) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'livedesk_' });
  const gauge = (name: string, help: string, read: (g: Gauge) => void, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry], collect() { read(this); } });

  gauge('livedesk_connections', 'Open WebSocket connections', (g) => g.set(connections()));
  gauge('livedesk_subscriptions', 'Active subscriptions per topic', (g) => {
    for (const [topic, count] of Object.entries(desk.hub.subscriptionCounts())) g.set({ topic }, count);
  }, ['topic']);
  gauge('livedesk_hub_queue_depth', 'Items waiting in subscriber queues, per topic', (g) => {
    for (const [name, topic] of desk.hub.topics) g.set({ topic: name }, topic.subscribers.pendingItems());
  }, ['topic']);
  gauge('livedesk_last_event_id', 'Newest event id', (g) => g.set(desk.hub.lastId));
  if (cluster) {
    const of = (read: (status: ClusterStatus) => number | null) => (g: Gauge) => {
      const value = read(cluster());
      if (value !== null) g.set(value);
    };
    gauge('livedesk_cluster_log_up', 'Whether the shared command log (Redis) answers: connected, reads and heartbeats within their timeouts', of((s) => (s.up ? 1 : 0)));
    gauge('livedesk_cluster_ready', 'Whether this instance is ready for traffic (what /ready answers)', of((s) => (s.ready ? 1 : 0)));
    gauge('livedesk_cluster_fold_lag_commands', 'Commands in the log this instance has not folded yet', of((s) => s.lagCommands));
    gauge('livedesk_cluster_fold_lag_ms', 'How far the folded command is behind the newest in the log, ms', of((s) => s.lagMs));
    gauge('livedesk_cluster_log_length', 'Entries in the Redis stream', of((s) => s.logLength));
    gauge('livedesk_cluster_in_doubt', 'Mutations answered "unknown" whose fate this instance has not learnt yet', of((s) => s.inDoubt));
    gauge('livedesk_cluster_commands_refused_total', 'Commands the fold refused (their error went to their caller)', of((s) => s.refused));
    gauge('livedesk_cluster_commands_dropped_total', 'Simulator commands (ticks, agent actions) that never reached the log', of((s) => s.dropped));
    gauge('livedesk_cluster_redis_rtt_ms', 'Round trip of the last heartbeat to Redis, ms', of((s) => s.rttMs));
    gauge('livedesk_cluster_seq', 'Number of the last command folded here', of((s) => s.seq));
    gauge('livedesk_cluster_snapshots_stored_total', 'Snapshots of the folded state this instance stored in Redis', of((s) => s.snapshots.stored));
    gauge('livedesk_cluster_snapshot_failures_total', 'Snapshots this instance failed to store', of((s) => s.snapshots.failed));
    gauge('livedesk_cluster_snapshot_seq', 'Command number of the newest snapshot this instance stored', of((s) => s.snapshots.lastSeq));
    gauge('livedesk_cluster_snapshot_restored_seq', 'Command number of the snapshot this instance started from (0: folded the whole log)', of((s) => s.snapshots.restoredFrom ?? 0));
    gauge('livedesk_cluster_log_trimmed_total', 'Stream entries this instance trimmed behind the snapshots kept', of((s) => s.snapshots.trimmed));
    gauge('livedesk_cluster_broken', '1 when this instance missed trimmed commands and must be restarted', of((s) => (s.broken ? 1 : 0)));
  }
  const counters = desk.hub.counters;
  const total = (name: string, help: string, read: () => number) =>
    gauge(`livedesk_${name}_total`, help, (g) => g.set(read()));
  total('messages_sent', 'Messages delivered to subscribers', () => counters.messagesSent);
  total('messages_conflated', 'Row updates replaced by a newer value before delivery', () => counters.conflated);
  total('resyncs', 'Resync snapshots sent', () => counters.resynced);
  total('events', 'Commits applied', () => counters.events);
  total('budget_holds', "Times a state subscription waited for its connection's bandwidth budget", () => counters.budgetHolds);
  gauge('livedesk_rejected_total', 'Requests refused by a limit or by auth, by reason', (g) => {
    for (const [reason, count] of Object.entries(rejected)) g.set({ reason }, count);
  }, ['reason']);
  // Counted in a plain map and handed to the counter when it is scraped: prom-client hashes and
  // validates the labels of every `inc`, about a microsecond of each mutation's.
  const counted = new Map<string, Map<string, { n: number; reported: number }>>();
  new Counter({
    name: 'livedesk_mutations_total',
    help: 'Mutations by procedure and result code',
    labelNames: ['path', 'code'],
    registers: [registry],
    collect() {
      for (const [path, codes] of counted) {
        for (const [code, count] of codes) {
          if (count.n > count.reported) this.inc({ path, code }, count.n - count.reported);
          count.reported = count.n;
        }
      }
    },
  });

  return {
    registry,
    /** Counts one mutation's outcome (`OK` or the tRPC error code). */
    countMutation(path: string, code: string) {
      let codes = counted.get(path);
      if (!codes) counted.set(path, (codes = new Map()));
      const count = codes.get(code);
      if (count) count.n++;
      else codes.set(code, { n: 1, reported: 0 });
    },
  };
}
export type DeskMetrics = ReturnType<typeof createMetrics>;
