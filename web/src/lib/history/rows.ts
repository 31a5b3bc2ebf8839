/** A sort of a table's rows: by which column, which way. */
export interface SortOrder<K extends string> {
  key: K;
  dir: 'asc' | 'desc';
}

/** Rows sorted by `value` (numbers as numbers, text by locale), stable, or as they are without an order. */
export function sortRows<T, K extends string>(rows: readonly T[], order: SortOrder<K> | null, value: (row: T, key: K) => string | number): readonly T[] {
  if (order === null) return rows;
  const sign = order.dir === 'asc' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, v: value(row, order.key) }))
    .sort((a, b) => {
      const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v));
      return c !== 0 ? sign * c : a.index - b.index;
    })
    .map((e) => e.row);
}

/** Rows whose text (`textOf`) contains every word of `query`, ignoring case. */
export function searchRows<T>(rows: readonly T[], query: string, textOf: (row: T) => string): readonly T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return rows;
  return rows.filter((row) => {
    const text = textOf(row).toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
