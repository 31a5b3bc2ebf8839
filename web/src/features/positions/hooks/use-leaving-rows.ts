import { useEffect, useRef, useState } from 'react';
import { updateLeaving, type LeavingRow } from '../leaving-rows';

/** Rows that just left `rows`, kept for `holdMs` so they can fade out. */
export function useLeavingRows<T>(rows: readonly T[] | undefined, keyOf: (item: T) => string, holdMs: number): LeavingRow<T>[] {
  const previous = useRef<readonly T[]>([]);
  const [leaving, setLeaving] = useState<Map<string, LeavingRow<T>>>(() => new Map());

  useEffect(() => {
    const next = rows ?? [];
    setLeaving((current) => updateLeaving(current, previous.current, next, keyOf, Date.now(), holdMs));
    previous.current = next;
  }, [rows, keyOf, holdMs]);

  useEffect(() => {
    if (leaving.size === 0) return;
    const soonest = Math.min(...[...leaving.values()].map((row) => row.until));
    const timer = setTimeout(() => setLeaving((current) => updateLeaving(current, [], previous.current, keyOf, Date.now(), holdMs)), Math.max(0, soonest - Date.now()) + 20);
    return () => clearTimeout(timer);
  }, [leaving, keyOf, holdMs]);

  return [...leaving.values()];
}
