import { QueryClient } from '@tanstack/react-query';

/** The app's query cache. Live views never go stale: their subscription keeps them current. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { refetchOnWindowFocus: false, retry: 1 },
      mutations: { retry: false },
    },
  });
}
