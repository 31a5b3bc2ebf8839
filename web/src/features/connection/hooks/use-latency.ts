import { useEffect, useState } from 'react';
import { latencyProbeMs } from '../../../lib/config';
import { trpc } from '../../../lib/trpc';

/** Round-trip time of a `system.health` query, measured every few seconds; null while unknown. */
export function useLatency(): number | null {
  const utils = trpc.useUtils();
  const [latency, setLatency] = useState<number | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    async function probe() {
      const started = performance.now();
      try {
        await utils.client.system.health.query();
        if (!stopped) setLatency(Math.round(performance.now() - started));
      } catch {
        if (!stopped) setLatency(null);
      }
      if (!stopped) timer = setTimeout(probe, latencyProbeMs);
    }
    void probe();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [utils]);
  return latency;
}
