import { useEffect } from 'react';
import { caughtUp, type ReplayMode } from '../../../lib/replay-mode';

/** Calls `onCaughtUp` once a playing replay has reached now (its streams went on live by themselves). */
export function useCaughtUp(mode: ReplayMode | null, onCaughtUp: () => void): void {
  useEffect(() => {
    if (!mode || mode.speed === 0) return;
    const timer = setInterval(() => {
      if (caughtUp(mode, Date.now())) onCaughtUp();
    }, 250);
    return () => clearInterval(timer);
  }, [mode, onCaughtUp]);
}
