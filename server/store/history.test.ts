import fc from 'fast-check';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import type { Trade } from '../../shared/schema/market';
import { tradesHistoryInput } from '../../shared/schema/history';
import { byAgentAndSymbols } from '../routers/filters';
import { createDesk } from './desk';
import { applyCommand } from './commands';
import { readHistory } from './history';

const fcParams = { numRuns: 60, seed: process.env.FC_SEED === undefined ? 20261201 : Number(process.env.FC_SEED) };

const agents = ['a1', 'a2', null] as const;
const symbols = ['AAA', 'BBB', 'CCC'] as const;

const tradeArb = fc.record({
  agent: fc.constantFrom(...agents),
  symbol: fc.constantFrom(...symbols),
});
/**
 * A commit: the trades it appends (none: a commit of another topic only), how long after the one
 * before it came (its items' `ts`), and how far from that its recorded time is (a fraction of the slack).
 */
const commitArb = fc.record({
  trades: fc.array(tradeArb, { minLength: 0, maxLength: 4 }),
  dt: fc.integer({ min: 0, max: 8 }),
  skew: fc.integer({ min: -100, max: 100 }).map((n) => n / 100),
});
type CommitSpec = { trades: Array<{ agent: string | null; symbol: string }>; dt: number; skew?: number };

interface Logged {
  eventId: string;
  item: Trade;
}

/**
 * A desk with a journal and a replay buffer of `capacity` events, holding `commits`: each commit's
 * items stamped with its time, recorded by the journal up to `slack` ms from it (`lean`: later,
 * earlier, or either way, so recorded times are out of id order too).
 */
