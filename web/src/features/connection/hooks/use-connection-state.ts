import { useEffect, useState, useSyncExternalStore } from 'react';
import { offlineGraceMs } from '../../../lib/config';
import { describeConnection, type ConnectionView } from '../../../lib/connection';
import { useLive } from '../../../lib/live-context';

/** The badge's view of the socket, re-evaluated twice a second while it is down (for the countdown). */
export function useConnectionState(): ConnectionView & { opens: number } {
  const { connection } = useLive();
  const state = useSyncExternalStore(connection.subscribe, connection.get);
  const [now, setNow] = useState(() => connection.now());
  useEffect(() => {
    setNow(connection.now());
    if (state.phase === 'live') return;
    const timer = setInterval(() => setNow(connection.now()), 500);
    return () => clearInterval(timer);
  }, [state, connection]);
  return { ...describeConnection(state, Math.max(now, connection.now()), offlineGraceMs), opens: state.opens };
}
