/** A row that left the view and stays on screen, fading, until `until`. */
export interface LeavingRow<T> {
  item: T;
  until: number;
}

/**
 * Tracks rows that disappeared between `previous` and `next`: they are kept for `holdMs` so they
 * can fade out instead of vanishing. Rows that come back, and rows whose time is up, are dropped.
 */
export function updateLeaving<T>(
  leaving: ReadonlyMap<string, LeavingRow<T>>,
  previous: readonly T[],
  next: readonly T[],
  keyOf: (item: T) => string,
  now: number,
  holdMs: number,
): Map<string, LeavingRow<T>> {
  const present = new Set(next.map(keyOf));
  const out = new Map<string, LeavingRow<T>>();
  for (const [key, row] of leaving) if (!present.has(key) && row.until > now) out.set(key, row);
  for (const item of previous) {
    const key = keyOf(item);
    if (!present.has(key) && !out.has(key)) out.set(key, { item, until: now + holdMs });
  }
  return out;
}