function deskWith(commits: CommitSpec[], capacity: number, slack = 0, lean: 'later' | 'earlier' | 'both' = 'both') {
  let ts = 1_000;
  let recorded = ts;
  const desk = createDesk({ hub: { replayCapacity: capacity }, journal: { path: ':memory:', now: () => recorded } });
  const { trades, signals } = desk.topics;
  const log: Logged[] = [];
  let n = 0;
  for (const commit of commits) {
    ts += commit.dt;
    const skew = lean === 'both' ? (commit.skew ?? 0) : (lean === 'later' ? 1 : -1) * Math.abs(commit.skew ?? 0);
    recorded = ts + Math.round(skew * slack);
    const items: Trade[] = commit.trades.map(({ agent, symbol }) => {
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
        fc.array(commitArb, { maxLength: 40, size: 'medium' }),
        fc.integer({ min: 1, max: 30 }),
        fc.constantFrom(0, 3, 20),
        fc.constantFrom('later' as const, 'earlier' as const, 'both' as const),
        fc.record({
          order: fc.constantFrom('newest' as const, 'oldest' as const),
          limit: fc.integer({ min: 1, max: 12 }),
          maxScan: fc.integer({ min: 1, max: 25 }),
          agentId: fc.option(fc.constantFrom('a1', 'a2'), { nil: undefined }),
          symbols: fc.option(fc.subarray([...symbols], { minLength: 1 }), { nil: undefined }),
          // Times near the items' own, where a bound cuts between neighbours.
          fromPick: fc.option(fc.tuple(fc.nat(), fc.integer({ min: -4, max: 4 })), { nil: undefined }),
          toPick: fc.option(fc.tuple(fc.nat(), fc.integer({ min: -4, max: 4 })), { nil: undefined }),
          beforePick: fc.option(fc.nat(), { nil: undefined }),
          afterPick: fc.option(fc.nat(), { nil: undefined }),
        }),
        (commits, capacity, slack, lean, q) => {
          const { desk, log } = deskWith(commits, capacity, slack, lean);
          try {
            const ids = [...new Set(log.map((l) => Number(l.eventId)))];
            const pick = (i: number | undefined) => (i === undefined || ids.length === 0 ? undefined : ids[i % ids.length]!);
            let before = pick(q.beforePick);
            let after = pick(q.afterPick);
            if (before !== undefined && after !== undefined && after >= before) [before, after] = [undefined, after];
            const near = (p: [number, number] | undefined) => (p === undefined ? undefined : (log.length === 0 ? 1_000 : log[p[0] % log.length]!.item.ts) + p[1]);
            const from = near(q.fromPick);
            // `from` must come before `to`: a pair the other way round is only a `from`.
            const to = [near(q.toPick)].map((t) => (t !== undefined && (from === undefined || from < t) ? t : undefined))[0];
            const base = {
              order: q.order,
              limit: q.limit,
              agentId: q.agentId,
              symbols: q.symbols,
              from,
              to,
              before: before === undefined ? undefined : String(before),
              after: after === undefined ? undefined : String(after),
            };
            const match = byAgentAndSymbols<Trade>(base).match;
            const expected = log.filter(
              ({ eventId, item }) =>
                match(item) &&
                (from === undefined || item.ts >= from) &&
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
              const page = readHistory(desk.journal, desk.topics.trades, input, match, { maxScan: q.maxScan, timeSlackMs: slack });
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
    const commits = Array.from({ length: 30 }, (_, i) => ({ trades: Array.from({ length: (i % 3) + 1 }, () => ({ agent: 'a1', symbol: 'AAA' })), dt: 1 }));
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
  it('reaches a time range far back in its first page, through the time index, not pages of scanning', () => {
    const commits: CommitSpec[] = Array.from({ length: 3_000 }, (_, i) => ({ trades: [{ agent: i % 2 ? 'a1' : 'a2', symbol: 'AAA' }], dt: 10 }));
    const { desk, log } = deskWith(commits, 100);
    try {
      const read = (input: object) => readHistory(desk.journal, desk.topics.trades, tradesHistoryInput.parse({ limit: 5, ...input }), () => true, { maxScan: 25 });
      // 3,000 commits lie after it: a scan from the newest would give 100+ empty pages before it.
      const back = read({ from: 1_100, to: 1_200 });
      expect(back.items.map((i) => i.item.ts)).toEqual([1_190, 1_180, 1_170, 1_160, 1_150]);
      const rest = read({ from: 1_100, to: 1_200, cursor: back.next });
      expect(rest.items.map((i) => i.item.ts)).toEqual([1_140, 1_130, 1_120, 1_110, 1_100]);
      expect(rest.next).toBeNull();
      // Oldest first from a time near now: 2,900 commits before it are not looked at.
      const late = read({ order: 'oldest', from: log[2_950]!.item.ts });
      expect(late.items.map((i) => i.item.id)).toEqual(log.slice(2_950, 2_955).map((l) => l.item.id));
      // A range before anything retained is empty at once.
      expect(read({ to: 1_000 })).toMatchObject({ items: [], next: null });
    } finally {
      desk.journal!.close();
    }
  });

  it('records a command\'s commit at the command\'s time, the time its items carry, so time ranges find them however late it ran', () => {
    const desk = createDesk({ journal: { path: ':memory:' } });
    try {
      const ts = Date.now() - 3_600_000;
      applyCommand(desk, { path: 'feeds.publishSignal', input: { symbol: 'AAA', kind: 'k', strength: 1, source: 's' }, ts });
      const row = desk.journal!.db.prepare<[], { ts: number; body: string }>("SELECT ts, body FROM events WHERE topic = 'signals'").get()!;
      expect(row.ts).toBe(ts);
      expect((JSON.parse(row.body) as { ts: number }).ts).toBe(ts);
      const page = readHistory(desk.journal, desk.topics.signals, tradesHistoryInput.parse({ from: ts, to: ts + 1 }), () => true, { timeSlackMs: 0 });
      expect(page.items.map((i) => i.item.ts)).toEqual([ts]);
    } finally {
      desk.journal!.close();
    }
  });
});
