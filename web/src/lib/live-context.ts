import { createContext, useContext } from 'react';
import type { AppliedEvents } from './applied-events';
import type { ConnectionStore } from './connection';
import type { FrameQueue } from './frame-queue';

/** What live views share: the per-frame queue and the socket's connection state. */
export interface Live {
  queue: FrameQueue;
  connection: ConnectionStore;
  /** What each stream has put on screen, for "applied" confirmations. */
  applied: AppliedEvents;
}

export const LiveContext = createContext<Live | null>(null);

/** The app's live services; throws outside the provider. */
export function useLive(): Live {
  const live = useContext(LiveContext);
  if (!live) throw new Error('useLive must be used inside <AppProvider>');
  return live;
}
