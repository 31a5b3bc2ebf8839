import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EquitySample } from '../../shared/equity-math';
import { equityResolutionMs, equityResolutions, type EquityPoint, type EquityResolution } from '../../shared/schema/equity';
import type { Portfolio } from '../../shared/schema/market';
import { createDesk } from '../store/desk';
import { EquityArchive, type EquityRetention } from './equity-archive';
import { openDatabase } from './open-database';

/** A fixed seed, so a run is the same everywhere; FC_SEED=<seed> (and FC_PATH=<path>, printed on failure) replays another. */
const fcParams = {
  numRuns: 100,
  seed: process.env.FC_SEED === undefined ? 20261201 : Number(process.env.FC_SEED),
  ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
};

const HOUR = 3600_000;

/**
 * The buckets recomputed from the whole list of samples at once: grouped by the bucket each falls
 * in, where a sample stamped before the newest bucket seen so far belongs to that bucket; equity's
 * first, highest, lowest and last value, the other figures of the last sample. Then the buckets
 * that started before `cutoff` (the retention's) are left out.
 */
function recomputed(samples: EquitySample[], resolution: EquityResolution, cutoff = Number.NEGATIVE_INFINITY): EquityPoint[] {
  const ms = equityResolutionMs[resolution];
  const groups = new Map<number, EquitySample[]>();
  let newest = Number.NEGATIVE_INFINITY;
  for (const sample of samples) {
    newest = Math.max(newest, Math.floor(sample.ts / ms) * ms);
    (groups.get(newest) ?? groups.set(newest, []).get(newest)!).push(sample);
  }
  return [...groups]
    .filter(([ts]) => ts >= cutoff)
    .map(([ts, group]) => {
      const last = group.at(-1)!;
      return {
        ts,
        open: group[0]!.equity,
        high: Math.max(...group.map((s) => s.equity)),
        low: Math.min(...group.map((s) => s.equity)),
        equity: last.equity,
        cash: last.cash,
        realizedPnl: last.realizedPnl,
        unrealizedPnl: last.unrealizedPnl,
        samples: group.length,
      };
    });
}

// Steps within a second, across a second, a minute or an hour, several hours on, or back in time.
const step = fc.oneof(
  fc.integer({ min: 0, max: 400 }),
  fc.integer({ min: 900, max: 1_100 }),
  fc.integer({ min: 59_000, max: 61_000 }),
  fc.integer({ min: 3_599_000, max: 3_601_000 }),
  fc.integer({ min: 2 * HOUR, max: 30 * HOUR }),
  fc.integer({ min: -2_000, max: -1 }),
);
// SQLite keeps no negative zero; the desk's money (cents) never needs one.
const money = fc.double({ min: -1e7, max: 1e7, noNaN: true }).map((v) => v + 0);
const samplesArb = fc
  .tuple(
    fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }),
    fc.array(fc.record({ step, equity: money, cash: money, realizedPnl: money, unrealizedPnl: money }), { minLength: 1, maxLength: 150 }),
  )
  .map(([start, moves]) => {
    let ts = start;
    return moves.map(({ step: by, ...figures }) => ({ ts: (ts += by), ...figures }));
  });
const retentionArb = fc.record({
  '1s': fc.constantFrom(0, 5_000, HOUR),
  '1m': fc.constantFrom(0, 10 * 60_000, 7 * 24 * HOUR),
  '1h': fc.constantFrom(0, 24 * HOUR),
});

const figuresOf = (p: Portfolio) => ({ equity: p.equity, cash: p.cash, realizedPnl: p.realizedPnl, unrealizedPnl: p.unrealizedPnl });

/** Every bucket of `resolution` the archive holds, oldest first. */
const stored = (archive: EquityArchive, resolution: EquityResolution) => archive.range(resolution, 0, Number.MAX_SAFE_INTEGER, 1_000_000);

