import fc from 'fast-check';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import type { Trade } from '../../shared/schema/market';
import { tradesHistoryInput } from '../../shared/schema/history';
import { byAgentAndSymbols } from '../routers/filters';
import { createDesk } from './desk';
import { readHistory } from './history';

const fcParams = { numRuns: 60, seed: process.env.FC_SEED === undefined ? 20261201 : Number(process.env.FC_SEED) };

const agents = ['a1', 'a2', null] as const;
const symbols = ['AAA', 'BBB', 'CCC'] as const;

const tradeArb = fc.record({
  agent: fc.constantFrom(...agents),
  symbol: fc.constantFrom(...symbols),
  dt: fc.integer({ min: 0, max: 5 }),
});
/** A commit: the trades it appends (none: a commit of another topic only). */
const commitArb = fc.array(tradeArb, { minLength: 0, maxLength: 4 });

interface Logged {
  eventId: string;
  item: Trade;
}

/** A desk with a journal and a replay buffer of `capacity` events, holding `commits`. */
function deskWith(commits: Array<Array<{ agent: string | null; symbol: string; dt: number }>>, capacity: number) {
  const desk = createDesk({ hub: { replayCapacity: capacity }, journal: { path: ':memory:' } });
  const { trades, signals } = desk.topics;
  const log: Logged[] = [];
  let n = 0;
  let ts = 1_000;
  for (const commit of commits) {
    const items: Trade[] = commit.map(({ agent, symbol, dt }) => {
      ts += dt;
      n++;
      return { id: `t${n}`, symbol, side: 'buy', qty: 1, price: 10, agentId: agent, decisionId: null, realizedPnl: 0, ts };
    });
    const id = desk.hub.commit((tx) => {
      if (items.length > 0) tx.append(trades, ...items);
      // Other topics' commits in between: a topic's ids are not contiguous.
      else tx.append(signals, { id: `s${n++}`, symbol: 'AAA', kind: 'k', strength: 0, source: 's', ts });
    })!;
    for (const item of items) log.push({ eventId: String(id), item });
  }
  return { desk, log };
}

