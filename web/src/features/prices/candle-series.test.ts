import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Candle, CandlesPage } from '../../../../shared/index';
import type { Fill } from './candle-bars';
import { emptySeries, latestBefore, withLiveBar, withPage, type CandleSeries, type PageKind, type Step } from './candle-series';

const MS = 1_000;

/** The desk's bars after `ticks` (times in ms, prices), built as the server builds them. */
function barsOf(ticks: ReadonlyArray<[number, number]>): Candle[] {
  const bars: Candle[] = [];
  for (const [ts, price] of ticks) {
    const openTime = Math.floor(ts / MS) * MS;
    const last = bars[bars.length - 1];
    if (last && last.openTime === openTime) {
      bars[bars.length - 1] = { ...last, high: Math.max(last.high, price), low: Math.min(last.low, price), close: price, volume: last.volume + 1, ticks: last.ticks + 1 };
    } else bars.push({ symbol: 'X', interval: '1s', openTime, open: price, high: price, low: price, close: price, volume: 1, ticks: 1 });
  }
  return bars;
}

/** `market.candles` over `bars`: the newest `limit` that opened before `before`. */
function pageOf(bars: readonly Candle[], before: number | undefined, limit: number): CandlesPage {
  const below = bars.filter((b) => before === undefined || b.openTime < before);
  const candles = below.slice(-limit);
  return { candles, nextBefore: below.length > limit ? candles[0]!.openTime : null };
}

interface Request {
  kind: PageKind;
  before: number | undefined;
  limit: number;
}

const requestOf = (fill: Fill | null, pageSize: number): Request | null => {
  if (fill?.kind === 'range') return { kind: 'fill', before: fill.before, limit: fill.limit };
  if (fill?.kind === 'page') return { kind: 'older', before: fill.before, limit: pageSize };
  return null;
};

describe('a chart series fed by pages and a conflating live stream', () => {
  it('ends with exactly the desk\'s bars: none missing, none repeated, none stale', () => {
    // Ops: a tick on the desk, the stream sending the open bar (or not: conflation), the desk
    // answering a waiting request, the page receiving an answer or a live message, asking for older.
    const op = fc.constantFrom('tick', 'tick', 'tick', 'send', 'serve', 'deliver', 'live', 'older');
    fc.assert(
      fc.property(fc.array(op, { minLength: 5, maxLength: 120 }), fc.array(fc.integer({ min: 1, max: 1_700 }), { minLength: 120, maxLength: 120 }), fc.integer({ min: 1, max: 6 }), (ops, gaps, pageSize) => {
        const ticks: Array<[number, number]> = [];
        let now = 0;
        let series: CandleSeries = emptySeries;
        const waiting: Request[] = [{ kind: 'latest', before: undefined, limit: pageSize }];
        const answers: Array<{ request: Request; page: CandlesPage }> = [];
        const stream: Candle[] = [];
        const apply = (step: Step) => {
          series = step.series;
          const request = requestOf(step.fill, pageSize);
          if (request) waiting.push(request);
          expect(step.fill?.kind).not.toBe('reload');
        };
        const serve = () => {
          const request = waiting.shift()!;
          answers.push({ request, page: pageOf(barsOf(ticks), request.before, request.limit) });
        };
        const deliver = () => {
          const { request, page } = answers.shift()!;
          apply(withPage(series, request.kind, page, MS));
        };
        ops.forEach((o, i) => {
          if (o === 'tick') {
            now += gaps[i]!;
            ticks.push([now, 100 + (i % 17)]);
          } else if (o === 'send' && ticks.length > 0) stream.push(barsOf(ticks).at(-1)!);
          else if (o === 'serve' && waiting.length > 0) serve();
          else if (o === 'deliver' && answers.length > 0) deliver();
          else if (o === 'live' && stream.length > 0) apply(withLiveBar(series, stream.shift()!, MS));
          else if (o === 'older' && typeof series.older === 'number') waiting.push({ kind: 'older', before: series.older, limit: pageSize });
        });
        // The stream ends on the newest value of the open bar; every request is answered.
        if (ticks.length > 0) stream.push(barsOf(ticks).at(-1)!);
        while (stream.length > 0 || waiting.length > 0 || answers.length > 0) {
          if (stream.length > 0) apply(withLiveBar(series, stream.shift()!, MS));
          else if (waiting.length > 0) serve();
          else deliver();
        }
        // Scrolling back to the start.
        while (typeof series.older === 'number') {
          waiting.push({ kind: 'older', before: series.older, limit: pageSize });
          serve();
          deliver();
        }
        expect(series.older).toBeNull();
        expect(series.bars).toEqual(barsOf(ticks));
      }),
      { numRuns: 100, seed: 15 },
    );
  });

  it('says where the next older page starts once the newest page arrived, and that there is none at the start', () => {
    const bars = barsOf([[0, 1], [1_000, 2], [2_000, 3]]);
    const first = withPage(emptySeries, 'latest', pageOf(bars, undefined, 2), MS).series;
    expect(first.older).toBe(1_000);
    const second = withPage(first, 'older', pageOf(bars, 1_000, 2), MS).series;
    expect(second.older).toBeNull();
    expect(second.bars.map((b) => b.openTime)).toEqual([0, 1_000, 2_000]);
  });
});

describe('the newest page as of a replayed moment', () => {
  it('stops before the bar open at the moment, so only bars closed by then come from the page; live has no bound', () => {
    expect(latestBefore(undefined, 60_000)).toBeUndefined();
    expect(latestBefore(125_000, 60_000)).toBe(120_000);
    expect(latestBefore(120_000, 60_000)).toBe(120_000);
    expect(latestBefore(1_999, 1_000)).toBe(1_000);
  });
});
