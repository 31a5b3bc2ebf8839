/**
 * A feed's rows with its history below them: `live` (the rows on screen, newest first) then the
 * rows of `history` (pages of the history query, newest first) that are older than the last live
 * row, each once. History is read after the live rows were taken, so its first rows can be newer
 * than any row on screen: those are left out (the feed counts them as new); what is older is
 * found after the last live row in it, or, when that row is not in it, by time.
 */
export function appendHistory<T>(live: readonly T[], history: readonly T[], keyOf: (row: T) => string, tsOf: (row: T) => number): readonly T[] {
  if (history.length === 0) return live;
  const seen = new Set(live.map(keyOf));
  const last = live[live.length - 1];
  let older: readonly T[] = history;
  if (last !== undefined) {
    const at = history.findIndex((row) => keyOf(row) === keyOf(last));
    older = at >= 0 ? history.slice(at + 1) : history.filter((row) => tsOf(row) <= tsOf(last));
  }
  const out = [...live];
  for (const row of older) {
    const key = keyOf(row);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(row);
  }
  return out;
}
