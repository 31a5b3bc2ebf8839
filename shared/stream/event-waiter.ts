/**
 * Read-your-writes: remembers the newest event id a subscription delivered and lets a caller wait
 * until it reaches the id a mutation returned ("my change is on screen").
 *
 * ```ts
 * const applied = createEventWaiter();
 * api.market.onTrades.subscribe(undefined, { onData: (m) => { apply(m); applied.observe(m.id); } });
 * const { eventId } = await api.market.executeTrade.mutate(order);
 * await applied.waitFor(eventId);
 * ```
 */
export function createEventWaiter() {
  let newest = 0;
  let waiters: Array<{ id: number; resolve: () => void; reject: (error: Error) => void; timer: ReturnType<typeof setTimeout> }> = [];
  return {
    /** The newest id observed so far, or null. */
    get newest(): string | null {
      return newest === 0 ? null : String(newest);
    },
    observe(eventId: string): void {
      const id = Number(eventId);
      if (!(id > newest)) return;
      newest = id;
      const due = waiters.filter((w) => w.id <= newest);
      waiters = waiters.filter((w) => w.id > newest);
      for (const waiter of due) {
        clearTimeout(waiter.timer);
        waiter.resolve();
      }
    },
    /** Resolves once an id ≥ `eventId` was observed; `null` (nothing changed) resolves at once. */
    waitFor(eventId: string | null, timeoutMs = 10_000): Promise<void> {
      if (eventId === null || Number(eventId) <= newest) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w.timer !== timer);
          reject(new Error(`event ${eventId} not delivered within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push({ id: Number(eventId), resolve, reject, timer });
      });
    },
  };
}
export type EventWaiter = ReturnType<typeof createEventWaiter>;
