import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { candleIntervalMs, candleIntervals, type Candle, type CandleInterval } from '../../shared/schema/candles';
import { applyTick, volumeIncrement } from './candle-math';

/**
 * A fixed seed, so a run is the same everywhere; FC_SEED=<seed> (and FC_PATH=<path>, both printed
 * on failure) replays another.
 */
const fcParams = {
  numRuns: 200,
  seed: process.env.FC_SEED === undefined ? 20261201 : Number(process.env.FC_SEED),
  ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
};

interface RawTick {
  price: number;
  /** Cumulative volume, as a price tick carries it. */
  volume: number;
  ts: number;
}

/** The bars as the desk keeps them: each committed tick folded into the open bar, one at a time. */
function maintained(ticks: RawTick[], interval: CandleInterval): Candle[] {
  const bars: Candle[] = [];
  let open: Candle | undefined;
  let previousVolume: number | undefined;
  for (const tick of ticks) {
    const next = applyTick(open, 'T', interval, { price: tick.price, qty: volumeIncrement(tick.volume, previousVolume), ts: tick.ts });
    if (open && next.openTime !== open.openTime) bars.push(open);
    open = next;
    previousVolume = tick.volume;
  }
  if (open) bars.push(open);
  return bars;
}

/**
 * The same bars recomputed from the whole list at once: ticks grouped by the bar they fall in,
 * where a tick stamped before the newest bar seen so far belongs to that bar.
 */
function recomputed(ticks: RawTick[], interval: CandleInterval): Candle[] {
  const ms = candleIntervalMs[interval];
  const groups = new Map<number, Array<{ price: number; qty: number }>>();
  let newest = Number.NEGATIVE_INFINITY;
  ticks.forEach((tick, i) => {
    newest = Math.max(newest, Math.floor(tick.ts / ms) * ms);
    const qty = Math.max(0, tick.volume - (i === 0 ? 0 : ticks[i - 1]!.volume));
    const group = groups.get(newest) ?? groups.set(newest, []).get(newest)!;
    group.push({ price: tick.price, qty });
  });
  return [...groups].map(([openTime, group]) => ({
    symbol: 'T',
    interval,
    openTime,
    open: group[0]!.price,
    high: Math.max(...group.map((g) => g.price)),
    low: Math.min(...group.map((g) => g.price)),
    close: group.at(-1)!.price,
    volume: group.reduce((sum, g) => sum + g.qty, 0),
    ticks: group.length,
  }));
}

// Steps that land inside a bar, just across a boundary, several bars on, or back in time.
const step = fc.oneof(
  fc.integer({ min: 0, max: 400 }),
  fc.integer({ min: 900, max: 1_100 }),
  fc.integer({ min: 59_000, max: 61_000 }),
  fc.integer({ min: 299_000, max: 301_000 }),
  fc.integer({ min: 3_599_000, max: 3_601_000 }),
  fc.integer({ min: -2_000, max: -1 }),
);
const ticksArb = fc
  .tuple(
    fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }),
    fc.array(fc.record({ step, price: fc.double({ min: 0.01, max: 1e6, noNaN: true }), volumeStep: fc.integer({ min: -50, max: 500 }) }), {
      minLength: 1,
      maxLength: 200,
    }),
  )
  .map(([start, moves]) => {
    let ts = start;
    let volume = 0;
    return moves.map((m) => {
      ts += m.step;
      // A negative step stands for a reset of the cumulative volume (a new session).
      volume = m.volumeStep < 0 ? -m.volumeStep : volume + m.volumeStep;
      return { price: m.price, volume, ts };
    });
  });

describe('candles', () => {
  it('folded tick by tick equal a recomputation from the raw ticks, for every interval', () => {
    fc.assert(
      fc.property(ticksArb, (ticks) => {
        for (const interval of candleIntervals) expect(maintained(ticks, interval)).toEqual(recomputed(ticks, interval));
      }),
      fcParams,
    );
  });

  it('open on the interval boundary at or before the tick and never overlap', () => {
    fc.assert(
      fc.property(ticksArb, (ticks) => {
        for (const interval of candleIntervals) {
          const bars = maintained(ticks, interval);
          const ms = candleIntervalMs[interval];
          bars.forEach((bar, i) => {
            expect(bar.openTime % ms).toBe(0);
            if (i > 0) expect(bar.openTime).toBeGreaterThanOrEqual(bars[i - 1]!.openTime + ms);
            expect(bar.low).toBeLessThanOrEqual(Math.min(bar.open, bar.close));
            expect(bar.high).toBeGreaterThanOrEqual(Math.max(bar.open, bar.close));
          });
          expect(bars.reduce((n, b) => n + b.ticks, 0)).toBe(ticks.length);
        }
      }),
      fcParams,
    );
  });

  it('puts a tick exactly on a boundary into the bar that opens there', () => {
    const first = applyTick(undefined, 'T', '1m', { price: 10, qty: 1, ts: 119_999 });
    const next = applyTick(first, 'T', '1m', { price: 11, qty: 2, ts: 120_000 });
    expect(first.openTime).toBe(60_000);
    expect(next).toEqual({ symbol: 'T', interval: '1m', openTime: 120_000, open: 11, high: 11, low: 11, close: 11, volume: 2, ticks: 1 });
  });
});
