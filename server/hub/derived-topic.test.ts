import { describe, expect, it } from 'vitest';
import { DerivedTopic } from './derived-topic';
import { streamDerived } from './derived-stream';

describe('DerivedTopic', () => {
  it('tells subscribers only about readings that really differ', () => {
    const topic = new DerivedTopic<{ a: number; b: number }>('t');
    const seen: unknown[] = [];
    const unsubscribe = topic.subscribe((value) => seen.push(value));
    expect(topic.publish({ a: 1, b: 2 })).toBe(true);
    expect(topic.publish({ b: 2, a: 1 })).toBe(false);
    expect(topic.publish({ a: 1, b: 3 })).toBe(true);
    unsubscribe();
    topic.publish({ a: 9, b: 9 });
    expect(seen).toEqual([{ a: 1, b: 2 }, { a: 1, b: 3 }]);
    expect(topic.subscriberCount).toBe(0);
  });

  it('takes a fresh reading on refresh', () => {
    let n = 0;
    const topic = new DerivedTopic<number>('t');
    expect(topic.refresh()).toBeUndefined();
    topic.read = () => ++n;
    expect(topic.refresh()).toBe(1);
    expect(topic.current).toBe(1);
  });
});

describe('streamDerived', () => {
  it('yields a fresh snapshot, then the newest reading as changes, without ids, and stops on abort', async () => {
    let n = 0;
    const topic = new DerivedTopic<number>('t');
    topic.read = () => ++n;
    const aborter = new AbortController();
    const stream = streamDerived(topic, { signal: aborter.signal });
    expect((await stream.next()).value).toEqual({ type: 'snapshot', items: [1], resync: false });
    const next = stream.next();
    topic.publish(5);
    topic.publish(6);
    expect((await next).value).toEqual({ type: 'changes', upserts: [6], removes: [] });
    const last = stream.next();
    aborter.abort();
    expect((await last).done).toBe(true);
    expect(topic.subscriberCount).toBe(0);
  });
});
