import { skipToken, useQuery } from '@tanstack/react-query';

/** How a live panel's subscription is doing, from tRPC's `useSubscription` result. */
export interface SubscriptionState {
  status: 'idle' | 'connecting' | 'pending' | 'error';
  error: { message: string } | null;
}

/** A live view: rows (undefined until the first snapshot) and the subscription's state. */
export interface LiveView<T> {
  data: T[] | undefined;
  /** True once a snapshot has arrived. */
  ready: boolean;
  error: string | null;
  connecting: boolean;
  /** When the view last changed (ms since epoch, this page's clock); null before the first snapshot. */
  updatedAt: number | null;
}

/** The newest of several views' `updatedAt`: when a panel showing all of them last changed. */
export function newestUpdate(...views: ReadonlyArray<{ updatedAt: number | null }>): number | null {
  let newest: number | null = null;
  for (const view of views) if (view.updatedAt !== null && (newest === null || view.updatedAt > newest)) newest = view.updatedAt;
  return newest;
}

/** Reads the view a stream sink keeps current in the query cache. */
export function useLiveView<T>(key: readonly unknown[], subscription: SubscriptionState): LiveView<T> {
  const query = useQuery<T[]>({ queryKey: key, queryFn: skipToken, staleTime: Infinity, gcTime: 60_000 });
  return {
    data: query.data,
    ready: query.data !== undefined,
    error: subscription.status === 'error' ? (subscription.error?.message ?? 'subscription failed') : null,
    connecting: subscription.status === 'connecting',
    updatedAt: query.data === undefined || query.dataUpdatedAt === 0 ? null : query.dataUpdatedAt,
  };
}
