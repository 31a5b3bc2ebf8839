import { useMemo } from 'react';
import { useAsOf } from '../use-as-of';
import { historyBound } from './history-bound';

/**
 * What a blotter's history query adds to its input: nothing while live; while replaying, the
 * replay's moment as it was when the history was asked for (`enabled` turned on): `before` the
 * event id it holds at when picked by one, else `to` its time; held while it is read so that its
 * pages stay one query.
 */
export function useHistoryBound(enabled: boolean): { to?: number; before?: string } {
  const { asOf, eventId, key } = useAsOf();
  // Read again when history is asked for anew, or the replay changes (or goes live).
  return useMemo(() => (enabled ? historyBound(asOf(), eventId()) : {}), [enabled, asOf, eventId, key]);
}
