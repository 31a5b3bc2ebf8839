/** What a feed's filter bar holds. */
export interface FeedFilter {
  agentId: string;
  symbol: string;
}

/** The subscription input for a filtered log feed; empty filters are left out so the server sends everything. */
export function feedInput(filter: FeedFilter, limit: number): { limit: number; agentId?: string; symbols?: string[] } {
  const agentId = filter.agentId.trim();
  const symbols = filter.symbol
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  return { limit, ...(agentId ? { agentId } : {}), ...(symbols.length ? { symbols } : {}) };
}
