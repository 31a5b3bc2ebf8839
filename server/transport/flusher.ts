/** Something with output to write when the event loop comes round. */
export interface Flushable {
  flush(): void;
}

export interface Flusher {
  schedule(target: Flushable): void;
}

/**
 * One `setImmediate` per turn of the event loop flushes everything scheduled in that turn: commits
 * made together go out together, and a connection writes once per turn however many of its
 * subscriptions changed. A target is scheduled at most once per turn by its own bookkeeping.
 */
export function createFlusher(): Flusher {
  let pending: Flushable[] = [];
  let scheduled = false;
  const run = () => {
    scheduled = false;
    const targets = pending;
    pending = [];
    for (const target of targets) target.flush();
  };
  return {
    schedule(target) {
      pending.push(target);
      if (!scheduled) {
        scheduled = true;
        setImmediate(run);
      }
    },
  };
}
