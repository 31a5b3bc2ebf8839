import { useCallback } from 'react';
import type { DeskCustomEvent } from '../../../../../shared/index';
import { useHistoryBound } from '../../../lib/history/use-history-bound';
import { HISTORY_PAGE_SIZE, type HistoryQuery } from '../../../lib/history/use-history-feed';
import { trpc } from '../../../lib/trpc';

/** Pages of `history.custom` of one `type` when given, newest first (up to the replay's moment while replaying); read only while `enabled`. */
export function useCustomEventsHistory(type: string, enabled: boolean): HistoryQuery<DeskCustomEvent> {
  const bound = useHistoryBound(enabled);
  const input = type.trim() ? { limit: HISTORY_PAGE_SIZE, type: type.trim(), ...bound } : { limit: HISTORY_PAGE_SIZE, ...bound };
  const query = trpc.history.custom.useInfiniteQuery(input, { enabled, getNextPageParam: (page) => page.next, staleTime: Infinity });
  const utils = trpc.useUtils();
  const reset = useCallback(() => void utils.history.custom.reset(), [utils]);
  return { ...query, reset };
}
