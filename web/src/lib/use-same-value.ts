import { useRef } from 'react';

/**
 * `value`, or the one this returned before while `equal` says the two are the same: a new object
 * that says nothing new leaves the effects that depend on it alone.
 */
export function useSameValue<T>(value: T, equal: (a: T, b: T) => boolean): T {
  const held = useRef(value);
  if (held.current !== value && !equal(held.current, value)) held.current = value;
  return held.current;
}
