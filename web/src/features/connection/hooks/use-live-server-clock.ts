import { useEffect, useState } from 'react';
import { trpc } from '../../../lib/trpc';

/** The server's clock, from its once-a-second stats, ticking locally in between; null until known. */
export function useLiveServerClock(): number | null {
  const [offset, setOffset] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  trpc.system.onStats.useSubscription(
    { maxHz: 1 },
    {
      onData({ data }) {
        const stats = data.type === 'append' ? undefined : data.type === 'snapshot' ? data.items[0] : data.upserts[0];
        if (stats) setOffset(stats.ts - Date.now());
      },
    },
  );
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return offset === null ? null : now + offset;
}
