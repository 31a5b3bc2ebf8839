import { describe, expect, it } from 'vitest';
import { sparklinePoints } from './sparkline-path';

describe('sparklinePoints', () => {
  it('scales values into the box with the highest value at the top', () => {
    expect(sparklinePoints([1, 3, 2], 10, 10, 0)).toBe('0,10 5,0 10,5');
  });

  it('draws a flat series across the middle and nothing for no values', () => {
    expect(sparklinePoints([4, 4], 10, 10, 0)).toBe('0,5 10,5');
    expect(sparklinePoints([], 10, 10)).toBe('');
  });
});
