import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Candle, CandlesPage } from '../../../../shared/index';
import type { Fill } from './candle-bars';
import type { BarView } from './bar-window';
import { emptySeries, latestBefore, newerRequest, trimmed, withLiveBar, withPage, type CandleSeries, type PageRequest, type Step } from './candle-series';

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

type Request = PageRequest;

const requestOf = (fill: Fill | null, pageSize: number): Request | null => {
  if (fill?.kind === 'range') return { kind: 'fill', before: fill.before, limit: fill.limit };
  if (fill?.kind === 'page') return { kind: 'older', before: fill.before, limit: pageSize };
  return null;
};

/**
 * A desk and a chart in one test: ticks on the desk, requests waiting for it, its answers and the
 * live stream's bars on their way to the chart. `applied` runs after every step the chart takes.
 */
class Exchange {
  ticks: Array<[number, number]> = [];
  now = 0;
  series: CandleSeries = emptySeries;
  readonly waiting: Request[];
  readonly answers: Array<{ request: Request; page: CandlesPage }> = [];
  readonly stream: Candle[] = [];

  constructor(
    private readonly pageSize: number,
    private readonly applied: (step: Step) => void = () => {},
  ) {
    this.waiting = [{ kind: 'latest', before: undefined, limit: pageSize }];
  }

  apply(step: Step): void {
    this.series = step.series;
    const request = requestOf(step.fill, this.pageSize);
    if (request) this.waiting.push(request);
    this.applied(step);
  }

  /**
   * One op the tests share: a tick on the desk, the stream sending the open bar (or not:
   * conflation), the desk answering a waiting request, the chart receiving an answer or a live
   * bar, or asking for older bars. False for an op that is not one of these.
   */
  step(op: string, gap: number, i: number): boolean {
    if (op === 'tick') {
      this.now += gap;
      this.ticks.push([this.now, 100 + (i % 17)]);
    } else if (op === 'send') {
      if (this.ticks.length > 0) this.stream.push(barsOf(this.ticks).at(-1)!);
    } else if (op === 'serve') {
      if (this.waiting.length > 0) this.serve();
    } else if (op === 'deliver') {
      if (this.answers.length > 0) this.deliver();
    } else if (op === 'live') {
      if (this.stream.length > 0) this.apply(withLiveBar(this.series, this.stream.shift()!, MS));
    } else if (op === 'older') {
      if (typeof this.series.older === 'number') this.waiting.push({ kind: 'older', before: this.series.older, limit: this.pageSize });
    } else return false;
    return true;
  }

  serve(): void {
    const request = this.waiting.shift()!;
    this.answers.push({ request, page: pageOf(barsOf(this.ticks), request.before, request.limit) });
  }

  deliver(): void {
    const { request, page } = this.answers.shift()!;
    this.apply(withPage(this.series, request, page, MS));
  }

  /** Every request answered, every answer and live bar delivered, `check` after each. */
  drain(check: () => void = () => {}): void {
    while (this.stream.length > 0 || this.waiting.length > 0 || this.answers.length > 0) {
      if (this.stream.length > 0) this.apply(withLiveBar(this.series, this.stream.shift()!, MS));
      else if (this.waiting.length > 0) this.serve();
      else this.deliver();
      check();
    }
  }

  /** The stream's last word on the open bar, then `drain`. */
  finish(check?: () => void): void {
    if (this.ticks.length > 0) this.stream.push(barsOf(this.ticks).at(-1)!);
    this.drain(check);
  }
}

