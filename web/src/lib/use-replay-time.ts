import { useEffect, useState } from 'react';
import { replayTime } from './replay-mode';
import { useReplayMode } from './session-context';

/** The desk's time the replay shows (null while live), ticking twice a second. */
export function useReplayTime(): number | null {
  const mode = useReplayMode();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!mode || mode.speed === 0) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [mode]);
  return mode ? Math.min(replayTime(mode, now), Date.now()) : null;
}
