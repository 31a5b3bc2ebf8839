import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { createConnectionStore } from '../lib/connection';
import { createFrameQueue } from '../lib/frame-queue';
import { LiveContext, type Live } from '../lib/live-context';
import { createQueryClient } from '../lib/query-client';
import { createDeskTransport, trpc } from '../lib/trpc';

/** Owns the app's long-lived things: the query cache, the one WebSocket, the frame queue. */
export function AppProvider({ children }: { children: ReactNode }) {
  const [services] = useState(() => {
    const connection = createConnectionStore();
    const live: Live = { queue: createFrameQueue(), connection };
    return { live, queryClient: createQueryClient(), transport: createDeskTransport(connection) };
  });

  // The socket lives as long as the page; closing it on unmount keeps hot reloads from leaking sockets.
  useEffect(() => () => {
    if (import.meta.hot) {
      services.live.queue.dispose();
      services.transport.close();
    }
  }, [services]);

  return (
    <trpc.Provider client={services.transport.client} queryClient={services.queryClient}>
      <QueryClientProvider client={services.queryClient}>
        <LiveContext.Provider value={services.live}>{children}</LiveContext.Provider>
      </QueryClientProvider>
    </trpc.Provider>
  );
}
