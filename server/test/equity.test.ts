import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCClientError } from '@trpc/client';
import { afterAll, describe, expect, it } from 'vitest';
import { dayOpenOf, summarizeEquity } from '../../shared/equity-math';
import type { EquityHistory, EquityResolution, Portfolio } from '../../shared/index';
import { sleep, startTestDesk, type TestDesk } from './harness';
import { walCommits } from './wal';

const tokens = { 'viewer-token-0123456789': 'viewer', 'operator-token-0123456789': 'operator' } as const;
const VIEWER = 'viewer-token-0123456789';
const OPERATOR = 'operator-token-0123456789';
const MIDNIGHT = Date.UTC(2026, 11, 2);
/** Two minutes before a UTC midnight: the history spans a day boundary. */
const T0 = MIDNIGHT - 2 * 60_000;
const ms = { '1s': 1000, '1m': 60_000, '1h': 3_600_000 } as const;

const path = join(mkdtempSync(join(tmpdir(), 'equity-')), 'desk.db');
const clock = { now: T0 };
let desk: TestDesk | null = null;
afterAll(() => desk?.close());

/** A desk on the test's database whose clock (market and journal) the test sets. */
async function start() {
  desk = await startTestDesk({
    statsIntervalMs: 3_600_000,
    auth: { tokens },
    desk: { journal: { path, now: () => clock.now }, market: { now: () => clock.now } },
  });
  return { operator: desk.client({ token: OPERATOR }), viewer: desk.client({ token: VIEWER }) };
}

/** The closing equity of each bucket, recomputed from the portfolios the desk answered after each change. */
function closes(portfolios: Portfolio[], resolution: EquityResolution): Array<[number, number]> {
  const byBucket = new Map<number, number>();
  for (const p of portfolios) byBucket.set(Math.floor(p.updatedAt / ms[resolution]) * ms[resolution], p.equity);
  return [...byBucket];
}