describe('a chart series fed by pages and a conflating live stream', () => {
  it('ends with exactly the desk\'s bars: none missing, none repeated, none stale', () => {
    // Ops: a tick on the desk, the stream sending the open bar (or not: conflation), the desk
    // answering a waiting request, the page receiving an answer or a live message, asking for older.
    const op = fc.constantFrom('tick', 'tick', 'tick', 'send', 'serve', 'deliver', 'live', 'older');
    fc.assert(
      fc.property(fc.array(op, { minLength: 5, maxLength: 120 }), fc.array(fc.integer({ min: 1, max: 1_700 }), { minLength: 120, maxLength: 120 }), fc.integer({ min: 1, max: 6 }), (ops, gaps, pageSize) => {
        const ex = new Exchange(pageSize, (step) => expect(step.fill?.kind).not.toBe('reload'));
        ops.forEach((o, i) => ex.step(o, gaps[i]!, i));
        ex.finish();
        // Scrolling back to the start.
        while (typeof ex.series.older === 'number') {
          ex.waiting.push({ kind: 'older', before: ex.series.older, limit: pageSize });
          ex.serve();
          ex.deliver();
        }
        expect(ex.series.older).toBeNull();
        expect(ex.series.bars).toEqual(barsOf(ex.ticks));
      }),
      { numRuns: 100, seed: 15 },
    );
  });

  it('holds at most its cap around where the user looks, one unbroken run of the desk\'s bars, paging both ways back to all of them', () => {
    const CAP = 4;
    const SLACK = 2;
    const op = fc.constantFrom('tick', 'tick', 'tick', 'send', 'serve', 'deliver', 'live', 'older', 'newer', 'look', 'follow');
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 5, maxLength: 150 }),
        fc.array(fc.integer({ min: 1, max: 2_500 }), { minLength: 150, maxLength: 150 }),
        fc.integer({ min: 1, max: 5 }),
        (ops, gaps, pageSize) => {
          let view: BarView = { live: true };
          const trim = () => {
            ex.series = trimmed(ex.series, view, CAP, SLACK);
          };
          const ex = new Exchange(pageSize, trim);
          /** What the chart shows is never more than the cap and its slack, in order, each bar once, every bar between two of them there. */
          const check = () => {
            const desk = barsOf(ex.ticks).map((b) => b.openTime);
            const held = ex.series.bars.map((b) => b.openTime);
            expect(held.length).toBeLessThanOrEqual(CAP + SLACK + 1);
            const pending = [...ex.waiting, ...ex.answers.map((a) => a.request)];
            // A hole between two bars held only while a page that fills it is on its way (the stream skipped bars).
            const filling = (a: number, b: number) =>
              pending.some((p) => {
                if (p.kind === 'latest') return true;
                if (p.kind === 'older') return false;
                const from = p.kind === 'newer' ? p.from! : p.before! - p.limit * MS;
                return from <= a && p.before! >= b;
              });
            for (let i = 1; i < held.length; i++) {
              const a = held[i - 1]!;
              const b = held[i]!;
              expect(b).toBeGreaterThan(a);
              if (desk.some((t) => t > a && t < b)) expect(filling(a, b)).toBe(true);
            }
          };
          ops.forEach((o, i) => {
            if (ex.step(o, gaps[i]!, i)) {
              // one of the shared ops
            } else if (o === 'newer') {
              const request = newerRequest(ex.series, pageSize, MS);
              if (request) ex.waiting.push(request);
            } else if (o === 'look' && ex.series.bars.length > 0) {
              const at = ex.series.bars[gaps[i]! % ex.series.bars.length]!.openTime;
              view = { live: false, from: at, to: at };
              trim();
            } else if (o === 'follow') {
              view = { live: true };
              trim();
            }
            check();
          });
          ex.finish(check);
          const desk = barsOf(ex.ticks);
          // Looking at the oldest bar held, paging back to the start: the newest bars go, the oldest come back.
          for (let guard = 0; guard < 1_000 && typeof ex.series.older === 'number'; guard++) {
            view = { live: false, from: ex.series.bars[0]!.openTime, to: ex.series.bars[0]!.openTime };
            ex.waiting.push({ kind: 'older', before: ex.series.older, limit: pageSize });
            ex.drain(check);
          }
          expect(ex.series.older).toBeNull();
          const start = ex.series.bars.map((b) => b.openTime);
          expect(start).toEqual(desk.slice(0, start.length).map((b) => b.openTime));
          // Then forward to the newest: the old ones go, the newer come back, up to the open bar.
          for (let guard = 0; guard < 1_000 && ex.series.heldTo !== null; guard++) {
            const last = ex.series.bars.at(-1)!.openTime;
            view = { live: false, from: last, to: last };
            ex.waiting.push(newerRequest(ex.series, pageSize, MS)!);
            ex.drain(check);
          }
          expect(ex.series.heldTo).toBeNull();
          view = { live: true };
          trim();
          expect(ex.series.bars).toEqual(desk.slice(-ex.series.bars.length));
          expect(ex.series.bars.length).toBeGreaterThanOrEqual(Math.min(desk.length, CAP));
          expect(ex.series.bars.length).toBeLessThanOrEqual(CAP + SLACK);
        },
      ),
      { numRuns: 100, seed: 15 },
    );
  });

  it('drops a page asked for from an end of the bars that moved since: it would leave a hole', () => {
    const desk = barsOf(Array.from({ length: 10 }, (_, i): [number, number] => [i * MS, 100 + i]));
    const all: CandleSeries = { ...emptySeries, bars: desk.slice(4), older: 4 * MS, liveOpen: 9 * MS, live: desk[9]! };
    // The oldest let go (at the live edge) while the page before them was on its way.
    const older: PageRequest = { kind: 'older', before: 4 * MS, limit: 2 };
    const cut = trimmed(all, { live: true }, 3, 0);
    expect(cut.older).toBe(7 * MS);
    expect(withPage(cut, older, pageOf(desk, 4 * MS, 2), MS).series).toBe(cut);
    // The newest let go (scrolled back) while the page after them was on its way.
    const back = trimmed(all, { live: false, from: 5 * MS, to: 5 * MS }, 4, 0);
    expect(back.heldTo).toBe(7 * MS);
    const newer = newerRequest(back, 5, MS)!;
    expect(newer).toEqual({ kind: 'newer', before: 9 * MS, limit: 2, from: 7 * MS });
    const further = trimmed(back, { live: false, from: 4 * MS, to: 4 * MS }, 2, 0);
    expect(further.heldTo).toBe(5 * MS);
    expect(withPage(further, newer, pageOf(desk, newer.before, newer.limit), MS).series).toBe(further);
    // Answered in time, it reaches the open bar, which was held aside.
    const attached = withPage(back, newer, pageOf(desk, newer.before, newer.limit), MS).series;
    expect(attached.heldTo).toBeNull();
    expect(attached.bars.map((b) => b.openTime / MS)).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it('says where the next older page starts once the newest page arrived, and that there is none at the start', () => {
    const bars = barsOf([[0, 1], [1_000, 2], [2_000, 3]]);
    const first = withPage(emptySeries, { kind: 'latest', before: undefined, limit: 2 }, pageOf(bars, undefined, 2), MS).series;
    expect(first.older).toBe(1_000);
    const second = withPage(first, { kind: 'older', before: 1_000, limit: 2 }, pageOf(bars, 1_000, 2), MS).series;
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
