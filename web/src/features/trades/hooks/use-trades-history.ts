import { useCallback } from 'react';
import type { Trade } from '../../../../../shared/index';
import { feedInput, type FeedFilter } from '../../../lib/feed-filter';
import { useHistoryBound } from '../../../lib/history/use-history-bound';
import { HISTORY_PAGE_SIZE, type HistoryQuery } from '../../../lib/history/use-history-feed';
import { trpc } from '../../../lib/trpc';

/** Pages of `history.trades` with the trades feed's filter, newest first (up to the replay's moment while replaying); read only while `enabled`. */
export function useTradesHistory(filter: FeedFilter, enabled: boolean): HistoryQuery<Trade> {
  const input = { ...feedInput(filter, HISTORY_PAGE_SIZE), ...useHistoryBound(enabled) };
  const query = trpc.history.trades.useInfiniteQuery(input, { enabled, getNextPageParam: (page) => page.next, staleTime: Infinity });
  const utils = trpc.useUtils();
  const reset = useCallback(() => void utils.history.trades.reset(), [utils]);
  return { ...query, reset };
}