describe('equity history', () => {
  const seen: Portfolio[] = [];
  let answers: Record<EquityResolution, EquityHistory>;

  it('holds the portfolio at 1 s, 1 m and 1 h with drawdown and day P&L, through the real client', async () => {
    const { operator, viewer } = await start();
    seen.push(await viewer.market.portfolio.query());
    // A buy, then prices up and down across midnight (several in some seconds), a partial sell.
    const steps: Array<[number, () => Promise<unknown>]> = [
      [0, () => operator.market.setPrice.mutate({ symbol: 'EQTY', price: 100 })],
      [400, () => operator.market.executeTrade.mutate({ symbol: 'EQTY', side: 'buy', qty: 100 })],
    ];
    const prices = [104, 103.5, 110, 97, 101, 99.25, 108, 92, 95, 105, 111, 90.5];
    prices.forEach((price, i) => steps.push([1_000 + i * 17_300 + (i % 3) * 250, () => operator.market.setPrice.mutate({ symbol: 'EQTY', price })]));
    steps.push([200_500, () => operator.market.executeTrade.mutate({ symbol: 'EQTY', side: 'sell', qty: 40 })]);
    steps.push([200_700, () => operator.market.setPrice.mutate({ symbol: 'EQTY', price: 96 })]);
    for (const [at, run] of steps) {
      clock.now = T0 + at;
      await run();
      seen.push(await viewer.market.portfolio.query());
    }
    expect(seen.at(-1)!.updatedAt).toBeGreaterThan(MIDNIGHT);

    answers = {} as typeof answers;
    for (const resolution of ['1s', '1m', '1h'] as const) {
      const answer = await viewer.market.equityHistory.query({ resolution, from: T0 - 3_600_000 });
      answers[resolution] = answer;
      expect(answer.points.map((p) => [p.ts, p.equity])).toEqual(closes(seen, resolution));
      expect(answer.resolution).toBe(resolution);
      expect(answer.truncated).toBe(false);
      expect(answer.dayStart).toBe(MIDNIGHT);
      // The day opens at the equity held at midnight, whatever the resolution.
      expect(answer.dayOpen).toBe(seen.filter((p) => p.updatedAt < MIDNIGHT).at(-1)!.equity);
      expect(answer.summary).toEqual(summarizeEquity(answer.points, answer.dayOpen));
      expect(dayOpenOf(answer.points, MIDNIGHT)).toBe(answer.dayOpen);
    }
    const equities = seen.map((p) => p.equity);
    const peak = Math.max(...equities);
    expect(answers['1s'].summary).toMatchObject({ peak, drawdown: Math.round((equities.at(-1)! - peak) * 100) / 100 });
    expect(answers['1s'].summary.dayPnl).toBe(Math.round((equities.at(-1)! - answers['1s'].dayOpen!) * 100) / 100);
    expect(answers['1s'].summary.maxDrawdown).toBeLessThan(answers['1s'].summary.drawdown);

    // auto: the finest that fits; a smaller limit pushes it coarser; a range of its own.
    expect((await viewer.market.equityHistory.query({})).resolution).toBe('1s');
    expect((await viewer.market.equityHistory.query({ limit: 5 })).resolution).toBe('1m');
    const windowed = await viewer.market.equityHistory.query({ resolution: '1s', from: T0 + 50_000, to: T0 + 120_000 });
    expect(windowed.points).toEqual(answers['1s'].points.filter((p) => p.ts >= T0 + 50_000 && p.ts <= T0 + 120_000));
    const newest = await viewer.market.equityHistory.query({ resolution: '1s', limit: 3 });
    expect(newest).toMatchObject({ truncated: true, points: answers['1s'].points.slice(-3) });
  });

  it('refuses a range that ends before it starts, a resolution it does not keep and too many points, naming the field', async () => {
    const viewer = desk!.client({ token: VIEWER });
    for (const input of [{ from: 2, to: 1 }, { resolution: '5m' }, { limit: 2_001 }, { from: -1 }]) {
      const refused = await viewer.market.equityHistory.query(input as never).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(TRPCClientError);
      expect((refused as TRPCClientError<never>).data).toMatchObject({ code: 'BAD_REQUEST' });
    }
  });

  it('holds no value of a tick whose write failed: a full disk refuses it, and the history has only what was acknowledged', async () => {
    const { operator, viewer } = { operator: desk!.client({ token: OPERATOR }), viewer: desk!.client({ token: VIEWER }) };
    const db = desk!.app.desk.journal!.db;
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const acked: Portfolio[] = [];
    let failure: unknown = null;
    // Each price moves the held position (a row written with it): the file fills up.
    for (let i = 0; i < 3_000 && failure === null; i++) {
      clock.now = T0 + 240_000 + i * 1_000;
      try {
        await operator.market.setPrice.mutate({ symbol: 'EQTY', price: 100 + (i % 50) / 7 });
        acked.push(await viewer.market.portfolio.query());
      } catch (error) {
        failure = error;
      }
    }
    expect((failure as TRPCClientError<never>).data).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    db.pragma('max_page_count = 1000000');
    const refused = clock.now;
    const answer = await viewer.market.equityHistory.query({ resolution: '1s', from: T0 + 240_000 });
    // The refused tick's second has no bucket; every bucket is one an acknowledged portfolio made.
    expect(answer.points.map((p) => [p.ts, p.equity])).toEqual(closes(acked, '1s'));
    expect(answer.points.some((p) => p.ts === refused)).toBe(false);
    seen.push(...acked);
  });

  it('writes a mutation that moves the portfolio, its bucket included, in its own one transaction, and nothing after it', async () => {
    const { operator, viewer } = { operator: desk!.client({ token: OPERATOR }), viewer: desk!.client({ token: VIEWER }) };
    const db = desk!.app.desk.journal!.db;
    // No checkpoint may restart the WAL while its transactions are counted.
    db.pragma('wal_autocheckpoint = 0');
    // Let the timer write what waits, then count.
    await sleep(300);
    const before = walCommits(path);
    clock.now = seen.at(-1)!.updatedAt + 5_000;
    await operator.market.executeTrade.mutate({ symbol: 'EQTY', side: 'buy', qty: 5 });
    expect(walCommits(path) - before).toBe(1);
    // Several batches of the timer later: no transaction of its own for the trade's bucket.
    await sleep(350);
    expect(walCommits(path) - before).toBe(1);
    const portfolio = await viewer.market.portfolio.query();
    seen.push(portfolio);
    const [newest] = (await viewer.market.equityHistory.query({ resolution: '1s', limit: 1 })).points;
    expect(newest).toMatchObject({ ts: Math.floor(portfolio.updatedAt / 1000) * 1000, equity: portfolio.equity });
    db.pragma('wal_autocheckpoint = 1000');
  });

  it('keeps the history across a restart on the same data, and goes on from where it was', async () => {
    const all = (api: ReturnType<TestDesk['client']>) =>
      Promise.all((['1s', '1m', '1h'] as const).map((resolution) => api.market.equityHistory.query({ resolution, from: T0 - 3_600_000, to: clock.now })));
    const before = await all(desk!.client({ token: VIEWER }));
    expect(before[0]!.points.length).toBeGreaterThan(answers['1s'].points.length);
    await desk!.close();
    const { operator, viewer } = await start();
    expect(await all(viewer)).toEqual(before);
    clock.now = seen.at(-1)!.updatedAt + 60_000;
    await operator.market.setPrice.mutate({ symbol: 'EQTY', price: 120 });
    seen.push(await viewer.market.portfolio.query());
    const after = await viewer.market.equityHistory.query({ resolution: '1m', from: T0 - 3_600_000 });
    expect(after.points.map((p) => [p.ts, p.equity])).toEqual(closes(seen, '1m'));
  });
});
