import { useCallback, useRef } from 'react';
import { asOfBound, asOfEventId } from './replay-mode';
import { useReplayMode } from './session-context';

/**
 * The upper bound of a query of the past, read when the query runs: the replay's time now
 * (see `asOfBound`), undefined while live, and its event id when it holds at a picked one
 * (`asOfEventId`). Stable across renders; `replaying` says which it is.
 */
export function useAsOf(): { asOf: () => number | undefined; eventId: () => string | undefined; now: () => number; replaying: boolean; key: string } {
  const mode = useReplayMode();
  // Read when a query runs, which may be long after this render: the mode as it is then.
  const ref = useRef(mode);
  ref.current = mode;
  const asOf = useCallback(() => asOfBound(ref.current, Date.now()), []);
  const now = useCallback(() => asOfBound(ref.current, Date.now()) ?? Date.now(), []);
  const eventId = useCallback(() => asOfEventId(ref.current), []);
  // A query's cache key: a new replay (or live again) reads anew.
  const key = mode ? `replay:${mode.startedAt}:${mode.from}:${mode.speed}` : 'live';
  return { asOf, eventId, now, replaying: mode !== null, key };
}
