/** Hub-wide delivery counters, reported by `stats` and `/metrics`. */
export interface HubCounters {
  /** Messages handed to subscribers. */
  messagesSent: number;
  /** Row updates replaced by a newer value before delivery. */
  conflated: number;
  /** Resync snapshots sent (resume too old, or a log queue overflowed). */
  resynced: number;
  /** Commits applied. */
  events: number;
  /** Times a state subscription with something to send waited for its connection's bandwidth budget. */
  budgetHolds: number;
}

export function createCounters(): HubCounters {
  return { messagesSent: 0, conflated: 0, resynced: 0, events: 0, budgetHolds: 0 };
}
