import { createEventWaiter, type EventWaiter } from '../../../shared/index';

/**
 * Read-your-writes for the dashboard: the newest event id each stream (by procedure path) has put
 * on screen, and a wait for the id a mutation returned.
 */
export function createAppliedEvents() {
  const waiters = new Map<string, EventWaiter>();
  const waiterFor = (path: string) => waiters.get(path) ?? waiters.set(path, createEventWaiter()).get(path)!;
  return {
    /** Records that `path`'s view now reflects everything up to `eventId`. */
    observe(path: string, eventId: string): void {
      waiterFor(path).observe(eventId);
    },
    /**
     * Resolves true once `path`'s view reflects `eventId`; false when no view of that stream is on
     * screen, or it did not get there within `timeoutMs`.
     */
    async waitFor(path: string, eventId: string, timeoutMs = 5000): Promise<boolean> {
      const waiter = waiters.get(path);
      if (!waiter || waiter.newest === null) return false;
      return waiter.waitFor(eventId, timeoutMs).then(
        () => true,
        () => false,
      );
    },
  };
}
export type AppliedEvents = ReturnType<typeof createAppliedEvents>;
