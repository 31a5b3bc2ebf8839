import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { createAppliedEvents } from '../lib/applied-events';
import { createConnectionStore } from '../lib/connection';
import { createFrameQueue } from '../lib/frame-queue';
import { LiveContext, type Live } from '../lib/live-context';
import { createQueryClient } from '../lib/query-client';
import { SessionContext, type SessionActions } from '../lib/session-context';
import type { ReplayMode } from '../lib/replay-mode';
import { createDeskTransport, trpc } from '../lib/trpc';

/** The app's long-lived things for one token: the query cache, the one WebSocket, the frame queue. */
export interface AppServices {
  live: Live;
  queryClient: QueryClient;
  transport: ReturnType<typeof createDeskTransport>;
  /** Closes the socket and drops queued updates. */
  close: () => void;
}

/**
 * Creates the app's services for `token` (and a replay, when the desk's past is shown), outside React, so a strict-mode double render cannot
 * open two sockets. A new token gets new services: the socket presents its token when it opens.
 */
export function createAppServices(token: string | undefined, replay: ReplayMode | null = null): AppServices {
  const connection = createConnectionStore();
  const live: Live = { queue: createFrameQueue(), connection, applied: createAppliedEvents() };
  const transport = createDeskTransport(connection, token, undefined, replay);
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

/** Provides the tRPC client, the query cache, the live services and sign-in / sign-out to the app. */
export function AppProvider({ services, session, children }: { services: AppServices; session: SessionActions; children: ReactNode }) {
  return (
    <trpc.Provider client={services.transport.client} queryClient={services.queryClient}>
      <QueryClientProvider client={services.queryClient}>
        <SessionContext.Provider value={session}>
          <LiveContext.Provider value={services.live}>{children}</LiveContext.Provider>
        </SessionContext.Provider>
      </QueryClientProvider>
    </trpc.Provider>
  );
}
