import { describe, expect, it } from 'vitest';
import { refilled, spent, waitMs } from './owed-tokens';
import { TokenBucket } from './token-bucket';

/** The two small integers of `owed-tokens`, driven like a `TokenBucket`. */
function owedBucket(perSecond: number, burst: number, now: () => number) {
  let owed = 0;
  let at = now();
  const refill = () => {
    owed = refilled(owed, now() - at, perSecond);
    at = now();
  };
  return {
    spend(n: number) {
      refill();
      owed = spent(owed, n, burst);
    },
    waitMs() {
      refill();
      return waitMs(owed, burst, perSecond);
    },
    get owed() {
      return owed;
    },
  };
}

describe('owed tokens', () => {
  it('waits as a TokenBucket does over a seeded run of spends and clock steps (to the millisecond its floating point rounds)', () => {
    let seed = 17;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const [perSecond, burst] of [[1000, 2000], [50, 100], [500, 100], [3, 5]] as const) {
      let now = 1_000;
      const bucket = new TokenBucket(perSecond, burst, () => now);
      const owed = owedBucket(perSecond, burst, () => now);
      for (let i = 0; i < 2_000; i++) {
        const r = random();
        if (r < 0.5) {
          const n = 1 + Math.floor(random() * (r < 0.05 ? 5 * burst : 3));
          bucket.spend(n);
          owed.spend(n);
        } else now += Math.floor(random() * (r < 0.9 ? 3 : 2_000));
        // The bucket's tokens are floats (-991.0000000000001 after a long refill): its wait can round up one more millisecond.
        expect(Math.abs(owed.waitMs() - bucket.waitMs())).toBeLessThanOrEqual(1);
        expect(owed.waitMs() === 0).toBe(bucket.waitMs() === 0);
      }
    }
  });

  it('is full again after the refill time and never owes more than a burst of debt', () => {
    let now = 0;
    const owed = owedBucket(10, 5, () => now);
    owed.spend(1_000_000);
    expect(owed.owed).toBe(10_000);
    expect(owed.waitMs()).toBe(600); // from -5 back to 1
    now = 1_000;
    expect(owed.waitMs()).toBe(0);
    expect(owed.owed).toBe(0);
  });

  it('stays in small integers for whole token counts and whole milliseconds', () => {
    let now = 5;
    const owed = owedBucket(1000, 2000, () => now);
    owed.spend(3);
    now += 1;
    owed.spend(1);
    expect(Number.isInteger(owed.owed)).toBe(true);
    expect(owed.owed).toBe(3_000);
  });
});
