import type { LayoutItem } from 'react-grid-layout';
import type { BreakpointName } from './breakpoints';
import { LAYOUT_STORAGE_KEY, parseSavedLayouts, toSaved, type SavedLayouts } from './saved-layouts';

/** The user's arrangements, per breakpoint, kept in localStorage. */
export interface LayoutStore {
  get(): SavedLayouts;
  subscribe(listener: () => void): () => void;
  /** Keeps `layout` as the arrangement for `breakpoint`. */
  save(breakpoint: BreakpointName, layout: readonly LayoutItem[]): void;
  /** Forgets the arrangement for `breakpoint`: it goes back to the default. */
  reset(breakpoint: BreakpointName): void;
}

/**
 * A layout store over `storage` (localStorage in the page). A storage that throws (full, or
 * disabled by the browser) only loses persistence: the arrangement still holds until reload.
 */
export function createLayoutStore(storage: Pick<Storage, 'getItem' | 'setItem'> | undefined, key = LAYOUT_STORAGE_KEY): LayoutStore {
  let saved: SavedLayouts = {};
  try {
    saved = parseSavedLayouts(storage?.getItem(key) ?? null);
  } catch {
    // reading can throw where storage is denied; start from the defaults
  }
  const listeners = new Set<() => void>();
  const commit = (next: SavedLayouts) => {
    saved = next;
    try {
      storage?.setItem(key, JSON.stringify(saved));
    } catch {
      // kept in memory only
    }
    for (const listener of listeners) listener();
  };
  return {
    get: () => saved,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    save(breakpoint, layout) {
      commit({ ...saved, [breakpoint]: toSaved(layout) });
    },
    reset(breakpoint) {
      if (!(breakpoint in saved)) return;
      const { [breakpoint]: _dropped, ...rest } = saved;
      commit(rest);
    },
  };
}