describe('the equity archive', () => {
  it('keeps, at every resolution, the buckets a recomputation from the raw samples gives, and after pruning by age exactly those within retention', () => {
    fc.assert(
      fc.property(samplesArb, retentionArb, fc.integer({ min: 0, max: 40 * HOUR }), (samples, retention: EquityRetention, pruneAfter) => {
        const db = openDatabase(':memory:');
        try {
          const archive = new EquityArchive(db, retention);
          for (const sample of samples) archive.add([sample]);
          for (const resolution of equityResolutions) expect(stored(archive, resolution)).toEqual(recomputed(samples, resolution));

          const now = Math.max(...samples.map((s) => s.ts)) + pruneAfter;
          while (archive.prune(now) > 0);
          for (const resolution of equityResolutions) {
            const keep = retention[resolution];
            expect(stored(archive, resolution)).toEqual(recomputed(samples, resolution, keep === 0 ? undefined : now - keep));
          }
        } finally {
          db.close();
        }
      }),
      fcParams,
    );
  });

  it('folds samples written in batches of any size (a transaction\'s, folded in memory first) into the buckets they make one at a time', () => {
    fc.assert(
      fc.property(samplesArb, fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }), (samples, sizes) => {
        const db = openDatabase(':memory:');
        try {
          const archive = new EquityArchive(db);
          for (let i = 0, n = 0; i < samples.length; n++) {
            const size = sizes[n % sizes.length]!;
            archive.add(samples.slice(i, i + size));
            i += size;
          }
          for (const resolution of equityResolutions) expect(stored(archive, resolution)).toEqual(recomputed(samples, resolution));
        } finally {
          db.close();
        }
      }),
      fcParams,
    );
  });

  it('goes on with the same buckets after the database is opened again, a sample stamped back in time included', () => {
    const samples = [
      { ts: 10_500, equity: 100, cash: 1, realizedPnl: 0, unrealizedPnl: 0 },
      { ts: 10_900, equity: 90, cash: 2, realizedPnl: 1, unrealizedPnl: -10 },
    ];
    const later = [
      { ts: 9_000, equity: 120, cash: 3, realizedPnl: 2, unrealizedPnl: 20 },
      { ts: 61_000, equity: 80, cash: 4, realizedPnl: 3, unrealizedPnl: -20 },
    ];
    const db = openDatabase(':memory:');
    new EquityArchive(db).add([samples[0]!]);
    new EquityArchive(db).add([samples[1]!]);
    const reopened = new EquityArchive(db);
    reopened.add(later);
    for (const resolution of equityResolutions) expect(stored(reopened, resolution)).toEqual(recomputed([...samples, ...later], resolution));
    db.close();
  });

  it("samples the portfolio as the journal writes it: every second's last value is each bucket's close, nothing is written per tick", () => {
    const t0 = Date.UTC(2026, 11, 1, 9, 0, 0);
    let now = t0;
    const desk = createDesk({ journal: { path: ':memory:' }, market: { now: () => now } });
    desk.market.executeTrade({ symbol: 'EQ', side: 'buy', qty: 10, price: 100 });
    const committed: EquitySample[] = [];
    let flushes = 0;
    // Ticks every 150 ms for 5 minutes, with batches written at uneven times (as a timer under load would).
    for (let i = 1; i <= 2_000; i++) {
      now = t0 + i * 150;
      desk.hub.commit((tx) => desk.market.writeTick(tx, 'EQ', 100 + ((i * 37) % 23) - 11));
      committed.push({ ts: now, ...figuresOf(desk.topics.portfolio.get('portfolio')!) });
      if (i % 7 === 0 || i % 11 === 0) {
        desk.journal!.flushLatest();
        flushes++;
      }
    }
    desk.journal!.flushLatest();
    // A tick of the held symbol is a commit written at once (its position row); its sample waits for the batch.
    const sampled = () => desk.journal!.db.prepare<[], { n: number }>("SELECT sum(samples) AS n FROM equity WHERE resolution = '1h'").get()!.n;
    const before = sampled();
    now += 150;
    desk.hub.commit((tx) => desk.market.writeTick(tx, 'EQ', 150));
    expect(sampled()).toBe(before);
    committed.push({ ts: now, ...figuresOf(desk.topics.portfolio.get('portfolio')!) });
    desk.journal!.flushLatest();
    expect(sampled()).toBe(before + 1);
    const read = (resolution: EquityResolution) => desk.equityHistory({ resolution, from: t0, limit: 2000 }).points;
    for (const resolution of equityResolutions) {
      const all = recomputed(committed, resolution);
      const points = read(resolution).filter((p) => p.ts >= all[0]!.ts);
      expect(points.map((p) => [p.ts, p.equity, p.cash, p.realizedPnl, p.unrealizedPnl])).toEqual(
        all.map((p) => [p.ts, p.equity, p.cash, p.realizedPnl, p.unrealizedPnl]),
      );
      for (const [i, point] of points.entries()) {
        expect(point.high).toBeLessThanOrEqual(all[i]!.high);
        expect(point.low).toBeGreaterThanOrEqual(all[i]!.low);
      }
      // Fewer samples than ticks: a batch holds the last value of each second it spans, not every tick.
      expect(points.reduce((n, p) => n + p.samples, 0)).toBeLessThan(committed.length);
    }
    expect(flushes).toBeGreaterThan(100);
    desk.journal!.close();
  });
});
