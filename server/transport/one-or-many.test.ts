import { describe, expect, it } from 'vitest';
import { OneOrMany } from './one-or-many';

describe('OneOrMany', () => {
  it('holds one entry, then many, like a Map', () => {
    const m = new OneOrMany<number | string, string>();
    expect(m.size).toBe(0);
    expect(m.get(1)).toBeUndefined();
    m.set(1, 'a');
    expect([m.get(1), m.has(1), m.has('1'), m.size]).toEqual(['a', true, false, 1]);
    m.set(1, 'b');
    expect([m.get(1), m.size]).toEqual(['b', 1]);
    m.set('x', 'c');
    m.set(3, 'd');
    expect([m.get(1), m.get('x'), m.get(3), m.size]).toEqual(['b', 'c', 'd', 3]);
    expect(m.values()).toEqual(['b', 'c', 'd']);
    expect(m.delete('x')).toBe(true);
    expect(m.delete('x')).toBe(false);
    expect([m.has('x'), m.size, m.values()]).toEqual([false, 2, ['b', 'd']]);
  });

  it('forgets its single entry on delete, and deletes only the key it holds', () => {
    const m = new OneOrMany<number, string>();
    m.set(7, 'a');
    expect(m.delete(8)).toBe(false);
    expect(m.delete(7)).toBe(true);
    expect([m.size, m.get(7), m.has(7), m.values()]).toEqual([0, undefined, false, []]);
    m.set(8, 'b');
    expect([m.get(8), m.size]).toEqual(['b', 1]);
  });

  it('gives values as a snapshot that survives deletes while iterating', () => {
    const m = new OneOrMany<number, number>();
    for (const k of [1, 2, 3]) m.set(k, k * 10);
    const seen: number[] = [];
    for (const v of m.values()) {
      seen.push(v);
      m.delete(v / 10);
    }
    expect(seen).toEqual([10, 20, 30]);
    expect(m.size).toBe(0);
  });
});
