/** How many rows each feed keeps; the server sends at most this many in a snapshot. */
export const historyLimits = {
  alerts: 50,
  signals: 20,
  notifications: 30,
  systemAlerts: 30,
  decisions: 50,
  trades: 50,
} as const;

/** Points kept per symbol for sparklines and the live chart. */
export const priceHistoryPoints = 600;
/** Points shown in a watchlist sparkline. */
export const sparklineLength = 60;
/** How long the badge says Reconnecting before it says Offline (it keeps retrying). */
export const offlineGraceMs = 15_000;
/** How often the round-trip latency is measured. */
export const latencyProbeMs = 3_000;
/** How long a closed position stays on screen while it fades out. */
export const leavingRowMs = 2_500;
