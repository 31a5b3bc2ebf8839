import { describe, expect, it } from 'vitest';
import { applyFill } from './trade-math';

describe('applyFill', () => {
  it('opens a long at the fill price', () => {
    expect(applyFill(null, 'buy', 10, 100)).toEqual({ qty: 10, avgPrice: 100, realized: 0, flipped: false });
  });
  it('adds at a volume-weighted average price', () => {
    expect(applyFill({ qty: 10, avgPrice: 100 }, 'buy', 30, 120)).toEqual({ qty: 40, avgPrice: 115, realized: 0, flipped: false });
  });
  it('realizes P&L on a reduce and keeps the average', () => {
    expect(applyFill({ qty: 40, avgPrice: 115 }, 'sell', 10, 125)).toEqual({ qty: 30, avgPrice: 115, realized: 100, flipped: false });
  });
  it('closes to zero', () => {
    expect(applyFill({ qty: 30, avgPrice: 115 }, 'sell', 30, 110)).toEqual({ qty: 0, avgPrice: 0, realized: -150, flipped: false });
  });
  it('flips through zero: realizes the closed part, opens the rest at the fill price', () => {
    expect(applyFill({ qty: 10, avgPrice: 100 }, 'sell', 25, 90)).toEqual({ qty: -15, avgPrice: 90, realized: -100, flipped: true });
  });
  it('realizes short P&L in the short direction', () => {
    expect(applyFill({ qty: -15, avgPrice: 90 }, 'buy', 5, 80)).toEqual({ qty: -10, avgPrice: 90, realized: 50, flipped: false });
  });
  it('keeps cents exact', () => {
    expect(applyFill({ qty: 3, avgPrice: 0.1 }, 'sell', 3, 0.3).realized).toBe(0.6);
  });
});
