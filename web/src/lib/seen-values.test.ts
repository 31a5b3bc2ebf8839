import { describe, expect, it } from 'vitest';
import { mergeSeen } from './seen-values';

const pick = (row: { type: string }) => row.type;

describe('mergeSeen', () => {
  it('adds new values, sorted, and keeps the array when nothing is new', () => {
    const first = mergeSeen([], [{ type: 'note' }, { type: 'fill' }, { type: 'note' }], pick, 10);
    expect(first).toEqual(['fill', 'note']);
    expect(mergeSeen(first, [{ type: 'note' }], pick, 10)).toBe(first);
  });

  it('stops at max values', () => {
    expect(mergeSeen(['a'], [{ type: 'b' }, { type: 'c' }, { type: 'd' }], pick, 2)).toEqual(['a', 'b']);
  });
});
