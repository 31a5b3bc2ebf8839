import { useCallback } from 'react';
import type { DeskNotification } from '../../../../../shared/index';
import { useHistoryBound } from '../../../lib/history/use-history-bound';
import { HISTORY_PAGE_SIZE, type HistoryQuery } from '../../../lib/history/use-history-feed';
import { trpc } from '../../../lib/trpc';

/** Pages of `history.notifications`, newest first (up to the replay's moment while replaying); read only while `enabled`. */
export function useNotificationsHistory(_: unknown, enabled: boolean): HistoryQuery<DeskNotification> {
  const input = { limit: HISTORY_PAGE_SIZE, ...useHistoryBound(enabled) };
  const query = trpc.history.notifications.useInfiniteQuery(input, { enabled, getNextPageParam: (page) => page.next, staleTime: Infinity });
  const utils = trpc.useUtils();
  const reset = useCallback(() => void utils.history.notifications.reset(), [utils]);
  return { ...query, reset };
}
