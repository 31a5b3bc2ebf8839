import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a burst, then refills at the set rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 3, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now = 100; // one token back
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    now = 10_000; // never more than the burst
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });

  it('lets work already accepted run into debt, paid back by waiting', () => {
    let now = 0;
    const bucket = new TokenBucket(100, 10, () => now);
    bucket.spend(15); // 5 in debt
    expect(bucket.available()).toBe(false);
    expect(bucket.waitMs()).toBe(60); // 6 tokens at 100/s
    now = 60;
    expect(bucket.waitMs()).toBe(0);
    expect(bucket.take()).toBe(true);
  });

  it('never owes more than one burst', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 5, () => now);
    bucket.spend(1_000_000);
    expect(bucket.waitMs()).toBe(600); // from -5 back to 1
  });
});
