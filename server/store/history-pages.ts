/** One commit's items of a log topic, in the order they were appended. */
export interface HistoryEntry<T> {
  id: number;
  items: readonly T[];
}

/**
 * Where the history of one log topic can be read from, in whole commits. Every commit with an id
 * above `floor` is there; those at or below it may be gone.
 */
export interface HistorySource<T> {
  readonly floor: number;
  /** Commits with an id below `id`, newest first: about `max` items, at least one commit when there is one. */
  before(id: number, max: number): HistoryEntry<T>[];
  /** Commits with an id above `id`, oldest first, as `before`. */
  after(id: number, max: number): HistoryEntry<T>[];
  /** The commit `id`, or null when it appended nothing to this topic (or is gone). */
  get(id: number): HistoryEntry<T> | null;
}

/** An item's place in a topic's history: its commit and its index among that commit's items. */
export interface Position {
  id: number;
  index: number;
}

export interface PageQuery<T> {
  order: 'newest' | 'oldest';
  /** Continue after this position, in `order` (a previous page's `next`). */
  cursor: Position | null;
  /** Only commits below this id (exclusive). */
  before?: number;
  /** Only commits above this id (exclusive). */
  after?: number;
  match: (item: T) => boolean;
  limit: number;
  /** The most items one page looks at; past it the page ends early with a `next`. */
  maxScan: number;
}

export interface PageItem<T> extends Position {
  item: T;
}

export interface Page<T> {
  items: PageItem<T>[];
  /** Where the next page starts, or null when nothing is left in the range. */
  next: Position | null;
}

/** Why a page cannot be served: what it asks for is at or below the retention floor. */
export class PrunedHistoryError extends Error {
  constructor(
    readonly field: 'cursor' | 'before' | 'after',
    readonly floor: number,
  ) {
    super(`${field} is at or before the retention floor ${floor}`);
  }
}

/**
 * One page of a topic's history, in `order`, from a `source` that serves whole commits. It looks at
 * no more than `maxScan` items (plus one commit's worth when it needs that commit whole), so a
 * sparse filter gives short pages with a `next` rather than an unbounded scan. Asking for anything
 * at or below the floor throws `PrunedHistoryError` instead of answering a page with a silent gap.
 */
export function historyPage<T>(source: HistorySource<T>, query: PageQuery<T>): Page<T> {
  const { floor } = source;
  const { cursor, before, after } = query;
  if (cursor && cursor.id <= floor) throw new PrunedHistoryError('cursor', floor);
  if (before !== undefined && before <= floor) throw new PrunedHistoryError('before', floor);
  if (after !== undefined && after < floor) throw new PrunedHistoryError('after', floor);

  const items: PageItem<T>[] = [];
  let scanned = 0;
  /** Looks at one item; returns the page's `next` when the page is complete, undefined to go on. */
  const visit = (id: number, index: number, item: T): Position | null | undefined => {
    scanned++;
    if (query.match(item)) {
      items.push({ id, index, item });
      // One match past the limit proves there is a next page; it starts after the last one kept.
      if (items.length > query.limit) {
        items.pop();
        const last = items[items.length - 1]!;
        return { id: last.id, index: last.index };
      }
    }
    return scanned >= query.maxScan ? { id, index } : undefined;
  };
  const chunk = () => Math.max(1, query.maxScan - scanned + 1);

  if (query.order === 'newest') {
    const lower = Math.max(after ?? floor, floor);
    const upper = before ?? Number.POSITIVE_INFINITY;
    let from = upper;
    if (cursor && cursor.id < upper) {
      const entry = source.get(cursor.id);
      if (entry) {
        for (let i = Math.min(cursor.index, entry.items.length) - 1; i >= 0; i--) {
          const done = visit(entry.id, i, entry.items[i]!);
          if (done !== undefined) return { items, next: done };
        }
      }
      from = cursor.id;
    }
    for (;;) {
      const entries = source.before(from, chunk());
      if (entries.length === 0) return { items, next: null };
      for (const entry of entries) {
        if (entry.id <= lower) return { items, next: null };
        for (let i = entry.items.length - 1; i >= 0; i--) {
          const done = visit(entry.id, i, entry.items[i]!);
          if (done !== undefined) return { items, next: done };
        }
        from = entry.id;
      }
    }
  }

  const upper = before ?? Number.POSITIVE_INFINITY;
  let from = Math.max(after ?? floor, floor);
  if (cursor) {
    if (cursor.id >= upper) return { items, next: null };
    const entry = source.get(cursor.id);
    if (entry) {
      for (let i = cursor.index + 1; i < entry.items.length; i++) {
        const done = visit(entry.id, i, entry.items[i]!);
        if (done !== undefined) return { items, next: done };
      }
    }
    from = Math.max(from, cursor.id);
  }
  for (;;) {
    const entries = source.after(from, chunk());
    if (entries.length === 0) return { items, next: null };
    for (const entry of entries) {
      if (entry.id >= upper) return { items, next: null };
      for (let i = 0; i < entry.items.length; i++) {
        const done = visit(entry.id, i, entry.items[i]!);
        if (done !== undefined) return { items, next: done };
      }
      from = entry.id;
    }
  }
}

/** A cursor as clients pass it: `<eventId>:<index>`. */
export const formatCursor = (position: Position): string => `${position.id}:${position.index}`;

/** The position of a cursor (already checked by `historyCursorSchema`). */
export function parseCursor(cursor: string): Position {
  const [id, index] = cursor.split(':');
  return { id: Number(id), index: Number(index) };
}
