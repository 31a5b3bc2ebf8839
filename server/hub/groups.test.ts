import { describe, expect, it } from 'vitest';
import { createCounters } from './counters';
import { allOf, inSet } from './filter';
import { SubscriberGroups } from './groups';
import { Subscriber } from './subscriber';

type Row = { symbol: string };
const bySymbols = (symbols: string[]) => allOf<Row>([inSet('symbols', symbols, (row) => row.symbol)]);

describe('SubscriberGroups', () => {
  it('hands every subscriber of one filter key the first subscriber’s filter, and groups them', () => {
    const groups = new SubscriberGroups<Row>();
    const counters = createCounters();
    const first = bySymbols(['A', 'B']);
    const same = bySymbols(['B', 'A', 'B']);
    const other = bySymbols(['C']);
    expect(same).not.toBe(first);
    expect(same.key).toBe(first.key);

    const a = new Subscriber<Row>({ maxQueue: 10, counters });
    const b = new Subscriber<Row>({ maxQueue: 10, counters });
    const c = new Subscriber<Row>({ maxQueue: 10, counters });
    expect(groups.add(first, a)).toBe(first);
    expect(groups.add(same, b)).toBe(first);
    expect(groups.add(other, c)).toBe(other);
    expect(groups.size).toBe(3);
    expect(groups.groupCount).toBe(2);
    const [group] = groups.values();
    expect([...group!.subscribers]).toEqual([a, b]);
    expect(group!.filter.match({ symbol: 'B' })).toBe(true);
    expect(group!.filter.match({ symbol: 'C' })).toBe(false);
  });

  it('drops a group with its last subscriber, so a later filter with the key starts a new one', () => {
    const groups = new SubscriberGroups<Row>();
    const counters = createCounters();
    const first = bySymbols(['A']);
    const a = new Subscriber<Row>({ maxQueue: 10, counters });
    const b = new Subscriber<Row>({ maxQueue: 10, counters });
    groups.add(first, a);
    groups.add(bySymbols(['A']), b);
    groups.delete(first, a);
    expect(groups.groupCount).toBe(1);
    groups.delete(first, b);
    expect(groups.groupCount).toBe(0);
    expect(groups.size).toBe(0);

    const again = bySymbols(['A']);
    expect(groups.add(again, a)).toBe(again);
  });

  it('ignores removing a subscriber that is not in the group', () => {
    const groups = new SubscriberGroups<Row>();
    const counters = createCounters();
    const filter = bySymbols(['A']);
    groups.add(filter, new Subscriber<Row>({ maxQueue: 10, counters }));
    groups.delete(filter, new Subscriber<Row>({ maxQueue: 10, counters }));
    expect(groups.size).toBe(1);
  });
});
