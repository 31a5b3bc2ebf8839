/** How often each limit turned something away, reported in stats and `/metrics`. */
export interface LimitCounters {
  origin: number;
  connectionsPerIp: number;
  subscriptions: number;
  mutations: number;
  unauthorized: number;
  forbidden: number;
  /** Calls past a batch limit, and HTTP requests past a caller's request budget. */
  requests: number;
  /** Times a WebSocket stopped being read because its (or its caller's) frame budget was spent. */
  throttled: number;
}

export function createLimitCounters(): LimitCounters {
  return { origin: 0, connectionsPerIp: 0, subscriptions: 0, mutations: 0, unauthorized: 0, forbidden: 0, requests: 0, throttled: 0 };
}
