import { memo, type ReactElement, type ReactNode } from 'react';
import { RovingList } from './roving-list';

interface BlotterListProps<T> {
  testId: string;
  rows: readonly T[];
  /** Renders one row (with its key); a function that stays the same, so the list renders only when its rows do. */
  row: (item: T) => ReactNode;
  /** The feed hold's `listRef` and `held`. */
  listRef: (element: HTMLElement | null) => void;
  held: boolean;
  /** The filter the rows were fetched with, as `data-filter` (see `filterKey`). */
  filter?: string;
  /** One tab stop with arrow keys between the rows' controls (rows built of `RovingItem`s). */
  roving?: boolean;
}

/**
 * A blotter's list of rows. Memoised: the panel around it renders at every message (its last-update
 * time), the list only when its rows do, as a roving-focus list re-renders each of its items
 * whenever it renders.
 */
export const BlotterList = memo(function BlotterList<T>({ testId, rows, row, listRef, held, filter, roving = false }: BlotterListProps<T>) {
  const props = { className: 'feed', 'data-testid': testId, ref: listRef, 'data-held': held, 'data-filter': filter };
  return roving ? <RovingList {...props}>{rows.map(row)}</RovingList> : <ul {...props}>{rows.map(row)}</ul>;
}) as <T>(props: BlotterListProps<T>) => ReactElement;
