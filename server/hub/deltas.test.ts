import { describe, expect, it } from 'vitest';
import { matchAll, type Filter } from './filter';
import { Hub } from './hub';
import { Subscriber } from './subscriber';
import { keyOf, type Row } from './test-rows';


describe('deltas', () => {
  it('sends only the changed fields of a held row, the whole row to one that did not hold it', () => {
    const hub = new Hub({ firstId: 0 });
    const topic = hub.state<Row>({ name: 'rows', deliveryClass: 'keyed', keyOf, deltas: true });
    const base: Row = { id: 'k0', group: 'x', n: 1, note: 'a', tags: [1], meta: { v: 1 } };
    hub.commit((tx) => tx.upsert(topic, base));
    const held = new Subscriber<Row>({ maxQueue: 100, counters: hub.counters }, true);
    const whole = new Subscriber<Row>({ maxQueue: 100, counters: hub.counters }, false);
    topic.subscribe(matchAll as Filter<Row>, held);
    topic.subscribe(matchAll as Filter<Row>, whole);
    const { note: _note, ...withoutNote } = base;
    hub.commit((tx) => tx.upsert(topic, { ...withoutNote, n: 2, meta: { v: 2 } }));
    hub.commit((tx) => tx.upsert(topic, { id: 'k1', group: 'y', n: 0, tags: [], meta: null }));
    expect(held.take()?.message).toEqual({
      type: 'changes',
      upserts: [{ id: 'k1', group: 'y', n: 0, tags: [], meta: null }],
      removes: [],
      patches: [{ key: 'k0', set: { n: 2, meta: { v: 2 } }, unset: ['note'] }],
    });
    expect(whole.take()?.message).toEqual({
      type: 'changes',
      upserts: [{ ...withoutNote, n: 2, meta: { v: 2 } }, { id: 'k1', group: 'y', n: 0, tags: [], meta: null }],
      removes: [],
    });
  });

  it('sends nothing for a row changed and changed back before it went out', () => {
    const hub = new Hub({ firstId: 0 });
    const topic = hub.state<Row>({ name: 'rows', deliveryClass: 'keyed', keyOf, deltas: true });
    const row: Row = { id: 'k0', group: 'x', n: 1, tags: [], meta: null };
    hub.commit((tx) => tx.upsert(topic, row));
    const subscriber = new Subscriber<Row>({ maxQueue: 100, counters: hub.counters }, true);
    topic.subscribe(matchAll as Filter<Row>, subscriber);
    hub.commit((tx) => tx.upsert(topic, { ...row, n: 2 }));
    hub.commit((tx) => tx.upsert(topic, row));
    expect(subscriber.take()?.message).toEqual({ type: 'changes', upserts: [], removes: [] });
  });

  it('gives no patches on a topic that does not offer them', () => {
    const hub = new Hub({ firstId: 0 });
    const topic = hub.state<Row>({ name: 'rows', deliveryClass: 'keyed', keyOf });
    const row: Row = { id: 'k0', group: 'x', n: 1, tags: [], meta: null };
    hub.commit((tx) => tx.upsert(topic, row));
    const subscriber = new Subscriber<Row>({ maxQueue: 100, counters: hub.counters }, true);
    topic.subscribe(matchAll as Filter<Row>, subscriber);
    hub.commit((tx) => tx.upsert(topic, { ...row, n: 2 }));
    expect(subscriber.take()?.message).toEqual({ type: 'changes', upserts: [{ ...row, n: 2 }], removes: [] });
  });
});