describe('history pages', () => {
  it('paged to the end, never skip or repeat, and equal a direct filter of the whole log, across the memory / journal boundary', () => {
    fc.assert(
      fc.property(
        fc.array(commitArb, { maxLength: 40 }),
        fc.integer({ min: 1, max: 30 }),
        fc.record({
          order: fc.constantFrom('newest' as const, 'oldest' as const),
          limit: fc.integer({ min: 1, max: 12 }),
          maxScan: fc.integer({ min: 1, max: 25 }),
          agentId: fc.option(fc.constantFrom('a1', 'a2'), { nil: undefined }),
          symbols: fc.option(fc.subarray([...symbols], { minLength: 1 }), { nil: undefined }),
          from: fc.option(fc.integer({ min: 1_000, max: 1_120 }), { nil: undefined }),
          span: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
          beforePick: fc.option(fc.nat(), { nil: undefined }),
          afterPick: fc.option(fc.nat(), { nil: undefined }),
        }),
        (commits, capacity, q) => {
          const { desk, log } = deskWith(commits, capacity);
          try {
            const ids = [...new Set(log.map((l) => Number(l.eventId)))];
            const pick = (i: number | undefined) => (i === undefined || ids.length === 0 ? undefined : ids[i % ids.length]!);
            let before = pick(q.beforePick);
            let after = pick(q.afterPick);
            if (before !== undefined && after !== undefined && after >= before) [before, after] = [undefined, after];
            const to = q.from !== undefined && q.span !== undefined ? q.from + q.span : undefined;
            const base = {
              order: q.order,
              limit: q.limit,
              agentId: q.agentId,
              symbols: q.symbols,
              from: q.from,
              to,
              before: before === undefined ? undefined : String(before),
              after: after === undefined ? undefined : String(after),
            };
            const match = byAgentAndSymbols<Trade>(base).match;
            const expected = log.filter(
              ({ eventId, item }) =>
                match(item) &&
                (q.from === undefined || item.ts >= q.from) &&
                (to === undefined || item.ts < to) &&
                (before === undefined || Number(eventId) < before) &&
                (after === undefined || Number(eventId) > after),
            );
            if (q.order === 'newest') expected.reverse();

            const got: Logged[] = [];
            let cursor: string | null = null;
            for (let pages = 0; ; pages++) {
              // Each page looks at no more than maxScan items (+ its one-item look-ahead): a bound on the pages.
              expect(pages).toBeLessThanOrEqual(log.length + commits.length + 2);
              const input = tradesHistoryInput.parse({ ...base, cursor });
              const page = readHistory(desk.journal, desk.topics.trades, input, match, { maxScan: q.maxScan });
              expect(page.items.length).toBeLessThanOrEqual(q.limit);
              got.push(...page.items);
              if (page.next === null) break;
              cursor = page.next;
            }
            expect(got.map((g) => `${g.eventId}/${g.item.id}`)).toEqual(expected.map((e) => `${e.eventId}/${e.item.id}`));
          } finally {
            desk.journal!.close();
          }
        },
      ),
      fcParams,
    );
  });

  it('serves what the replay buffer evicted from the journal, whole commits in order', () => {
    const commits = Array.from({ length: 30 }, (_, i) => Array.from({ length: (i % 3) + 1 }, () => ({ agent: 'a1', symbol: 'AAA', dt: 1 })));
    const { desk, log } = deskWith(commits, 5);
    try {
      expect(desk.topics.trades.buffer.floor).toBeGreaterThan(Number(log[0]!.eventId));
      const page = readHistory(desk.journal, desk.topics.trades, tradesHistoryInput.parse({ order: 'oldest', limit: 500 }), () => true);
      expect(page.items).toEqual(log);
      expect(page.next).toBeNull();
    } finally {
      desk.journal!.close();
    }
  });

  it('says a cursor, `before` or `after` at or below the retention floor is no longer retained, instead of an empty page', () => {
    const desk = createDesk({ hub: { replayCapacity: 5 }, journal: { path: ':memory:', retainEvents: 20 } });
    try {
      const ids: number[] = [];
      for (let i = 0; i < 50; i++) {
        ids.push(desk.hub.commit((tx) => tx.append(desk.topics.trades, { id: `t${i}`, symbol: 'AAA', side: 'buy', qty: 1, price: 1, agentId: null, decisionId: null, realizedPnl: 0, ts: i }))!);
      }
      while (desk.journal!.prune() > 0);
      const all = readHistory(desk.journal, desk.topics.trades, tradesHistoryInput.parse({ limit: 500 }), () => true);
      const floor = Number(all.floor);
      expect(floor).toBe(desk.journal!.floor);
      // Everything above the floor, and nothing else.
      expect(all.items.map((i) => Number(i.eventId))).toEqual(ids.filter((id) => id > floor).reverse());
      expect(all.next).toBeNull();

      const read = (input: object) => () => readHistory(desk.journal, desk.topics.trades, tradesHistoryInput.parse(input), () => true);
      for (const input of [{ cursor: `${ids[3]}:0` }, { before: String(ids[3]) }, { after: String(ids[3]), order: 'oldest' }]) {
        expect(read(input)).toThrow(TRPCError);
        expect(read(input)).toThrow(/no longer retained/);
        try {
          read(input)();
        } catch (error) {
          expect((error as TRPCError).code).toBe('NOT_FOUND');
        }
      }
      // From the floor itself, oldest first: exactly what is retained.
      expect(read({ after: String(floor), order: 'oldest', limit: 500 })().items.map((i) => Number(i.eventId))).toEqual(ids.filter((id) => id > floor));
    } finally {
      desk.journal!.close();
    }
  });
});
