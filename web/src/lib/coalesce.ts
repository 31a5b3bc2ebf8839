import type { StreamMessage } from '../../../shared/index';

/**
 * Folds the messages that arrived during one frame into as few as possible, in order: everything
 * before the last snapshot is dropped, consecutive `changes` merge (a later upsert or remove of a
 * key wins), consecutive `append`s concatenate. Applying the result gives the same view, in the
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
    if (message.type === 'changes') {
      run ??= new ChangeRun(keyOf);
      run.add(message.upserts, message.removes);
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
  /** Keys removed whose row, if upserted again, goes to the end (as applying one by one would). */
  private readonly reinsert = new Set<string>();

  constructor(private readonly keyOf: (item: T) => string) {}

  /** Applies one message: its removes first, then its upserts (the order `applyStreamMessage` uses). */
  add(upserts: readonly T[], removes: readonly string[]): void {
    for (const key of removes) {
      this.upserts.delete(key);
      this.removes.add(key);
      this.reinsert.add(key);
    }
    for (const item of upserts) {
      const key = this.keyOf(item);
      if (this.reinsert.delete(key)) this.upserts.delete(key);
      this.upserts.set(key, item);
    }
  }

  message(): StreamMessage<T> {
    return { type: 'changes', upserts: [...this.upserts.values()], removes: [...this.removes] };
  }
}
