import { useCallback } from 'react';
import type { SystemAlert } from '../../../../../shared/index';
import { useHistoryBound } from '../../../lib/history/use-history-bound';
import { HISTORY_PAGE_SIZE, type HistoryQuery } from '../../../lib/history/use-history-feed';
import { trpc } from '../../../lib/trpc';

/** Pages of `history.systemAlerts`, newest first (up to the replay's moment while replaying); read only while `enabled`. */
export function useSystemAlertsHistory(_: unknown, enabled: boolean): HistoryQuery<SystemAlert> {
  const input = { limit: HISTORY_PAGE_SIZE, ...useHistoryBound(enabled) };
  const query = trpc.history.systemAlerts.useInfiniteQuery(input, { enabled, getNextPageParam: (page) => page.next, staleTime: Infinity });
  const utils = trpc.useUtils();
  const reset = useCallback(() => void utils.history.systemAlerts.reset(), [utils]);
  return { ...query, reset };
}
