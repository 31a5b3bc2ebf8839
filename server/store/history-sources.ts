import type { Entry, ReplayBuffer } from '../hub/replay-buffer';
import type { HistoryEntry, HistorySource } from './history-pages';

/** The index of the first entry with an id above `id` (entries in id order). */
function firstAbove(entries: readonly Entry<unknown>[], id: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid]!.id <= id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A log topic's replay buffer as a history source: every commit above its floor is in it. */
export function memorySource<T>(buffer: ReplayBuffer<T>): HistorySource<T> {
  // One copy of the entry list per page (the buffer is bounded); pages are synchronous, so it cannot change meanwhile.
  const entries = buffer.dump();
  return {
    floor: buffer.floor,
    before(id, max) {
      const out: HistoryEntry<T>[] = [];
      let items = 0;
      for (let i = firstAbove(entries, id - 1) - 1; i >= 0 && items < max; i--) {
        out.push(entries[i]!);
        items += entries[i]!.items.length;
      }
      return out;
    },
    after(id, max) {
      const out: HistoryEntry<T>[] = [];
      let items = 0;
      for (let i = firstAbove(entries, id); i < entries.length && items < max; i++) {
        out.push(entries[i]!);
        items += entries[i]!.items.length;
      }
      return out;
    },
    get(id) {
      const entry = entries[firstAbove(entries, id - 1)];
      return entry && entry.id === id ? entry : null;
    },
  };
}

/**
 * Memory first, the journal below it: the buffer holds every commit above its floor, the journal
 * every commit above its own (retention), so together they hold every commit above the lower one.
 */
export function layeredSource<T>(memory: HistorySource<T>, journal: HistorySource<T> | null): HistorySource<T> {
  if (!journal) return memory;
  const boundary = memory.floor;
  return {
    floor: Math.min(boundary, journal.floor),
    before(id, max) {
      const recent = memory.before(id, max);
      if (recent.length > 0) return recent;
      return journal.before(Math.min(id, boundary + 1), max);
    },
    after(id, max) {
      if (id < boundary) {
        const older = journal.after(id, max).filter((entry) => entry.id <= boundary);
        if (older.length > 0) return older;
      }
      return memory.after(Math.max(id, boundary), max);
    },
    get(id) {
      return id > boundary ? memory.get(id) : journal.get(id);
    },
  };
}
