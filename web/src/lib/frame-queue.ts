/** Schedules a callback for the next frame; returns a handle for `cancel`. */
export interface FrameScheduler {
  request: (callback: () => void) => number;
  cancel: (handle: number) => void;
}

export interface FrameQueue {
  /** Buffers `item` under `key`; `flush` receives everything buffered under that key, once per frame. */
  push<T>(key: string, item: T, flush: (items: T[]) => void): void;
  /** Applies everything buffered now (e.g. in tests or before unmount). */
  flushNow(): void;
  /** Drops what is buffered and cancels the pending frame. */
  dispose(): void;
  /** Frames flushed so far. */
  readonly frames: number;
}

/**
 * Decouples rendering from the feed rate: however many messages arrive, each stream's buffered
 * messages are handed over at most once per animation frame.
 */
export function createFrameQueue(scheduler: FrameScheduler = browserScheduler()): FrameQueue {
  const pending = new Map<string, { items: unknown[]; flush: (items: unknown[]) => void }>();
  let handle: number | null = null;
  let frames = 0;

  function run(): void {
    handle = null;
    frames++;
    const batches = [...pending.values()];
    pending.clear();
    for (const batch of batches) batch.flush(batch.items);
  }

  return {
    push<T>(key: string, item: T, flush: (items: T[]) => void) {
      const entry = pending.get(key);
      if (entry) {
        entry.items.push(item);
        entry.flush = flush as (items: unknown[]) => void;
      } else pending.set(key, { items: [item], flush: flush as (items: unknown[]) => void });
      handle ??= scheduler.request(run);
    },
    flushNow() {
      if (handle !== null) scheduler.cancel(handle);
      run();
    },
    dispose() {
      if (handle !== null) scheduler.cancel(handle);
      handle = null;
      pending.clear();
    },
    get frames() {
      return frames;
    },
  };
}

function browserScheduler(): FrameScheduler {
  // Hidden tabs get no animation frames; a timer keeps the cache current so the view is fresh on return.
  return {
    request: (callback) =>
      typeof document !== 'undefined' && document.visibilityState === 'hidden'
        ? (setTimeout(callback, 250) as unknown as number) * -1
        : requestAnimationFrame(callback),
    cancel: (handle) => (handle < 0 ? clearTimeout(-handle) : cancelAnimationFrame(handle)),
  };
}
