import { describe, expect, it } from 'vitest';
import { structuralEqual } from './change-detector';

describe('structuralEqual', () => {
  it('treats objects whose keys were only reordered as equal', () => {
    expect(structuralEqual({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
  });
  it('sees a changed nested value', () => {
    expect(structuralEqual({ a: { b: 1 } }, { a: { b: 2 } })).toBe(false);
  });
  it('sees an added or removed key, but ignores keys set to undefined', () => {
    expect(structuralEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(structuralEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
  });
  it('compares arrays by position and length', () => {
    expect(structuralEqual([1, 2], [2, 1])).toBe(false);
    expect(structuralEqual([1], [1, 1])).toBe(false);
    expect(structuralEqual([], {})).toBe(false);
  });
  it('distinguishes null from an object and NaN from a number', () => {
    expect(structuralEqual(null, {})).toBe(false);
    expect(structuralEqual(Number.NaN, Number.NaN)).toBe(true);
    expect(structuralEqual(0, -0)).toBe(false);
  });
});
