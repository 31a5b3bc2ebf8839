import { applyPatch, type RowPatch, type StreamMessage } from '../../../shared/index';

/**
 * Folds the messages that arrived during one frame into as few as possible, in order: everything
 * before the last snapshot is dropped, consecutive `changes` merge (a later upsert or remove of a
 * key wins; a patch folds into the upsert or patch of its key before it), consecutive `append`s
 * concatenate; a `changes` with compact patches stays as it is, in its place. Applying the
 * result gives the same view, in the
 * same order, as applying every message one by one.
 */
export function coalesceMessages<T>(messages: readonly StreamMessage<T>[], keyOf: (item: T) => string): StreamMessage<T>[] {
  let start = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]!.type === 'snapshot') {
      start = i;
      break;
    }
  }
  const out: StreamMessage<T>[] = [];
  let run: ChangeRun<T> | null = null;
  for (let i = start; i < messages.length; i++) {
    const message = messages[i]!;
    // Compact patches name fields and steps of the row held when they come, so they apply in
    // their place: the run before them ends, and they go on as they came.
    if (message.type === 'changes' && !message.compact?.length) {
      run ??= new ChangeRun(keyOf);
      run.add(message.upserts, message.removes, message.patches);
      continue;
    }
    if (run) {
      out.push(run.message());
      run = null;
    }
    const last = out[out.length - 1];
    if (message.type === 'append' && last?.type === 'append') out[out.length - 1] = { type: 'append', items: [...last.items, ...message.items] };
    else out.push(message);
  }
  if (run) out.push(run.message());
  return out;
}

/** Consecutive `changes` messages folded into one. */
class ChangeRun<T> {
  private readonly upserts = new Map<string, T>();
  private readonly removes = new Set<string>();
  /** Patches of rows held before the run (a key upserted in the run has its patches folded in). */
  private readonly patches = new Map<string, RowPatch<T>>();
  /** Keys removed whose row, if upserted again, goes to the end (as applying one by one would). */
  private readonly reinsert = new Set<string>();

  constructor(private readonly keyOf: (item: T) => string) {}

  /** Applies one message: its removes, upserts, then patches (its keys are distinct, so any order). */
  add(upserts: readonly T[], removes: readonly string[], patches: readonly RowPatch<T>[] = []): void {
    for (const key of removes) {
      this.upserts.delete(key);
      this.patches.delete(key);
      this.removes.add(key);
      this.reinsert.add(key);
    }
    for (const item of upserts) {
      const key = this.keyOf(item);
      if (this.reinsert.delete(key)) this.upserts.delete(key);
      this.patches.delete(key);
      this.upserts.set(key, item);
    }
    for (const patch of patches) {
      const upserted = this.upserts.get(patch.key);
      if (upserted !== undefined) {
        this.upserts.set(patch.key, applyPatch(upserted, patch));
        continue;
      }
      const earlier = this.patches.get(patch.key);
      this.patches.set(patch.key, earlier ? mergePatches(earlier, patch) : patch);
    }
  }

  message(): StreamMessage<T> {
    const message = { type: 'changes' as const, upserts: [...this.upserts.values()], removes: [...this.removes] };
    return this.patches.size > 0 ? { ...message, patches: [...this.patches.values()] } : message;
  }
}

/** One patch doing what `first` then `second` do. */
function mergePatches<T>(first: RowPatch<T>, second: RowPatch<T>): RowPatch<T> {
  const set = { ...first.set, ...second.set } as Record<string, unknown>;
  const unset = new Set(first.unset);
  for (const field of Object.keys(second.set)) unset.delete(field);
  for (const field of second.unset ?? []) {
    delete set[field];
    unset.add(field);
  }
  return unset.size > 0 ? { key: first.key, set: set as Partial<T>, unset: [...unset] } : { key: first.key, set: set as Partial<T> };
}
