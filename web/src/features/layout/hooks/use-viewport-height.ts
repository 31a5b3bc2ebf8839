import { useSyncExternalStore } from 'react';

const subscribe = (onChange: () => void) => {
  window.addEventListener('resize', onChange);
  return () => window.removeEventListener('resize', onChange);
};
const read = () => window.innerHeight;

/** The window's inner height (px), following resizes and rotations. */
export function useViewportHeight(): number {
  return useSyncExternalStore(subscribe, read);
}
