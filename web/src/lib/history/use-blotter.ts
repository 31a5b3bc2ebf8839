import { useCallback, useMemo, useState } from 'react';
import { searchRows, sortRows, type SortOrder } from './rows';

/** What a blotter searches, sorts by and exports: the pure description of its rows, kept beside its columns. */
export interface BlotterSpec<T, K extends string> {
  /** What the search box looks in. */
  text: (row: T) => string;
  /** The columns it sorts by, in the sort menu's order. */
  columns: ReadonlyArray<{ key: K; label: string }>;
  /** A row's value in a sort column. */
  value: (row: T, key: K) => string | number;
  /**
   * The rows shown as CSV (see `toCsv`); loaded with its columns when first asked for, as the
   * first render has no use for them.
   */
  csv: (rows: readonly T[]) => Promise<string>;
}

/** A blotter's search and sort over the rows it has loaded, and the CSV of what it shows. */
export interface Blotter<T, K extends string> {
  /** The rows shown: the loaded ones that match the search, in the sort's order. */
  rows: readonly T[];
  search: string;
  setSearch: (text: string) => void;
  /** Null: the feed's own order. */
  order: SortOrder<K> | null;
  setOrder: (order: SortOrder<K> | null) => void;
  /** The CSV of the rows shown, built when asked for. */
  csv: () => Promise<string>;
  columns: ReadonlyArray<{ key: K; label: string }>;
}

/**
 * Search, sort and CSV over `loaded` (the live rows with those read from history below them).
 * `keep` is the history feed's: a search or a sort first pauses a feed that shows history, since
 * shrinking or reordering the list scrolls it back to the top, where the feed would follow again
 * and drop the history being searched.
 */
export function useBlotter<T, K extends string>(loaded: readonly T[], keep: () => void, spec: BlotterSpec<T, K>): Blotter<T, K> {
  const [search, setText] = useState('');
  const [order, setSort] = useState<SortOrder<K> | null>(null);
  const setSearch = useCallback(
    (text: string) => {
      keep();
      setText(text);
    },
    [keep],
  );
  const setOrder = useCallback(
    (next: SortOrder<K> | null) => {
      keep();
      setSort(next);
    },
    [keep],
  );
  const { text, value, csv: csvOf, columns } = spec;
  const rows = useMemo(() => sortRows(searchRows(loaded, search, text), order, value), [loaded, search, text, order, value]);
  const csv = useCallback(() => csvOf(rows), [csvOf, rows]);
  return { rows, search, setSearch, order, setOrder, csv, columns };
}
