import { structuralEqual } from '../hub/change-detector';

/**
 * `next` stamped `updatedAt: now`, or `current` itself when `next` differs from it in nothing but
 * `updatedAt`: the time only moves when something else did, so a re-sent status, or a tick at the
 * price a position already had, is not a change (and a view rebuilt from the journal, which only
 * sees real changes, keeps the same time).
 */
export function withTime<T extends { updatedAt: number }>(next: T, current: T | undefined, now: number): T {
  if (current && sameBesidesTime(next, current)) return current;
  return next.updatedAt === now ? next : { ...next, updatedAt: now };
}

function sameBesidesTime(a: object, b: object): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (key === 'updatedAt') continue;
    if (!(key in b) || !structuralEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}
