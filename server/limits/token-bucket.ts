/**
 * A token bucket: `burst` tokens at most, refilled at `perSecond`. `take()` spends one and says
 * whether there was one to spend; `spend(n)` spends n whatever is left, leaving a debt (down to
 * `-burst`) that the refill pays back before `waitMs()` says go again.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }

  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** True when a token is there now, without spending it. */
  available(): boolean {
    this.refill();
    return this.tokens >= 1;
  }

  /** Spends `n` tokens even past zero: work already accepted is paid for by waiting afterwards. */
  spend(n: number): void {
    this.refill();
    this.tokens = Math.max(-this.burst, this.tokens - n);
  }

  /** Milliseconds until a token is there; 0 when one is there now. */
  waitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }
}
