import { useMemo } from 'react';
import { feedMaxFps } from './config';
import { useThrottledValue } from './use-throttled-value';

const none: never[] = [];

/** A log feed's rows (oldest first, as the stream keeps them) newest first, at most `feedMaxFps` times a second. */
export function useNewestFirst<T>(data: readonly T[] | undefined): readonly T[] {
  const shown = useThrottledValue(data, 1000 / feedMaxFps);
  return useMemo(() => (shown ? [...shown].reverse() : none), [shown]);
}
