import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Candle, CandleInterval, StreamMessage } from '../../shared/index';
import { collector, startTestDesk, type TestDesk } from './harness';

const tokens = { 'viewer-token-0123456789': 'viewer', 'operator-token-0123456789': 'operator' } as const;
const VIEWER = 'viewer-token-0123456789';
const OPERATOR = 'operator-token-0123456789';
const MINUTE = 60_000;
/** A minute boundary, so the ticks' bars are easy to read. */
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);

const dbFile = () => join(mkdtempSync(join(tmpdir(), 'candles-')), 'desk.db');

let desk: TestDesk | null = null;
afterEach(async () => {
  await desk?.close();
  desk = null;
});

/**
 * A desk on `path` whose clock the test sets (`clock.now`), so ticks land in chosen bars. The
 * journal keeps the same time: it prunes bars past their retention by its own clock, and on the
 * real one the bars of T0 are more than a day old from 2026-12-02 on (the 1 s bars' retention), so
 * a pruning step that came due mid-test deleted them.
 */
async function startDesk(path: string, clock: { now: number }) {
  desk = await startTestDesk({
    statsIntervalMs: 3_600_000,
    auth: { tokens },
    desk: { journal: { path, now: () => clock.now }, market: { now: () => clock.now } },
  });
  return { desk, operator: desk.client({ token: OPERATOR }), viewer: desk.client({ token: VIEWER }) };
}

interface Tick {
  ts: number;
  price: number;
  volume: number;
}

/** The 1 m bars of `ticks` recomputed the plain way (timestamps here only go forward). */
function expectedBars(ticks: Tick[], symbol: string): Candle[] {
  const bars: Candle[] = [];
  let previous = 0;
  for (const t of ticks) {
    const openTime = Math.floor(t.ts / MINUTE) * MINUTE;
    const qty = Math.max(0, t.volume - previous);
    previous = t.volume;
    const last = bars.at(-1);
    if (last?.openTime === openTime) {
      Object.assign(last, { high: Math.max(last.high, t.price), low: Math.min(last.low, t.price), close: t.price, volume: last.volume + qty, ticks: last.ticks + 1 });
    } else bars.push({ symbol, interval: '1m', openTime, open: t.price, high: t.price, low: t.price, close: t.price, volume: qty, ticks: 1 });
  }
  return bars;
}

/** Every bar by paging `market.candles` backward `limit` at a time, oldest first. */
async function allBars(api: Awaited<ReturnType<typeof startDesk>>['viewer'], symbol: string, interval: CandleInterval, limit: number) {
  const bars: Candle[] = [];
  let before: number | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await api.market.candles.query({ symbol, interval, limit, ...(before === undefined ? {} : { before }) });
    expect(page.candles.length).toBeLessThanOrEqual(limit);
    bars.unshift(...page.candles);
    if (page.nextBefore === null) return bars;
    before = page.nextBefore;
  }
  throw new Error('paging did not end');
}

// Prices and volumes chosen so that every bar differs: 3 ticks in most minutes, a gap of minutes, a tick on a boundary.
const ticks: Tick[] = [];
for (let i = 0; i < 24; i++) {
  const minute = i < 12 ? Math.floor(i / 3) : 6 + Math.floor(i / 3);
  ticks.push({ ts: T0 + minute * MINUTE + (i % 3) * 20_000, price: 100 + ((i * 7) % 11), volume: 1_000 + i * 50 });
}

