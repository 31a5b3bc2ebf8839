import { sleep } from '../hub/stream';

/**
 * A connection's bandwidth budget: `bytesPerSecond`, with a second's worth as the burst. Frames
 * are never split, so one frame may overdraw it; then what can wait is `hold`-ed and handed back
 * to its owner once the budget has refilled past zero (`waitMs`), or waits itself (`wait`). Each
 * hold or wait counts in `counters.budgetHolds`.
 */
export class ByteBudget<T = never> {
  private tokens: number;
  private at: number;
  private held: T[] | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly bytesPerSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly counters: { budgetHolds: number } | null = null,
  ) {
    this.tokens = bytesPerSecond;
    this.at = now();
  }

  /** True when there is budget left now. */
  allows(): boolean {
    this.refill();
    return this.tokens > 0;
  }

  spend(bytes: number): void {
    this.refill();
    this.tokens -= bytes;
  }

  /** How long until there is budget again (0: there is now), ms. */
  waitMs(): number {
    this.refill();
    return this.tokens > 0 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.bytesPerSecond);
  }

  /** Keeps `item` until the budget allows again, then hands everything held to `owner.requeue`. */
  hold(item: T, owner: { requeue(items: T[]): void }): void {
    if (this.counters !== null) this.counters.budgetHolds++;
    (this.held ??= []).push(item);
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const held = this.held;
      this.held = null;
      if (held !== null) owner.requeue(held);
    }, this.waitMs());
  }

  /** Resolves once the budget allows again (at once when it does, or when `signal` aborts). */
  async wait(signal?: AbortSignal): Promise<void> {
    while (!this.allows() && !signal?.aborted) {
      if (this.counters !== null) this.counters.budgetHolds++;
      await sleep(this.waitMs(), signal);
    }
  }

  /** Drops what is held (the connection closed). */
  close(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.held = null;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.bytesPerSecond, this.tokens + ((now - this.at) * this.bytesPerSecond) / 1000);
    this.at = now;
  }
}
