import { describe, expect, it } from 'vitest';
import { createConnectionStore, describeConnection, initialConnection, reduceConnection } from './connection';

describe('connection state', () => {
  it('goes live on open and reconnecting on close, counting attempts', () => {
    let s = initialConnection(0);
    expect(describeConnection(s, 0, 15_000).status).toBe('connecting');
    s = reduceConnection(s, { type: 'open', at: 10 });
    expect(describeConnection(s, 10, 15_000)).toEqual({ status: 'live', label: 'Live', detail: null, since: null });
    s = reduceConnection(s, { type: 'close', at: 1000 });
    s = reduceConnection(s, { type: 'retry', attemptIndex: 0, delayMs: 200, at: 1000 });
    expect(describeConnection(s, 1000, 15_000)).toEqual({ status: 'reconnecting', label: 'Reconnecting', detail: 'attempt 1 · next retry in 0.2 s', since: 1000 });
    s = reduceConnection(s, { type: 'retry', attemptIndex: 1, delayMs: 3000, at: 1300 });
    expect(describeConnection(s, 2300, 15_000).detail).toBe('attempt 2 · next retry in 2.0 s');
    s = reduceConnection(s, { type: 'open', at: 4400 });
    expect(s).toMatchObject({ phase: 'live', attempt: 0, opens: 2, downSince: null });
  });

  it('says Offline once the socket has been down longer than the grace period', () => {
    let s = reduceConnection(initialConnection(0), { type: 'open', at: 0 });
    s = reduceConnection(s, { type: 'close', at: 1000 });
    expect(describeConnection(s, 15_999, 15_000).status).toBe('reconnecting');
    expect(describeConnection(s, 16_001, 15_000).status).toBe('offline');
    // an error event right after close does not reset how long it has been down
    expect(reduceConnection(s, { type: 'close', at: 9000 }).downSince).toBe(1000);
  });

  it('stays Connecting while the first connection is being retried, then Offline after the grace period', () => {
    let s = initialConnection(0);
    s = reduceConnection(s, { type: 'close', at: 50 });
    s = reduceConnection(s, { type: 'retry', attemptIndex: 0, delayMs: 100, at: 50 });
    expect(describeConnection(s, 60, 15_000).status).toBe('connecting');
    expect(describeConnection(s, 20_000, 15_000).status).toBe('offline');
    // it was never live, so there is no "since" to tell
    expect(describeConnection(s, 20_000, 15_000).since).toBeNull();
  });

  it('notifies subscribers only when the state changes', () => {
    const store = createConnectionStore(() => 5);
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.dispatch({ type: 'open', at: 5 });
    store.dispatch({ type: 'close', at: 6 });
    store.dispatch({ type: 'close', at: 7 });
    off();
    store.dispatch({ type: 'open', at: 8 });
    expect(calls).toBe(2);
    expect(store.get().phase).toBe('live');
  });
});
