import { describe, expect, it } from 'vitest';
import { ByteBudget } from './byte-budget';

describe('ByteBudget', () => {
  it('allows a second of bytes at once, then waits until what was overdrawn has refilled', () => {
    let now = 0;
    const budget = new ByteBudget(1000, () => now);
    expect(budget.allows()).toBe(true);
    budget.spend(600);
    expect(budget.allows()).toBe(true);
    budget.spend(900);
    expect(budget.allows()).toBe(false);
    expect(budget.waitMs()).toBe(501);
    now += 501;
    expect(budget.allows()).toBe(true);
    expect(budget.waitMs()).toBe(0);
  });

  it('never saves up more than a second of bytes', () => {
    let now = 0;
    const budget = new ByteBudget(1000, () => now);
    now += 60_000;
    budget.spend(1500);
    expect(budget.allows()).toBe(false);
  });
});
