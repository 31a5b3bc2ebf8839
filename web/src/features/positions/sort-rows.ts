export type SortDirection = 'asc' | 'desc';

/** Sorts a copy of `rows` by `column` (numbers numerically, text alphabetically), ties by `tieKey`. */
export function sortRows<T, K extends keyof T>(rows: readonly T[], column: K, direction: SortDirection, tieKey: (row: T) => string): T[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[column];
    const y = b[column];
    let cmp: number;
    if (typeof x === 'number' && typeof y === 'number') cmp = x - y;
    else cmp = String(x ?? '').localeCompare(String(y ?? ''));
    return cmp !== 0 ? sign * cmp : tieKey(a).localeCompare(tieKey(b));
  });
}

/** Clicking the sorted column flips its direction; another column starts descending for numbers. */
export function nextSort<K>(current: { column: K; direction: SortDirection }, column: K): { column: K; direction: SortDirection } {
  if (current.column === column) return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { column, direction: 'asc' };
}
