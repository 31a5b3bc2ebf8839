import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { createAppliedEvents } from '../lib/applied-events';
import { createConnectionStore } from '../lib/connection';
import { createFrameQueue } from '../lib/frame-queue';
import { LiveContext, type Live } from '../lib/live-context';
import { createQueryClient } from '../lib/query-client';
import { createDeskTransport, trpc } from '../lib/trpc';

/** The app's long-lived things: the query cache, the one WebSocket, the frame queue. */
export interface AppServices {
  live: Live;
  queryClient: QueryClient;
  transport: ReturnType<typeof createDeskTransport>;
  /** Closes the socket and drops queued updates. */
  close: () => void;
}

/** Creates the app's services once, outside React, so a strict-mode double render cannot open two sockets. */
export function createAppServices(): AppServices {
  const connection = createConnectionStore();
  const live: Live = { queue: createFrameQueue(), connection, applied: createAppliedEvents() };
  const transport = createDeskTransport(connection);
  return {
    live,
    queryClient: createQueryClient(),
    transport,
    close() {
      live.queue.dispose();
      transport.close();
    },
  };
}

/** Provides the tRPC client, the query cache and the live services to the app. */
export function AppProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  return (
    <trpc.Provider client={services.transport.client} queryClient={services.queryClient}>
      <QueryClientProvider client={services.queryClient}>
        <LiveContext.Provider value={services.live}>{children}</LiveContext.Provider>
      </QueryClientProvider>
    </trpc.Provider>
  );
}
