import { useCallback, useEffect, useMemo, useState } from 'react';
import type { FeedHold } from '../use-feed-hold';
import { isAwayFromTop } from '../feed-hold';
import { appendHistory } from './merge-history';

/** Rows per page of history a blotter asks for. */
export const HISTORY_PAGE_SIZE = 100;

/** What a blotter's history hook gives: its `history.*` infinite query (see `useTradesHistory`) and a way to drop its pages. */
export interface HistoryQuery<T> {
  data: { pages: ReadonlyArray<{ items: ReadonlyArray<{ item: T }> }> } | undefined;
  hasNextPage: boolean;
  isFetching: boolean;
  error: { message: string } | null;
  fetchNextPage: () => unknown;
  /** Forgets the pages read, so the next request starts again from the newest. */
  reset: () => void;
}

/** A blotter's rows with its history below them, and the controls of the footer under the list. */
export interface HistoryFeed<T> {
  /** The feed's rows on screen, newest first, then older rows read from history. */
  rows: readonly T[];
  /** Rows shown from history. */
  older: number;
  loading: boolean;
  /** History ends here: nothing older is retained. */
  exhausted: boolean;
  error: string | null;
  /** The footer's "Load older": holds the list (history goes below the rows held) and reads the next page. */
  loadOlder: () => void;
  /** Goes on an element under the list: in view while the list is scrolled, it reads the next page. */
  sentinelRef: (element: HTMLElement | null) => void;
  /**
   * Pauses the feed while history is shown: for a search or a sort, which shrink or reorder the
   * list, scrolling it back to the top, where the feed would otherwise follow again and drop the
   * history being searched.
   */
  keep: () => void;
}

const keyOf = (row: { id: string }) => row.id;
const tsOf = (row: { ts: number }) => row.ts;

/**
 * Scroll-back for a feed: when its list is scrolled to the bottom (or "Load older" is pressed) it
 * holds the rows on screen and appends pages of the topic's history below them, each row once.
 * History is read only while the list is held; once it follows the feed again, the pages read
 * are dropped, so rows that slid out of the live window never leave a gap above the history.
 * `useHistory(arg, enabled)` is the blotter's history query hook.
 */
export function useHistoryFeed<T extends { id: string; ts: number }, A>(
  hold: FeedHold<T>,
  useHistory: (arg: A, enabled: boolean) => HistoryQuery<T>,
  arg: A,
): HistoryFeed<T> {
  const [requested, setRequested] = useState(false);
  const active = requested && hold.held;
  const query = useHistory(arg, active);
  const { reset, hasNextPage, isFetching, fetchNextPage, error } = query;

  useEffect(() => {
    if (hold.held || !requested) return;
    setRequested(false);
    reset();
  }, [hold.held, requested, reset]);

  const items = useMemo(() => query.data?.pages.flatMap((page) => page.items.map((entry) => entry.item)) ?? [], [query.data]);
  const rows = useMemo(() => (active ? appendHistory(hold.rows, items, keyOf, tsOf) : hold.rows), [active, hold.rows, items]);

  const next = useCallback(() => {
    if (!requested) setRequested(true);
    else if (hasNextPage && !isFetching && !error) fetchNextPage();
  }, [requested, hasNextPage, isFetching, error, fetchNextPage]);

  const { held, pause } = hold;
  const loadOlder = useCallback(() => {
    if (!held) pause();
    next();
  }, [held, pause, next]);

  const [sentinel, setSentinel] = useState<HTMLElement | null>(null);
  const [inView, setInView] = useState(false);
  useEffect(() => {
    if (!sentinel) return;
    const root = sentinel.closest<HTMLElement>('.panel-body');
    const observer = new IntersectionObserver(([entry]) => setInView(entry?.isIntersecting ?? false), { root, rootMargin: '0px 0px 120px 0px' });
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [sentinel]);
  // Only a list the user scrolled reads on by itself: a short one that fits waits for "Load older".
  useEffect(() => {
    const scroller = sentinel?.closest<HTMLElement>('.panel-body');
    if (inView && held && scroller && isAwayFromTop(scroller.scrollTop)) next();
  }, [inView, held, sentinel, next, rows.length]);

  const showing = active && items.length > 0;
  const keep = useCallback(() => {
    if (showing && !hold.paused) pause();
  }, [showing, hold.paused, pause]);

  return {
    rows,
    keep,
    older: rows.length - hold.rows.length,
    loading: active && isFetching,
    exhausted: active && query.data !== undefined && !hasNextPage,
    error: active && error ? error.message : null,
    loadOlder,
    sentinelRef: setSentinel,
  };
}
