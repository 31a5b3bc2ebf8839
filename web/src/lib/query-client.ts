import { notifyManager, QueryClient } from '@tanstack/react-query';

/** The app's query cache. Live views never go stale: their subscription keeps them current. */
export function createQueryClient(): QueryClient {
  // Cache updates are applied in an animation frame; notifying in a microtask renders them in that
  // same frame instead of a timer task after it (the default), which could miss the paint.
  notifyManager.setScheduler(queueMicrotask);
  return new QueryClient({
    defaultOptions: {
      queries: { refetchOnWindowFocus: false, retry: 1 },
      mutations: { retry: false },
    },
  });
}
