import { useCallback } from 'react';
import type { Signal } from '../../../../../shared/index';
import { HISTORY_PAGE_SIZE, type HistoryQuery } from '../../../lib/history/use-history-feed';
import { trpc } from '../../../lib/trpc';

/** Pages of `history.signals`, newest first; read only while `enabled`. */
export function useSignalsHistory(_: unknown, enabled: boolean): HistoryQuery<Signal> {
  const input = { limit: HISTORY_PAGE_SIZE };
  const query = trpc.history.signals.useInfiniteQuery(input, { enabled, getNextPageParam: (page) => page.next, staleTime: Infinity });
  const utils = trpc.useUtils();
  const reset = useCallback(() => void utils.history.signals.reset(), [utils]);
  return { ...query, reset };
}
