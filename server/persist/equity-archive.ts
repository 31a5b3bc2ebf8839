import type Database from 'better-sqlite3';
import { bucketStart, type EquitySample } from '../../shared/equity-math';
import { equityResolutions, type EquityPoint, type EquityResolution } from '../../shared/schema/equity';
import type { Portfolio } from '../../shared/schema/market';
import type { LatestHistory } from './journal';

/** How long buckets of each resolution are kept, ms (0: for ever). */
export type EquityRetention = Record<EquityResolution, number>;

/** @default 1 s buckets an hour, 1 m buckets a week, 1 h buckets for ever */
export const defaultEquityRetention: EquityRetention = { '1s': 3600_000, '1m': 7 * 24 * 3600_000, '1h': 0 };

/** Buckets one pruning step deletes at most per resolution, so a step stays a few milliseconds. */
const PRUNE_BATCH = 1_000;

interface PointRow {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  cash: number;
  realized_pnl: number;
  unrealized_pnl: number;
  samples: number;
}

const toPoint = (row: PointRow): EquityPoint => ({
  ts: row.ts,
  open: row.open,
  high: row.high,
  low: row.low,
  equity: row.close,
  cash: row.cash,
  realizedPnl: row.realized_pnl,
  unrealizedPnl: row.unrealized_pnl,
  samples: row.samples,
});

/**
 * The portfolio's history, in buckets of 1 s, 1 m and 1 h (the `equity` table), each kept for its
 * own retention: downsampled by age. It is the portfolio topic's `LatestHistory`: the journal
 * hands it the portfolio each time it writes its latest values (every 100 ms while they change,
 * and with every mutation), in the same transaction, so nothing is written per tick, and the last
 * value of every second is among them (values wait per second, see `slotOf`). Each value is folded
 * into the three buckets it falls in by the same rule as `addSample`.
 */
export class EquityArchive implements LatestHistory {
  private readonly sql;
  /** The newest bucket start written: a sample stamped before it joins the newest buckets. */
  private newest: number;

  constructor(
    db: Database.Database,
    readonly retention: EquityRetention = defaultEquityRetention,
  ) {
    const columns = 'ts, open, high, low, close, cash, realized_pnl, unrealized_pnl, samples';
    this.sql = {
      // Samples of a bucket folded in memory: the first of a bucket opens it; later ones move high,
      // low and the closing values, and add their count.
      fold: db.prepare<[string, number, number, number, number, number, number, number, number, number]>(
        `INSERT INTO equity (resolution, ts, open, high, low, close, cash, realized_pnl, unrealized_pnl, samples)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (resolution, ts) DO UPDATE SET
           high = max(high, excluded.high), low = min(low, excluded.low), close = excluded.close,
           cash = excluded.cash, realized_pnl = excluded.realized_pnl, unrealized_pnl = excluded.unrealized_pnl,
           samples = samples + excluded.samples`,
      ),
      newest: db.prepare<[], { ts: number | null }>('SELECT max(ts) AS ts FROM equity'),
      samples: db.prepare<[string, number, number], { n: number | null }>('SELECT sum(samples) AS n FROM equity WHERE resolution = ? AND ts BETWEEN ? AND ?'),
      count: db.prepare<[string, number, number], { n: number }>('SELECT count(*) AS n FROM equity WHERE resolution = ? AND ts BETWEEN ? AND ?'),
      range: db.prepare<[string, number, number, number], PointRow>(
        `SELECT ${columns} FROM equity WHERE resolution = ? AND ts BETWEEN ? AND ? ORDER BY ts DESC LIMIT ?`,
      ),
      lastBefore: db.prepare<[string, number], PointRow>(`SELECT ${columns} FROM equity WHERE resolution = ? AND ts < ? ORDER BY ts DESC LIMIT 1`),
      firstFrom: db.prepare<[string, number], PointRow>(`SELECT ${columns} FROM equity WHERE resolution = ? AND ts >= ? ORDER BY ts LIMIT 1`),
      prune: db.prepare<[string, number, number]>(
        'DELETE FROM equity WHERE (resolution, ts) IN (SELECT resolution, ts FROM equity WHERE resolution = ? AND ts < ? ORDER BY ts LIMIT ?)',
      ),
    };
    this.newest = this.sql.newest.get()?.ts ?? Number.NEGATIVE_INFINITY;
  }

