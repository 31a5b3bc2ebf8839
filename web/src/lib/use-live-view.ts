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
}

/** Reads the view a stream sink keeps current in the query cache. */
export function useLiveView<T>(key: readonly unknown[], subscription: SubscriptionState): LiveView<T> {
  const query = useQuery<T[]>({ queryKey: key, queryFn: skipToken, staleTime: Infinity, gcTime: 60_000 });
  return {
    data: query.data,
    ready: query.data !== undefined,
    error: subscription.status === 'error' ? (subscription.error?.message ?? 'subscription failed') : null,
    connecting: subscription.status === 'connecting',
  };
}
