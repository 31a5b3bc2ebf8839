/** Something with output to write when the event loop comes round. */
export interface Flushable {
  flush(): void;
}

export interface Flusher {
  schedule(target: Flushable): void;
}

export interface FlusherOptions {
  /** The longest a flush is held back to share frames under load, ms. @default 16 */
  maxHoldMs?: number;
  /** @default performance.now */
  now?: () => number;
}

/** Below this a hold is not worth a timer: the next turn of the event loop comes sooner. */
const MIN_HOLD_MS = 1;

/**
 * How long to hold the next flush back: until as much time has passed since the last flush ended
 * as that flush took (`lastCostMs`), at most `maxHoldMs`; 0 for at once. Sending then takes at
 * most about half of the event loop's time however fast commits come, and what arrives meanwhile
 * shares the next frames. An idle desk (the last flush long done) flushes at once.
 */
export function holdMs(now: number, lastEndMs: number, lastCostMs: number, maxHoldMs: number): number {
  const wait = Math.min(lastCostMs, maxHoldMs) - (now - lastEndMs);
  return wait >= MIN_HOLD_MS ? wait : 0;
}

/**
 * One flush per turn of the event loop writes everything scheduled meanwhile: commits made together
 * go out together, and a connection writes once per flush however many of its subscriptions
 * changed. A target is scheduled at most once per flush by its own bookkeeping. Under load, when
 * commits come one per turn (one mutation each) and every flush writes to many sockets, the next
 * flush is held back by up to the last one's cost (`holdMs`), so several commits share each frame
 * instead of each paying a write to every socket.
 */
export function createFlusher(options: FlusherOptions = {}): Flusher {
  const maxHoldMs = options.maxHoldMs ?? 16;
  const now = options.now ?? (() => performance.now());
  let pending: Flushable[] = [];
  let scheduled = false;
  let lastEnd = Number.NEGATIVE_INFINITY;
  let lastCost = 0;
  const run = () => {
    scheduled = false;
    const targets = pending;
    pending = [];
    const started = now();
    for (const target of targets) target.flush();
    lastEnd = now();
    lastCost = lastEnd - started;
  };
  return {
    schedule(target) {
      pending.push(target);
      if (scheduled) return;
      scheduled = true;
      const wait = holdMs(now(), lastEnd, lastCost, maxHoldMs);
      if (wait === 0) setImmediate(run);
      else setTimeout(run, wait);
    },
  };
}
