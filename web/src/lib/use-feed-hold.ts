import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { following, holdReducer, holdView, isAwayFromTop } from './feed-hold';

/** A feed's pause / "n new" control, as the panel and `FeedControls` use it. */
export interface FeedHold<T> {
  /** The rows to render, newest first: the live ones, or those held on screen. */
  rows: readonly T[];
  /** Live rows not on screen while held. */
  newCount: number;
  /** Whether the list on screen stands still (paused, or scrolled away from the top). */
  held: boolean;
  paused: boolean;
  pause: () => void;
  resume: () => void;
  /** Shows what arrived, scrolled to the top. */
  jump: () => void;
  /** Goes on the list: the hold watches the scroll of the panel body around it. */
  listRef: (element: HTMLElement | null) => void;
}

/**
 * Pause / resume for a feed, and a held list while paused or scrolled away from the top (see
 * `holdReducer`). `live` is newest first; a change of `resetKey` (the feed's filter) lets go.
 */
export function useFeedHold<T>(live: readonly T[], keyOf: (row: T) => string, resetKey = ''): FeedHold<T> {
  const [state, dispatch] = useReducer(holdReducer<T>, undefined, following<T>);
  // What the user sees when they act is the last rendered list: events carry it.
  const liveRef = useRef(live);
  useEffect(() => {
    liveRef.current = live;
  }, [live]);

  const appliedKey = useRef(resetKey);
  useEffect(() => {
    if (appliedKey.current === resetKey) return;
    appliedKey.current = resetKey;
    dispatch({ type: 'reset' });
  }, [resetKey]);

  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  const listRef = useCallback((element: HTMLElement | null) => setScroller(element?.closest<HTMLElement>('.panel-body') ?? null), []);
  useEffect(() => {
    if (!scroller) return;
    const onScroll = () => dispatch({ type: 'scroll', away: isAwayFromTop(scroller.scrollTop), rows: liveRef.current });
    onScroll();
    scroller.addEventListener('scroll', onScroll, { passive: true });
    return () => scroller.removeEventListener('scroll', onScroll);
  }, [scroller]);

  const view = useMemo(() => holdView(state, live, keyOf), [state, live, keyOf]);
  const pause = useCallback(() => dispatch({ type: 'pause', rows: liveRef.current }), []);
  const resume = useCallback(() => dispatch({ type: 'resume' }), []);
  const jump = useCallback(() => {
    dispatch({ type: 'jump', rows: liveRef.current });
    scroller?.scrollTo({ top: 0 });
  }, [scroller]);
  return { ...view, held: state.held !== null, paused: state.paused, pause, resume, jump, listRef };
}
