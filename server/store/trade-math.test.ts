import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { applyFill, money } from './trade-math';

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

describe('money', () => {
  it('never gives -0, which JSON would read back as 0', () => {
    expect(Object.is(money(-1e-9), 0)).toBe(true);
    expect(Object.is(money(-0), 0)).toBe(true);
  });
});

const side = fc.constantFrom('buy' as const, 'sell' as const);
const qty = fc.integer({ min: 1, max: 1_000 });
const price = fc.double({ min: 0.01, max: 10_000, noNaN: true });

/** What a snapshot, the journal and the wire do to a value: it must come back identical. */
const sameAfterJson = (value: object) =>
  Object.entries(JSON.parse(JSON.stringify(value)) as Record<string, unknown>).every(([key, back]) => Object.is(back, (value as Record<string, unknown>)[key]));

describe('applyFill across JSON', () => {
  test.prop([fc.array(fc.tuple(side, qty, price), { minLength: 1, maxLength: 30 })], { seed: 20261201, numRuns: 300 })(
    'a sequence of fills gives positions and realized P&L that read back from JSON unchanged',
    (fills) => {
      let holding: { qty: number; avgPrice: number } | null = null;
      for (const [s, q, p] of fills) {
        const next = applyFill(holding, s, q, money(p));
        expect(sameAfterJson(next)).toBe(true);
        holding = { qty: next.qty, avgPrice: next.avgPrice };
      }
    },
  );
});

describe('fractional fills', () => {
  it('add up to the quantity written, not a float sum beside it', () => {
    let holding: { qty: number; avgPrice: number } | null = null;
    for (const qty of [0.0849, 0.0024, 0.1, 0.2]) holding = applyFill(holding, 'buy', qty, 61_000);
    expect(holding!.qty).toBe(0.3873);
    expect(applyFill({ qty: 0.1, avgPrice: 10 }, 'buy', 0.2, 10).qty).toBe(0.3);
  });
});
