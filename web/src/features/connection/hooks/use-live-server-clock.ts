import { useEffect, useState } from 'react';
import { useWhoami } from '../../../lib/use-whoami';

/**
 * The server's clock, from the time `system.whoami` answered with (every caller may ask it),
 * ticking locally in between; null until known.
 */
export function useLiveServerClock(): number | null {
  const { data, dataUpdatedAt } = useWhoami();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return data ? now + (data.serverTime - dataUpdatedAt) : null;
}
