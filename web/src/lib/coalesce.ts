import type { StreamMessage } from '../../../shared/index';

/**
 * Folds the messages that arrived during one frame into as few as possible, in order: everything
 * before the last snapshot is dropped, consecutive `changes` merge (a later upsert or remove of a
 * key wins), consecutive `append`s concatenate. Applying the result gives the same view as
 * applying every message one by one.
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
  for (let i = start; i < messages.length; i++) {
    const message = messages[i]!;
    const last = out[out.length - 1];
    if (message.type === 'changes' && last?.type === 'changes') out[out.length - 1] = mergeChanges(last, message, keyOf);
    else if (message.type === 'append' && last?.type === 'append') out[out.length - 1] = { type: 'append', items: [...last.items, ...message.items] };
    else out.push(message);
  }
  return out;
}

function mergeChanges<T>(
  a: { upserts: T[]; removes: string[] },
  b: { upserts: T[]; removes: string[] },
  keyOf: (item: T) => string,
): StreamMessage<T> {
  const upserts = new Map<string, T>();
  const removes = new Set<string>(a.removes);
  for (const item of a.upserts) upserts.set(keyOf(item), item);
  for (const key of b.removes) {
    upserts.delete(key);
    removes.add(key);
  }
  for (const item of b.upserts) {
    const key = keyOf(item);
    // A key removed and then upserted again stays in `removes` too: applying it drops the old row
    // and appends the new one, exactly as applying the two messages one by one would.
    if (removes.has(key)) upserts.delete(key);
    upserts.set(key, item);
  }
  return { type: 'changes', upserts: [...upserts.values()], removes: [...removes] };
}
