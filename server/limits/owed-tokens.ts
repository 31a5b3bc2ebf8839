/**
 * A token bucket kept as two small integers in its owner's fields instead of an object of its own
 * (~100 bytes with its two heap numbers): how many milli-tokens it is below full (`owed`), and
 * when that was brought up to date (`at`, whole milliseconds of `clockMs()`). A full bucket owes 0,
 * and a bucket refills `perSecond` milli-tokens per millisecond. Same rules as `TokenBucket`: at
 * most `burst` tokens, and a debt down to `-burst` that the refill pays back before it says go.
 */

/** Milliseconds since the process started, whole: a small integer for the first 24 days. */
export function clockMs(): number {
  return Math.floor(performance.now());
}

/** What is still owed after `elapsedMs` of refill. */
export function refilled(owed: number, elapsedMs: number, perSecond: number): number {
  return owed <= 0 || elapsedMs <= 0 ? owed : Math.max(0, owed - elapsedMs * perSecond);
}

/** What is owed once `n` more tokens are spent (never more than two bursts: a full one and a debt of one). */
export function spent(owed: number, n: number, burst: number): number {
  return Math.min(2 * burst * 1000, owed + n * 1000);
}

/** Milliseconds until a token is there; 0 when one is there now. */
export function waitMs(owed: number, burst: number, perSecond: number): number {
  const short = owed - (burst - 1) * 1000;
  return short <= 0 ? 0 : Math.ceil(short / perSecond);
}
