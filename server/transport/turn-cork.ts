import type { WebSocket } from 'ws';
import { rawSocketOf } from './raw-socket';

type Corkable = NonNullable<ReturnType<typeof rawSocketOf>>;

/**
 * Holds sockets corked until this turn's promise callbacks have run (a `process.nextTick` runs
 * right after them, before the event loop moves on): the answers of calls that settle together,
 * the mutations of one group commit, leave in one write per socket instead of a syscall each, in
 * the order they were sent, and none waits past the turn it was sent in.
 */
export function createTurnCorks() {
  const held = new Set<Corkable>();
  const release = () => {
    for (const raw of held) raw.uncork();
    held.clear();
  };
  return {
    /** Corks `socket` until the end of this turn, once however often it is asked. */
    hold(socket: WebSocket): void {
      const raw = rawSocketOf(socket);
      if (raw === undefined || held.has(raw)) return;
      if (held.size === 0) process.nextTick(release);
      held.add(raw);
      raw.cork();
    },
  };
}
export type TurnCorks = ReturnType<typeof createTurnCorks>;
