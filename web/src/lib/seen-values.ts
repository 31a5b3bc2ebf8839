/**
 * `seen` with the values of `rows` added, sorted, at most `max` (the first ones kept); the same
 * array when nothing new turned up, so a caller's memo holds.
 */
export function mergeSeen<T>(seen: readonly string[], rows: readonly T[], pick: (row: T) => string, max: number): readonly string[] {
  const all = new Set(seen);
  for (const row of rows) {
    if (all.size >= max) break;
    all.add(pick(row));
  }
  return all.size === seen.length ? seen : [...all].sort();
}
