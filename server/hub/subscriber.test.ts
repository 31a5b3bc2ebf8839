import { describe, expect, it } from 'vitest';
import { createCounters } from './counters';
import { Subscriber, WaitingSubscriber } from './subscriber';

describe('Subscriber', () => {
  it('conflates a state row to its newest value under the newest id', () => {
    const counters = createCounters();
    const sub = new Subscriber<{ k: string; v: number }>({ maxQueue: 10, counters });
    sub.stage('a', { k: 'a', v: 1 }, 1);
    sub.stage('b', { k: 'b', v: 1 }, 2);
    sub.stage('a', { k: 'a', v: 2 }, 3);
    expect(sub.take()).toEqual({ id: 3, message: { type: 'changes', upserts: [{ k: 'b', v: 1 }, { k: 'a', v: 2 }], removes: [] } });
    expect(counters.conflated).toBe(1);
    expect(sub.take()).toBeNull();
  });

  it('turns a staged removal into a remove op', () => {
    const sub = new Subscriber<{ k: string }>({ maxQueue: 10, counters: createCounters() });
    sub.stage('a', { k: 'a' }, 1);
    sub.stage('a', null, 2);
    expect(sub.take()).toEqual({ id: 2, message: { type: 'changes', upserts: [], removes: ['a'] } });
  });

  it('queues log events in order and merges what is pending into one append', () => {
    const sub = new Subscriber<number>({ maxQueue: 10, counters: createCounters() });
    sub.push([1, 2], 5);
    sub.push([3], 7);
    expect(sub.take()).toEqual({ id: 7, message: { type: 'append', items: [1, 2, 3] } });
  });

  it('marks an overflowing log queue for resync and drops its backlog', () => {
    const sub = new Subscriber<number>({ maxQueue: 3, counters: createCounters() });
    sub.push([1, 2], 1);
    sub.push([3, 4], 2);
    expect(sub.overflowed).toBe(true);
    expect(sub.hasPending).toBe(true);
    sub.push([5], 3);
    sub.reset();
    expect(sub.take()).toBeNull();
  });

  it('wakes a waiting reader when something arrives', async () => {
    const sub = new WaitingSubscriber<number>({ maxQueue: 10, counters: createCounters() });
    const ready = sub.ready(new AbortController().signal);
    sub.push([1], 1);
    await expect(ready).resolves.toBeUndefined();
  });

  it("keeps idle subscribers' queues apart: one subscriber's events never show up in another's", () => {
    const counters = createCounters();
    const a = new Subscriber<number>({ maxQueue: 10, counters });
    const b = new Subscriber<number>({ maxQueue: 10, counters });
    expect(b.hasPending).toBe(false);
    a.push([1], 1);
    expect(b.pendingCount).toBe(0);
    expect(a.take()).toEqual({ id: 1, message: { type: 'append', items: [1] } });
    b.push([2], 2);
    a.push([3], 3);
    expect(a.take()).toEqual({ id: 3, message: { type: 'append', items: [3] } });
    expect(b.take()).toEqual({ id: 2, message: { type: 'append', items: [2] } });
    a.stage('k', 4, 4);
    expect(b.pendingCount).toBe(0);
    a.reset();
    expect(a.hasPending).toBe(false);
    a.push([5], 5);
    expect(a.take()).toEqual({ id: 5, message: { type: 'append', items: [5] } });
  });
});
