import type { RowPatch } from '../../shared/schema/stream';
import { structuralEqual } from './change-detector';

/** What a subscriber holding `base` needs to hold `next`: nothing, a patch, or the whole row. */
export type RowDelta<T> = { kind: 'same' } | { kind: 'whole' } | { kind: 'patch'; patch: RowPatch<T> };

const SAME = { kind: 'same' } as const;
const WHOLE = { kind: 'whole' } as const;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The top-level fields that differ between the row a subscriber holds and the new one (compared
 * structurally, as change detection does; a nested value that changed is sent whole). The whole
 * row when every field changed (a patch would only add its wrapping) or a row is not an object.
 */
export function rowDelta<T>(key: string, base: T, next: T): RowDelta<T> {
  if (!isRecord(base) || !isRecord(next)) return structuralEqual(base, next) ? SAME : WHOLE;
  const set: Record<string, unknown> = {};
  let changed = 0;
  let fields = 0;
  for (const field in next) {
    const value = next[field];
    if (value === undefined) continue;
    fields++;
    if (structuralEqual(base[field], value)) continue;
    set[field] = value;
    changed++;
  }
  let unset: string[] | undefined;
  for (const field in base) if (base[field] !== undefined && next[field] === undefined) (unset ??= []).push(field);
  if (changed === 0 && unset === undefined) return SAME;
  if (changed === fields) return WHOLE;
  const patch = (unset ? { key, set, unset } : { key, set }) as RowPatch<T>;
  return { kind: 'patch', patch };
}
