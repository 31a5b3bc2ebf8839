import { useEffect, useRef, useState } from 'react';

/**
 * `value`, passed on at most once per `ms` (the newest one wins; the last one always arrives).
 * The first defined value goes straight through, in the same render: a throttle must never show
 * "nothing yet" (an empty feed, a blank chart) while the data is already here.
 */
export function useThrottledValue<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const lastAt = useRef(0);
  const waiting = shown === undefined;
  useEffect(() => {
    const wait = waiting ? 0 : lastAt.current + ms - performance.now();
    if (wait <= 0) {
      if (value !== undefined) lastAt.current = performance.now();
      setShown(value);
      return;
    }
    const timer = setTimeout(() => {
      lastAt.current = performance.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(timer);
  }, [value, ms, waiting]);
  return waiting ? value : shown;
}
