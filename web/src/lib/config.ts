/** How many rows each feed keeps; the server sends at most this many in a snapshot. */
export const historyLimits = {
  alerts: 50,
  signals: 20,
  notifications: 30,
  systemAlerts: 30,
  decisions: 50,
  trades: 50,
  custom: 50,
  /** Samples of all names together; each name's sparkline draws from them. */
  metrics: 600,
} as const;

/** Points in a metric's sparkline. */
export const metricSparklinePoints = 60;

/** Points kept per symbol for the watchlist sparklines. */
export const priceHistoryPoints = 600;
/** Points shown in a watchlist sparkline. */
export const sparklineLength = 60;
/** How long the badge says Reconnecting before it says Offline (it keeps retrying). */
export const offlineGraceMs = 15_000;
/** How often the round-trip latency is measured. */
export const latencyProbeMs = 3_000;
/** How long a closed position stays on screen while it fades out. */
export const leavingRowMs = 2_500;

/**
 * The most messages per second the server sends for each fast state stream (it conflates to the
 * newest value in between). Updates are applied at most once per frame anyway; these keep the
 * socket, parsing and painting proportional to what a person can read when the feed runs at
 * 1,000 ticks/s (`web/e2e/bench-frames.ts`: about 15 fps at 30 Hz prices and 10 Hz feeds on two
 * busy cores, about 55 fps at these settings).
 */
export const streamMaxHz = {
  prices: 10,
  portfolio: 10,
  positions: 10,
  agents: 5,
  tasks: 5,
  workflows: 5,
  alerts: 10,
} as const;

/** Redraws of the live chart per second at most (axes and labels are costly to paint). */
export const chartMaxFps = 10;

/** Re-renders of a busy feed list per second at most: a shifting list repaints whole; nobody reads 250 rows a second. */
export const feedMaxFps = 4;

/** How often the page asks the desk who it is (a token can expire or be revoked while the page is open). */
export const identityRecheckMs = 10_000;
