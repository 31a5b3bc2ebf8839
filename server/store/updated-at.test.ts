import { describe, expect, it } from 'vitest';
import { withTime } from './updated-at';

describe('withTime', () => {
  const current = { id: 'p', cash: 10, tags: ['a'], updatedAt: 1 };
  it('keeps the current row, time and all, when nothing but the time differs', () => {
    expect(withTime({ id: 'p', cash: 10, tags: ['a'], updatedAt: 5 }, current, 5)).toBe(current);
  });
  it('stamps the time when anything else differs, or there is no current row', () => {
    expect(withTime({ id: 'p', cash: 11, tags: ['a'], updatedAt: 0 }, current, 5)).toEqual({ id: 'p', cash: 11, tags: ['a'], updatedAt: 5 });
    expect(withTime({ id: 'p', cash: 10, tags: ['b'], updatedAt: 0 }, current, 5).updatedAt).toBe(5);
    // A key one has and the other lacks is a difference, even with as many keys.
    expect(withTime({ id: 'p', cash: 10, other: ['a'], updatedAt: 0 } as never, current, 5)).not.toBe(current);
    expect(withTime({ id: 'p', cash: 10, tags: ['a'], updatedAt: 0 }, undefined, 5).updatedAt).toBe(5);
  });
});
