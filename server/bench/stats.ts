/** Latencies in whole milliseconds, counted per value; cheap to merge across processes. */
export class Histogram {
  private readonly counts = new Map<number, number>();
  count = 0;
  max = 0;

  add(ms: number, times = 1): void {
    const bucket = Math.max(0, Math.round(ms));
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + times);
    this.count += times;
    if (bucket > this.max) this.max = bucket;
  }

  /** Pairs of [ms, count], for sending over IPC. */
  toPairs(): Array<[number, number]> {
    return [...this.counts];
  }

  merge(pairs: Iterable<readonly [number, number]>): this {
    for (const [ms, times] of pairs) this.add(ms, times);
    return this;
  }

  /** The smallest value with at least `p` percent of samples at or below it; NaN when empty. */
  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (const ms of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(ms)!;
      if (seen >= rank) return ms;
    }
    return this.max;
  }

  /** How many samples are above `ms`. */
  above(ms: number): number {
    let n = 0;
    for (const [value, times] of this.counts) if (value > ms) n += times;
    return n;
  }
}

/** The median of some numbers (the mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}

/** a / b, or NaN when either is missing or b is zero. */
export function ratio(a: number | undefined, b: number | undefined): number {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return Number.NaN;
  return a / b;
}
