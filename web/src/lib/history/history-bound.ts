/**
 * The bound of a `history.*` page as of the replay's moment (`asOf` undefined: live, no bound): by
 * event id when the moment is one (`before` is exclusive, so the commit itself is in and nothing
 * after it), else by time (`to` is exclusive, so items stamped at the moment itself are in).
 */
export function historyBound(asOf: number | undefined, eventId?: string): { to?: number; before?: string } {
  if (asOf === undefined) return {};
  return eventId === undefined ? { to: asOf + 1 } : { before: String(BigInt(eventId) + 1n) };
}
