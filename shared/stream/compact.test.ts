import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addStep, applyCompactPatch, compactPatch, stepOf } from './compact';

/** Numbers as the desk's rows have them: prices and money to 8 decimals, times in ms, any double. */
const numberArb = fc.oneof(
  fc.integer({ min: -1e14, max: 1e14 }).map((n) => n / 1e8),
  fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
  fc.integer({ min: -1000, max: 1000 }).map((n) => n / 100),
  fc.double({ noNaN: true }),
);

describe('compact patches', () => {
  it('step a number exactly: adding the step gives back the very number, or no step is offered', () => {
    fc.assert(
      fc.property(numberArb, numberArb, (held, next) => {
        const step = stepOf(held, next);
        if (step !== null) {
          expect(Object.is(addStep(held, step), next)).toBe(true);
          expect(String(step).length).toBeLessThan(String(next).length);
        }
      }),
      { numRuns: 2000, seed: 17 },
    );
  });

  it('offers the step between nearby prices and times, and not for exponent forms or infinities', () => {
    expect(stepOf(1001177.29563282, 1001177.61702837)).toBe(0.32139555);
    expect(stepOf(1796144790410, 1796144790535)).toBe(125);
    expect(stepOf(1e-7, 2e-7)).toBeNull();
    expect(stepOf(1, Number.POSITIVE_INFINITY)).toBeNull();
    expect(stepOf(0.1, 0.3)).toBeNull(); // the step 0.2 is no shorter than 0.3
  });

  it('move fields that step alike exactly, the repeated steps written as 0', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e14, max: 1e14 }), { minLength: 2, maxLength: 5 }), fc.integer({ min: -1e9, max: 1e9 }).filter((n) => n !== 0), (scaled, step) => {
        const held = Object.fromEntries(scaled.map((n, i) => [`f${i}`, n / 1e8]));
        const set = Object.fromEntries(scaled.map((n, i) => [`f${i}`, (n + step) / 1e8]));
        const patch = compactPatch('k', held, set);
        expect(applyCompactPatch(held, patch)).toEqual(set);
      }),
      { numRuns: 300, seed: 17 },
    );
  });

  it('write a step the patch already made as 0, and apply it again', () => {
    const held = { equity: 1001177.29563282, dayPnl: 1177.29563282, cash: 7 };
    const set = { equity: 1001177.61702837, dayPnl: 1177.61702837, cash: 8 };
    const patch = compactPatch('portfolio', held, set);
    expect(patch).toEqual(['portfolio', ~2, 0.32139555, ~1, 0, 0, 8]);
    expect(applyCompactPatch(held, patch)).toEqual(set);
  });

  it('applied to the held row give the row with the changed fields set', () => {
    const fieldArb = fc.constantFrom('a', 'b', 'c', 'zed', 'new');
    const valueArb = fc.oneof(numberArb, fc.string({ maxLength: 3 }), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }));
    fc.assert(
      fc.property(fc.dictionary(fieldArb, valueArb, { minKeys: 1 }), fc.dictionary(fieldArb, valueArb), (held, set) => {
        const changed = Object.fromEntries(Object.entries(set).filter(([name, value]) => !Object.is(held[name], value)));
        const patch = compactPatch('k', held, changed);
        expect(patch[0]).toBe('k');
        expect(applyCompactPatch(held, patch)).toEqual({ ...held, ...changed });
      }),
      { numRuns: 500, seed: 17 },
    );
  });

  it('name fields by their place among the held row\'s sorted names, numbers by step', () => {
    const held = { updatedAt: 1796144790410, equity: 1001177.29563282, cash: 5, note: 'a' };
    const patch = compactPatch('portfolio', held, { equity: 1001177.61702837, updatedAt: 1796144790535, note: 'b' });
    // Sorted: cash 0, equity 1, note 2, updatedAt 3; a step is written under ~index.
    expect(patch).toEqual(['portfolio', ~1, 0.32139555, ~3, 125, 2, 'b']);
    expect(applyCompactPatch(held, patch)).toEqual({ ...held, equity: 1001177.61702837, updatedAt: 1796144790535, note: 'b' });
  });
});
