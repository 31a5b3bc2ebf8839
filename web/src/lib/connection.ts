/** What the socket is doing, as the connection badge needs it. */
export interface ConnectionState {
  phase: 'connecting' | 'live' | 'reconnecting';
  /** Reconnect attempts since the socket was last open (1 = the first retry). */
  attempt: number;
  /** When the next reconnect attempt starts (ms since epoch), while reconnecting. */
  nextRetryAt: number | null;
  /** When the socket last went down (ms since epoch); null while live. */
  downSince: number | null;
  /** How many times the socket has opened. */
  opens: number;
}

export type ConnectionEvent =
  | { type: 'open'; at: number }
  | { type: 'close'; at: number }
  | { type: 'retry'; attemptIndex: number; delayMs: number; at: number };

export const initialConnection = (at: number): ConnectionState => ({
  phase: 'connecting',
  attempt: 0,
  nextRetryAt: null,
  downSince: at,
  opens: 0,
});

/** Applies one socket event to the connection state. */
export function reduceConnection(state: ConnectionState, event: ConnectionEvent): ConnectionState {
  switch (event.type) {
    case 'open':
      return { phase: 'live', attempt: 0, nextRetryAt: null, downSince: null, opens: state.opens + 1 };
    case 'close':
      if (state.phase === 'reconnecting') return state;
      return { ...state, phase: state.opens === 0 ? 'connecting' : 'reconnecting', downSince: state.downSince ?? event.at };
    case 'retry':
      return {
        ...state,
        phase: state.opens === 0 && state.phase === 'connecting' && event.attemptIndex === 0 ? 'connecting' : 'reconnecting',
        attempt: event.attemptIndex + 1,
        nextRetryAt: event.at + event.delayMs,
        downSince: state.downSince ?? event.at,
      };
  }
}

/** What the badge shows. */
export interface ConnectionView {
  status: 'connecting' | 'live' | 'reconnecting' | 'offline' | 'refused';
  label: string;
  detail: string | null;
  /** When the desk stopped being live (ms since epoch), once it had been live; null otherwise. */
  since: number | null;
}

/** Describes the state at `now`: Offline once the socket has been down longer than `graceMs`. */
export function describeConnection(state: ConnectionState, now: number, graceMs: number): ConnectionView {
  if (state.phase === 'live') return { status: 'live', label: 'Live', detail: null, since: null };
  const retryIn = state.nextRetryAt === null ? null : Math.max(0, state.nextRetryAt - now);
  const retry = retryIn === null ? null : retryIn < 100 ? 'retrying now' : `next retry in ${(retryIn / 1000).toFixed(1)} s`;
  const attempt = state.attempt > 0 ? `attempt ${state.attempt}` : null;
  const detail = [attempt, retry].filter(Boolean).join(' · ') || null;
  const downFor = state.downSince === null ? 0 : now - state.downSince;
  const since = state.opens > 0 ? state.downSince : null;
  if (downFor > graceMs) return { status: 'offline', label: 'Offline', detail, since };
  if (state.phase === 'connecting') return { status: 'connecting', label: 'Connecting', detail, since };
  return { status: 'reconnecting', label: 'Reconnecting', detail, since };
}

/** A tiny store the socket callbacks write to and the badge reads with `useSyncExternalStore`. */
export function createConnectionStore(now: () => number = Date.now) {
  let state = initialConnection(now());
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    dispatch(event: ConnectionEvent) {
      const next = reduceConnection(state, event);
      if (next === state) return;
      state = next;
      for (const listener of listeners) listener();
    },
    now,
  };
}

export type ConnectionStore = ReturnType<typeof createConnectionStore>;
