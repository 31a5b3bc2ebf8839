import { useSyncExternalStore } from 'react';
import { useLive } from './live-context';

/** Whether the socket is open now; what the live panels need to say they are stale. */
export function useLinkLive(): boolean {
  const { connection } = useLive();
  return useSyncExternalStore(connection.subscribe, () => connection.get().phase === 'live');
}
