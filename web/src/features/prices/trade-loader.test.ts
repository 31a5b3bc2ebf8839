import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Trade } from '../../../../shared/index';
import type { HistoryPage } from '../../../../shared/schema/history';
import { createTradeLoader } from './trade-loader';
import { markedTrades, type BarSpan } from './trade-range';

const trade = (n: number, ts: number): Trade => ({ id: `t${n}`, symbol: 'X', side: n % 2 ? 'buy' : 'sell', qty: 1, price: 100, ts, agentId: null }) as Trade;

/** The desk's trades in commit order, and `history.trades` over them: newest first by commit, `limit` a page. */
function deskOf(limit: number) {
  const committed: Trade[] = [];
  const waiting: Array<{ from: number; to: number | undefined; cursor: string | null; resolve: (page: HistoryPage<Trade>) => void }> = [];
  return {
    committed,
    waiting,
    fetch: (from: number, to: number | undefined, cursor: string | null) => new Promise<HistoryPage<Trade>>((resolve) => waiting.push({ from, to, cursor, resolve })),
    /** Answers the oldest request as the desk stands now. */
    serve() {
      const { from, to, cursor, resolve } = waiting.shift()!;
      const below = cursor === null ? committed.length : Number(cursor);
      const matches: Array<{ index: number; item: Trade }> = [];
      for (let i = below - 1; i >= 0; i--) {
        const t = committed[i]!;
        if (t.ts >= from && (to === undefined || t.ts < to)) matches.push({ index: i, item: t });
      }
      const items = matches.slice(0, limit);
      const more = matches.length > limit;
      resolve({ items: items.map(({ item }) => ({ eventId: '1', item })), next: more ? String(items.at(-1)!.index) : null, floor: '0' });
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the chart\'s trades, read from history as the bars move and from the live stream', () => {
  it('ends with every trade of the bars held, each once, whatever the order of pages, ticks and moves', async () => {
    const op = fc.oneof(
      fc.constant({ kind: 'trade' as const }),
      fc.constant({ kind: 'serve' as const }),
      fc.constant({ kind: 'serve' as const }),
      fc.record({ kind: fc.constant('bars' as const), from: fc.integer({ min: 0, max: 160 }), width: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 40 }),
        fc.array(op, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 40 }),
        async (past, ops, limit, spanMs) => {
          // Trades already on the desk, their times in any order against their commit order.
          const desk = deskOf(limit);
          past.forEach((ts, i) => desk.committed.push(trade(i, ts)));
          let now = 100;
          const loader = createTradeLoader(desk.fetch, { maxTrades: 10_000, spanMs, minSpanMs: 1, maxPages: 3 });
          // The stream's view: the newest one only (the chart's holds 1,000), sent after each new trade, its snapshot first.
          const view = () => desk.committed.slice(-1);
          loader.live(view());
          let span: BarSpan = { from: 0, to: Infinity, end: now + 1 };
          loader.bars(span);
          const check = () => {
            const marks = markedTrades(loader.get().held, view(), span);
            expect(new Set(marks.map((t) => t.id)).size).toBe(marks.length);
            for (const t of marks) expect(t.ts >= span.from && t.ts < span.to && desk.committed.includes(t)).toBe(true);
          };
          for (const o of ops) {
            if (o.kind === 'trade') {
              now += 1 + (desk.committed.length % 3 === 0 ? 0 : 1);
              desk.committed.push(trade(desk.committed.length, now));
              loader.live(view());
            } else if (o.kind === 'serve' && desk.waiting.length > 0) desk.serve();
            else if (o.kind === 'bars') {
              // Bars that stop short of the live edge stop in the past: no new trade falls in them.
              const to = o.width === undefined ? Infinity : Math.min(o.from + o.width, now + 1);
              span = { from: Math.min(o.from, now), to, end: to === Infinity ? now + 1 : to };
              loader.bars(span);
            }
            await settle();
            check();
          }
          for (let i = 0; i < 10_000 && desk.waiting.length > 0; i++) {
            desk.serve();
            await settle();
          }
          expect(desk.waiting).toEqual([]);
          const expected = desk.committed.filter((t) => t.ts >= span.from && t.ts < span.to).sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
          expect(markedTrades(loader.get().held, view(), span).map((t) => t.id)).toEqual(expected.map((t) => t.id));
          loader.dispose();
        },
      ),
      { numRuns: 100, seed: 15 },
    );
  });

  it('holds at most its most trades, the newest, every one of them from where it starts', async () => {
    const desk = deskOf(50);
    for (let i = 0; i < 400; i++) desk.committed.push(trade(i, Math.floor(i / 3)));
    const loader = createTradeLoader(desk.fetch, { maxTrades: 100, spanMs: 20, minSpanMs: 1, maxPages: 4 });
    loader.live([]);
    const span = { from: 0, to: Infinity, end: 134 };
    loader.bars(span);
    for (let i = 0; i < 1_000 && desk.waiting.length > 0; i++) {
      desk.serve();
      await settle();
    }
    const { held } = loader.get();
    expect(held!.trades.length).toBeLessThanOrEqual(100);
    expect(held!.capped).toBe(true);
    expect(held!.trades.map((t) => t.id)).toEqual(desk.committed.filter((t) => t.ts >= held!.from).map((t) => t.id));
    loader.dispose();
  });

  it('waits for the live stream before reading, and reads again once the bars move after a failure', async () => {
    let calls = 0;
    let fail = true;
    const loader = createTradeLoader(
      async () => {
        calls++;
        if (fail) throw new Error('refused');
        return { items: [], next: null, floor: '0' };
      },
      { maxTrades: 10, spanMs: 10, minSpanMs: 1, maxPages: 2 },
    );
    loader.bars({ from: 0, to: Infinity, end: 10 });
    await settle();
    expect(calls).toBe(0);
    loader.live([]);
    await settle();
    expect(calls).toBe(1);
    expect(loader.get().error).toBe('refused');
    loader.bars({ from: 0, to: Infinity, end: 10 });
    await settle();
    expect(calls).toBe(1);
    fail = false;
    loader.bars({ from: 5, to: Infinity, end: 10 });
    await settle();
    expect(calls).toBe(2);
    expect(loader.get()).toMatchObject({ error: null, held: { from: 5, to: Infinity, trades: [] } });
  });
});
