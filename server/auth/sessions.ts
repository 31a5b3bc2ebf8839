import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import type { Caller } from './tokens';

/** WebSocket close code for a connection whose token was revoked (policy violation). */
export const REVOKED_CLOSE_CODE = 1008;

type Out = WebSocket | ServerResponse;

/**
 * The open connections (WebSockets, and HTTP responses such as SSE streams) of each caller, so
 * that revoking a token closes them. An entry lives as long as its connection.
 */
export function createSessions() {
  const open = new Map<Out, Caller>();

  function forget(this: Out): void {
    open.delete(this);
  }

  return {
    /** Remembers `out` as a connection of `caller` until it closes. */
    track(out: Out, caller: Caller): void {
      if (open.has(out)) return;
      open.set(out, caller);
      out.once('close', forget);
    },
    /** Closes every connection whose token has this id or holder name; returns how many. */
    close(key: string): number {
      let closed = 0;
      for (const [out, caller] of open) {
        if (caller.id !== key && caller.name !== key) continue;
        open.delete(out);
        closed++;
        if ('bufferedAmount' in out) out.close(REVOKED_CLOSE_CODE, 'token revoked');
        else out.destroy();
      }
      return closed;
    },
    /** Connections being tracked (for tests). */
    get size(): number {
      return open.size;
    },
  };
}
export type Sessions = ReturnType<typeof createSessions>;