  /** With the timer's batch and mutations' transactions only: a tick that moves the portfolio writes nothing more. */
  readonly batched = true;
  /** The newest second a value waited in: a value stamped before it (a clock stepped back) waits there too. */
  private newestSlot = Number.NEGATIVE_INFINITY;

  /** Values wait per second: a batch spanning two seconds still holds the last value of each. */
  slotOf(value: unknown): string {
    this.newestSlot = Math.max(this.newestSlot, Math.floor((value as Portfolio).updatedAt / 1000));
    return String(this.newestSlot);
  }

  write(values: readonly unknown[]): void {
    this.add(
      values.map((value) => {
        const p = value as Portfolio;
        return { ts: p.updatedAt, equity: p.equity, cash: p.cash, realizedPnl: p.realizedPnl, unrealizedPnl: p.unrealizedPnl };
      }),
    );
  }

  /**
   * Folds samples, in order, into their bucket of every resolution. Those falling in one bucket are
   * folded in memory first and written in one upsert, which leaves it as the same samples one by
   * one would (a bucket is never folded into again once a later one opened: see `newest`).
   */
  add(samples: readonly EquitySample[]): void {
    const open: Array<EquityPoint | undefined> = [];
    for (const sample of samples) {
      const ts = Math.max(sample.ts, this.newest);
      const { equity, cash, realizedPnl, unrealizedPnl } = sample;
      for (let r = 0; r < equityResolutions.length; r++) {
        const start = bucketStart(ts, equityResolutions[r]!);
        const bucket = open[r];
        if (bucket?.ts !== start) {
          if (bucket) this.fold(r, bucket);
          open[r] = { ts: start, open: equity, high: equity, low: equity, equity, cash, realizedPnl, unrealizedPnl, samples: 1 };
          continue;
        }
        bucket.high = Math.max(bucket.high, equity);
        bucket.low = Math.min(bucket.low, equity);
        bucket.equity = equity;
        bucket.cash = cash;
        bucket.realizedPnl = realizedPnl;
        bucket.unrealizedPnl = unrealizedPnl;
        bucket.samples++;
      }
      this.newest = bucketStart(ts, '1s');
    }
    open.forEach((bucket, r) => bucket && this.fold(r, bucket));
  }

  /** Writes a bucket of resolution `r` (its samples folded), into the stored one if it is there. */
  private fold(r: number, b: EquityPoint): void {
    this.sql.fold.run(equityResolutions[r]!, b.ts, b.open, b.high, b.low, b.equity, b.cash, b.realizedPnl, b.unrealizedPnl, b.samples);
  }

  /** The newest `limit` buckets of `resolution` that start within [from, to], oldest first. */
  range(resolution: EquityResolution, from: number, to: number, limit: number): EquityPoint[] {
    return this.sql.range.all(resolution, from, to, limit).map(toPoint).reverse();
  }

  /** How many buckets of `resolution` start within [from, to]. */
  count(resolution: EquityResolution, from: number, to: number): number {
    return this.sql.count.get(resolution, from, to)!.n;
  }

  /** How many samples the buckets of `resolution` that start within [from, to] hold. */
  samples(resolution: EquityResolution, from: number, to: number): number {
    return this.sql.samples.get(resolution, from, to)?.n ?? 0;
  }

  /**
   * The buckets around `dayStart` of the coarsest resolution that has them (kept longest): the last
   * one before it and the first one from it, for `dayOpenOf`.
   */
  aroundDayStart(dayStart: number): EquityPoint[] {
    for (const resolution of [...equityResolutions].reverse()) {
      const rows = [this.sql.lastBefore.get(resolution, dayStart), this.sql.firstFrom.get(resolution, dayStart)].filter((r) => r !== undefined);
      if (rows.length > 0) return rows.map(toPoint);
    }
    return [];
  }

  /** Deletes buckets past their resolution's retention, a batch per resolution; returns how many. */
  prune(now: number): number {
    let deleted = 0;
    for (const resolution of equityResolutions) {
      const keepMs = this.retention[resolution];
      if (keepMs > 0) deleted += this.sql.prune.run(resolution, now - keepMs, PRUNE_BATCH).changes;
    }
    return deleted;
  }
}
