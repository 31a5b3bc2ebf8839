import { replaceEqualDeep } from '@tanstack/react-query';
import { useRef } from 'react';

/**
 * `value`, or the one this returned before while the two are deeply equal (React Query's
 * structural sharing): a new object that says nothing new leaves the effects that depend on it
 * alone.
 */
export function useSameValue<T>(value: T): T {
  const held = useRef(value);
  held.current = replaceEqualDeep(held.current, value);
  return held.current;
}
