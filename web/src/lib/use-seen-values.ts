import { useEffect, useState } from 'react';
import { mergeSeen } from './seen-values';

/** Values seen in a feed's rows since the panel opened (filter suggestions), sorted, at most `max`. */
export function useSeenValues<T>(rows: readonly T[] | undefined, pick: (row: T) => string, max = 100): readonly string[] {
  const [seen, setSeen] = useState<readonly string[]>([]);
  useEffect(() => {
    if (rows) setSeen((old) => mergeSeen(old, rows, pick, max));
  }, [rows, pick, max]);
  return seen;
}
