import { useCallback } from 'react';
import type { MetricSample } from '../../../../../shared/index';
import { useHistoryBound } from '../../../lib/history/use-history-bound';
import { HISTORY_PAGE_SIZE, type HistoryQuery } from '../../../lib/history/use-history-feed';
import { trpc } from '../../../lib/trpc';

/** Pages of `history.metrics` of one `name` when given, newest first (up to the replay's moment while replaying); read only while `enabled`. */
export function useMetricsHistory(name: string, enabled: boolean): HistoryQuery<MetricSample> {
  const bound = useHistoryBound(enabled);
  const input = name.trim() ? { limit: HISTORY_PAGE_SIZE, name: name.trim(), ...bound } : { limit: HISTORY_PAGE_SIZE, ...bound };
  const query = trpc.history.metrics.useInfiniteQuery(input, { enabled, getNextPageParam: (page) => page.next, staleTime: Infinity });
  const utils = trpc.useUtils();
  const reset = useCallback(() => void utils.history.metrics.reset(), [utils]);
  return { ...query, reset };
}
