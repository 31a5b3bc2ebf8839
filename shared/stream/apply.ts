import type { RowPatch, StreamMessage } from '../schema/stream.js';
import { applyCompactPatch, type CompactPatch } from './compact.js';

/** How a client keeps a stream's view: the rows by key, and (for logs) a cap on their number. */
export interface StreamViewOptions<T> {
  keyOf: (item: T) => string;
  /** Keep at most this many items (oldest dropped first); logs only. */
  limit?: number;
}

/**
 * Applies one stream message to a view and returns the new view (the old one is not mutated).
 * State topics (latest / keyed) keep insertion order with upserts replacing in place; log topics
 * append and drop the oldest beyond `limit`. An item re-delivered after a reconnect replaces the
 * one with the same key instead of duplicating it. `patches` (subscriptions with `deltas: true`)
 * and `compact` patches (`deltas: 'compact'`) change the held row of their key in place; a patch
 * for a key the view does not hold is dropped (the server only patches rows it sent).
 */
export function applyStreamMessage<T>(
  view: readonly T[] | undefined,
  message: StreamMessage<T>,
  { keyOf, limit }: StreamViewOptions<T>,
): T[] {
  switch (message.type) {
    case 'snapshot':
      return cap(dedupe(message.items, keyOf), limit);
    case 'changes': {
      const patches = message.patches ?? [];
      const compact = message.compact ?? [];
      if (message.upserts.length === 0 && message.removes.length === 0 && patches.length === 0 && compact.length === 0) return view ? [...view] : [];
      const removed = new Set(message.removes);
      const byKey = new Map(message.upserts.map((item) => [keyOf(item), item]));
      const patchOf = new Map<string, RowPatch<T> | CompactPatch>(patches.map((patch) => [patch.key, patch]));
      for (const patch of compact) patchOf.set(patch[0], patch);
      const next: T[] = [];
      for (const item of view ?? []) {
        const key = keyOf(item);
        if (removed.has(key)) continue;
        const replacement = byKey.get(key);
        if (replacement !== undefined) {
          next.push(replacement);
          byKey.delete(key);
        } else {
          const patch = patchOf.get(key);
          next.push(patch === undefined ? item : Array.isArray(patch) ? applyCompactPatch(item, patch) : applyPatch(item, patch));
        }
      }
      for (const item of byKey.values()) next.push(item);
      return next;
    }
    case 'append': {
      const incoming = new Set(message.items.map(keyOf));
      const kept = (view ?? []).filter((item) => !incoming.has(keyOf(item)));
      return cap([...kept, ...dedupe(message.items, keyOf)], limit);
    }
  }
}

/**
 * One row with a patch applied: `{ ...row, ...patch.set }` without the `unset` fields. A new
 * object; the row is not mutated.
 */
export function applyPatch<T>(row: T, patch: Pick<RowPatch<T>, 'set' | 'unset'>): T {
  const next = { ...row, ...patch.set } as Record<string, unknown>;
  if (patch.unset) for (const field of patch.unset) delete next[field];
  return next as T;
}

function dedupe<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    const key = keyOf(item);
    byKey.delete(key);
    byKey.set(key, item);
  }
  return [...byKey.values()];
}

function cap<T>(items: T[], limit: number | undefined): T[] {
  return limit !== undefined && items.length > limit ? items.slice(items.length - limit) : items;
}