describe('candles', () => {
  it('come from every tick: the query pages them without skipping or repeating, the live stream updates the open bar and opens the next, a viewer may read', async () => {
    const clock = { now: T0 };
    const { operator, viewer } = await startDesk(dbFile(), clock);
    const live = collector<StreamMessage<Candle>>();
    const sub = viewer.market.onCandles.subscribe({ symbol: 'CNDL', interval: '1m' }, live);
    await live.until((m) => m.length === 1);
    expect(live.messages[0]!.data).toEqual({ type: 'snapshot', items: [], resync: false });

    // Every state the open bar passes through, for what the stream may show.
    const states = new Set<string>();
    for (const [i, t] of ticks.entries()) {
      clock.now = t.ts;
      await operator.market.setPrice.mutate({ symbol: 'CNDL', price: t.price, volume: t.volume });
      states.add(JSON.stringify(expectedBars(ticks.slice(0, i + 1), 'CNDL').at(-1)));
    }
    const expected = expectedBars(ticks, 'CNDL');
    expect(expected.length).toBe(8);

    for (const limit of [1, 3, 5, 8, 100]) expect(await allBars(viewer, 'CNDL', '1m', limit)).toEqual(expected);
    // A page before the oldest bar is empty; a page before a bar's own open time leaves it out.
    expect(await viewer.market.candles.query({ symbol: 'CNDL', interval: '1m', limit: 10, before: expected[0]!.openTime })).toEqual({ candles: [], nextBefore: null });
    const middle = await viewer.market.candles.query({ symbol: 'CNDL', interval: '1m', limit: 2, before: expected[4]!.openTime });
    expect(middle).toEqual({ candles: expected.slice(2, 4), nextBefore: expected[2]!.openTime });
    // The hour holds them all.
    const [hour] = (await viewer.market.candles.query({ symbol: 'CNDL', interval: '1h', limit: 10 })).candles;
    expect(hour).toMatchObject({ openTime: T0, open: ticks[0]!.price, close: ticks.at(-1)!.price, ticks: ticks.length, volume: ticks.at(-1)!.volume });
    expect((await viewer.market.candles.query({ symbol: 'CNDL', interval: '1s', limit: 100 })).candles).toHaveLength(ticks.length);

    await live.until((m) => JSON.stringify(m.at(-1)!.data.type === 'changes' ? (m.at(-1)!.data as { upserts: Candle[] }).upserts.at(-1) : null) === JSON.stringify(expected.at(-1)));
    const delivered = live.messages.slice(1).flatMap((m) => (m.data.type === 'changes' ? m.data.upserts : []));
    for (const bar of delivered) expect(states.has(JSON.stringify(bar)), JSON.stringify(bar)).toBe(true);
    // Each bar's opening reached the stream, in order, under increasing event ids.
    expect([...new Set(delivered.map((b) => b.openTime))]).toEqual(expected.map((b) => b.openTime));
    const ids = live.messages.map((m) => BigInt(m.id));
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
    sub.unsubscribe();

    const refused = await viewer.market.candles.query({ symbol: 'CNDL', interval: '2m' as CandleInterval, limit: 1 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect((refused as TRPCClientError<never>).data).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('survive a restart on the same database, and the open bar goes on from where it was', async () => {
    const path = dbFile();
    const clock = { now: T0 };
    let { operator, viewer } = await startDesk(path, clock);
    for (const t of ticks) {
      clock.now = t.ts;
      await operator.market.setPrice.mutate({ symbol: 'KEEP', price: t.price, volume: t.volume });
    }
    const before = await allBars(viewer, 'KEEP', '1m', 3);
    expect(before).toEqual(expectedBars(ticks, 'KEEP'));
    await desk!.close();

    ({ operator, viewer } = await startDesk(path, clock));
    expect(await allBars(viewer, 'KEEP', '1m', 3)).toEqual(before);
    const more: Tick[] = [
      { ts: ticks.at(-1)!.ts + 1_000, price: 150, volume: 9_000 },
      { ts: ticks.at(-1)!.ts + 3 * MINUTE, price: 90, volume: 9_100 },
    ];
    for (const t of more) {
      clock.now = t.ts;
      await operator.market.setPrice.mutate({ symbol: 'KEEP', price: t.price, volume: t.volume });
    }
    expect(await allBars(viewer, 'KEEP', '1m', 4)).toEqual(expectedBars([...ticks, ...more], 'KEEP'));
  });

  it('move with no tick whose write failed: a full disk refuses the tick and leaves every bar as it was', async () => {
    const clock = { now: T0 };
    const { desk: d, operator, viewer } = await startDesk(dbFile(), clock);
    const live = collector<StreamMessage<Candle>>();
    const sub = viewer.market.onCandles.subscribe({ symbol: 'FULL', interval: '1s' }, live);
    await live.until((m) => m.length === 1);
    const db = d.app.desk.journal!.db;
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);

    const acked: Tick[] = [];
    let failure: unknown = null;
    // Each tick opens new bars (one a second), so the candle table grows until the file is full.
    for (let i = 0; i < 3_000 && failure === null; i++) {
      const t = { ts: T0 + i * 1_000, price: 100 + (i % 17), volume: 10 * i };
      clock.now = t.ts;
      try {
        await operator.market.setPrice.mutate({ symbol: 'FULL', price: t.price, volume: t.volume });
        acked.push(t);
      } catch (error) {
        failure = error;
      }
    }
    expect(failure).toBeInstanceOf(TRPCClientError);
    expect((failure as TRPCClientError<never>).data).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    const last = acked.at(-1)!;
    const lastSecond = { symbol: 'FULL', interval: '1s', openTime: last.ts, open: last.price, high: last.price, low: last.price, close: last.price, volume: 10, ticks: 1 };
    const page = await viewer.market.candles.query({ symbol: 'FULL', interval: '1s', limit: 2 });
    expect(page.candles.at(-1)).toEqual(lastSecond);
    const [minute] = (await viewer.market.candles.query({ symbol: 'FULL', interval: '1h', limit: 1 })).candles;
    expect(minute!.ticks).toBe(acked.length);
    await live.until((m) => m.some((x) => x.data.type === 'changes' && x.data.upserts.some((b) => b.openTime === last.ts)));
    expect(live.messages.flatMap((m) => (m.data.type === 'changes' ? m.data.upserts : [])).every((b) => b.openTime <= last.ts)).toBe(true);

    // Space is back: the same tick lands now, once.
    db.pragma('max_page_count = 1000000');
    await operator.market.setPrice.mutate({ symbol: 'FULL', price: 150, volume: 10 * acked.length });
    const after = await viewer.market.candles.query({ symbol: 'FULL', interval: '1h', limit: 1 });
    expect(after.candles[0]!.ticks).toBe(acked.length + 1);
    expect(after.candles[0]!.close).toBe(150);
    sub.unsubscribe();
  });
});
