import { useCallback } from 'react';
import type { Decision } from '../../../../../shared/index';
import { feedInput, type FeedFilter } from '../../../lib/feed-filter';
import { HISTORY_PAGE_SIZE, type HistoryQuery } from '../../../lib/history/use-history-feed';
import { trpc } from '../../../lib/trpc';

/** Pages of `history.decisions` with the decisions feed's filter, newest first; read only while `enabled`. */
export function useDecisionsHistory(filter: FeedFilter, enabled: boolean): HistoryQuery<Decision> {
  const input = feedInput(filter, HISTORY_PAGE_SIZE);
  const query = trpc.history.decisions.useInfiniteQuery(input, { enabled, getNextPageParam: (page) => page.next, staleTime: Infinity });
  const utils = trpc.useUtils();
  const reset = useCallback(() => void utils.history.decisions.reset(), [utils]);
  return { ...query, reset };
}
