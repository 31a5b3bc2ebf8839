import { useState } from 'react';
import { createLayoutStore, type LayoutStore } from '../layout-store';

/** localStorage, or undefined where the browser denies it (reading the property itself can throw). */
function pageStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** This page's layout store over localStorage, made once per mount. */
export function useLayoutStore(): LayoutStore {
  const [store] = useState(() => createLayoutStore(pageStorage()));
  return store;
}
