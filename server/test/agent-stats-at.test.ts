import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentStats } from '../../shared/schema/agent-stats';
import type { Decision } from '../../shared/schema/agents';
import type { Trade } from '../../shared/schema/market';
import type { StreamMessage } from '../../shared/schema/stream';
import type { AppOptions } from '../app';
import type { AppRouter } from '../root';
import { naiveAgentStats } from './naive-agent-stats';
import { startTestDesk, type TestDesk } from './harness';

type Api = ReturnType<TestDesk['client']>;

const AGENTS = ['at-a', 'at-b', 'at-c'];
const SYMBOLS = ['ATA', 'ATB'];

/** One command of an agent's session: a decision (that may trade), a trade of its own, or a price move. */
const commandArb = fc.oneof(
  fc.record({
    kind: fc.constant('decide' as const),
    agent: fc.constantFrom(...AGENTS),
    symbol: fc.constantFrom(...SYMBOLS),
    action: fc.constantFrom('buy' as const, 'sell' as const, 'hold' as const),
    confidence: fc.integer({ min: 0, max: 10 }).map((x) => x / 10),
    qty: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('trade' as const), agent: fc.constantFrom(...AGENTS), symbol: fc.constantFrom(...SYMBOLS), side: fc.constantFrom('buy' as const, 'sell' as const), qty: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('price' as const), symbol: fc.constantFrom(...SYMBOLS), price: fc.integer({ min: 95, max: 105 }) }),
);
type Command = typeof commandArb extends fc.Arbitrary<infer C> ? C : never;

/** What a command recorded, under the event id of its commit: the trades by id (their bodies come from the stream), the decision. */
interface Recorded {
  eventId: number;
  tradeIds: string[];
  decision: Decision | null;
}

async function run(api: Api, command: Command): Promise<Recorded | null> {
  if (command.kind === 'price') {
    await api.market.setPrice.mutate({ symbol: command.symbol, price: command.price });
    return null;
  }
  if (command.kind === 'trade') {
    const { eventId, trade } = await api.market.executeTrade.mutate({ symbol: command.symbol, side: command.side, qty: command.qty, agentId: command.agent });
    return { eventId: Number(eventId), tradeIds: [trade.id], decision: null };
  }
  const { eventId, decision } = await api.agents.recordDecision.mutate({ agentId: command.agent, symbol: command.symbol, action: command.action, confidence: command.confidence, executeQty: command.qty });
  return { eventId: Number(eventId), tradeIds: decision.tradeId === null ? [] : [decision.tradeId], decision };
}

/** The figures the slow way for every agent with anything to count, in the order agents.stats gives agents not on the panel. */
function naiveAll(trades: readonly Trade[], decisions: readonly Decision[]): AgentStats[] {
  return AGENTS.map((agentId) => ({ agentId, ...naiveAgentStats(agentId, trades, decisions) })).filter((s) => s.trades > 0 || s.decisions > 0);
}

/** Equal up to the rounding of sums taken in another order. */
function expectSameFigures(got: AgentStats[], expected: AgentStats[], what: string) {
  expect(got.map((s) => s.agentId), what).toEqual(expected.map((s) => s.agentId));
  got.forEach((g, i) => {
    const e = expected[i]!;
    for (const key of Object.keys(e) as Array<keyof AgentStats>) {
      const [x, y] = [g[key], e[key]];
      if (typeof y === 'number' && typeof x === 'number' && !Number.isInteger(y)) expect(x, `${what}: ${g.agentId}.${key}`).toBeCloseTo(y, 6);
      else expect(x, `${what}: ${g.agentId}.${key}`).toEqual(y);
    }
  });
}

/**
 * The trades and decisions of the commands run, in commit order, each under its commit's event id
 * (from the mutation's answer: a stream may deliver several commits as one message under the newest
 * id), the trades' bodies as a subscribed client received them.
 */
function follow(api: Api) {
  const bodies = new Map<string, Trade>();
  const sub = api.market.onTrades.subscribe(
    { limit: 1000 },
    {
      onData: ({ data }: { data: StreamMessage<Trade> }) => {
        if (data.type === 'snapshot' || data.type === 'append') for (const trade of data.items) bodies.set(trade.id, trade);
      },
    },
  );
  const recorded: Recorded[] = [];
  return {
    record(made: Recorded | null) {
      if (made) recorded.push(made);
    },
    /** Resolves once the client received every trade recorded. */
    async caughtUp() {
      await expect.poll(() => recorded.every((r) => r.tradeIds.every((id) => bodies.has(id))), { timeout: 10_000 }).toBe(true);
    },
    /** The trades and decisions committed at or before event `at` (all: Infinity), oldest first. */
    upTo(at: number) {
      const upTo = recorded.filter((r) => r.eventId <= at);
      return { trades: upTo.flatMap((r) => r.tradeIds.map((id) => bodies.get(id)!)), decisions: upTo.flatMap((r) => (r.decision ? [r.decision] : [])) };
    },
    close: () => sub.unsubscribe(),
  };
}

async function refusal(call: Promise<unknown>) {
  const error = await call.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<AppRouter>;
}

describe('agents.stats and agents.view as of a past moment', () => {
  let desk: TestDesk;
  let api: Api;
  beforeAll(async () => {
    // Snapshots of the fold and checkpoints every few rows, so moments start from many different ones.
    desk = await startTestDesk({
      desk: { checkpoints: { everyEvents: 5, checkMs: 3_600_000 }, agentStats: { pageRows: 3, snapshotRows: 7 } },
      limits: { mutationsPerSecond: 100_000, mutationBurst: 100_000 },
    });
    api = desk.client();
    for (const symbol of SYMBOLS) await api.market.setPrice.mutate({ symbol, price: 100 });
  });
  afterAll(() => desk.close());

  it('equals, as of the moment after any command, a naive recomputation from the trades and decisions committed up to it', async () => {
    const seen = follow(api);
    const moments: number[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), async (commands, picks) => {
        for (const command of commands) {
          seen.record(await run(api, command));
          desk.app.desk.replay!.checkpointer.step();
          moments.push(desk.app.desk.hub.lastId);
        }
        await seen.caughtUp();
        // The newest moment always, and a few earlier ones.
        for (const at of [moments.at(-1)!, ...picks.map((p) => moments[p % moments.length]!)]) {
          const { trades, decisions } = seen.upTo(at);
          const expected = naiveAll(trades, decisions);
          expectSameFigures(await api.agents.stats.query({ at: String(at) }), expected, `as of ${at}`);
        }
      }),
      { seed: 20261201, numRuns: 25 },
    );
    // Now and as of the newest id are one and the same.
    expect(await api.agents.stats.query({ at: String(desk.app.desk.hub.lastId) })).toEqual(await api.agents.stats.query());
    seen.close();
  }, 120_000);

  it('shows the agent view as of a moment: its row, tasks, decisions and figures then, not what came after', async () => {
    await api.agents.setStatus.mutate({ id: 'at-view', name: 'As-of bot', status: 'active' });
    await api.agents.upsertTask.mutate({ agentId: 'at-view', type: 'scan', status: 'running', progress: 0.2 });
    const first = await api.agents.recordDecision.mutate({ agentId: 'at-view', symbol: 'ATA', action: 'buy', confidence: 0.6, executeQty: 5 });
    desk.app.desk.replay!.checkpointer.step();
    const moment = String(desk.app.desk.hub.lastId);
    const then = await api.agents.view.query({ agentId: 'at-view' });
    await api.market.setPrice.mutate({ symbol: 'ATA', price: 104 });
    await api.agents.recordDecision.mutate({ agentId: 'at-view', symbol: 'ATA', action: 'sell', confidence: 0.9, executeQty: 5 });
    await api.agents.setStatus.mutate({ id: 'at-view', status: 'busy' });
    await api.agents.upsertTask.mutate({ agentId: 'at-view', type: 'rebalance', status: 'pending', progress: 0 });

    const past = await api.agents.view.query({ agentId: 'at-view', at: moment });
    expect(past.asOf).toEqual({ eventId: moment, ts: expect.any(Number) });
    const { asOf: _now, ...thenFields } = then;
    const { asOf: _past, ...pastFields } = past;
    expect(pastFields).toEqual(thenFields);
    expect(past.decisions.map((d) => d.decision.id)).toEqual([first.decision.id]);
    expect(past.decisions[0]!.outcome).toMatchObject({ closing: false, position: { qty: 5 } });

    const current = await api.agents.view.query({ agentId: 'at-view' });
    expect(current.asOf).toBeNull();
    expect(current.agent?.status).toBe('busy');
    expect(current.stats).toMatchObject({ trades: 2, closingTrades: 1, realizedPnl: expect.any(Number) });
    expect(current.decisions).toHaveLength(2);
    // As of a time: the newest event at or before it.
    const byTime = await api.agents.view.query({ agentId: 'at-view', at: past.asOf!.ts });
    expect(Number(byTime.asOf!.eventId)).toBeGreaterThanOrEqual(Number(moment));
  });

  it('refuses a moment after now (BAD_REQUEST), before the oldest it can rebuild or before the agent existed (NOT_FOUND), and a malformed one', async () => {
    const future = String(desk.app.desk.hub.lastId + 1_000);
    expect((await refusal(api.agents.stats.query({ at: future }))).data?.code).toBe('BAD_REQUEST');
    expect((await refusal(api.agents.view.query({ agentId: 'at-view', at: Date.now() + 60_000 }))).data?.code).toBe('BAD_REQUEST');
    const early = await refusal(api.agents.view.query({ agentId: 'at-view', at: '1' }));
    expect(early.data?.code).toBe('NOT_FOUND');
    expect(early.message).toMatch(/before the oldest moment/);
    const window = await api.replay.window.query();
    const before = await refusal(api.agents.view.query({ agentId: 'never-here', at: window.from!.eventId }));
    expect(before.data?.code).toBe('NOT_FOUND');
    expect(before.message).toMatch(/no agent never-here on this desk as of event/);
    for (const at of ['abc', -5, '']) expect((await refusal(api.agents.stats.query({ at: at as never }))).data?.code).toBe('BAD_REQUEST');
  });
});

describe('agents.stats under retention pruning', () => {
  const dir = mkdtempSync(join(tmpdir(), 'livedesk-agent-stats-'));
  const options = (name: string, retainEvents: number): AppOptions => ({
    desk: { journal: { path: join(dir, `${name}.db`), retainEvents }, agentStats: { pageRows: 4, snapshotRows: 9 } },
    limits: { mutationsPerSecond: 100_000, mutationBurst: 100_000 },
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('agrees between a desk that keeps everything and one that pruned most of it, across its restart, with a recomputation over everything', async () => {
    const keeper = await startTestDesk(options('keeper', 0));
    let pruner = await startTestDesk(options('pruner', 25));
    const seen = follow(keeper.client());
    const commands = fc.sample(fc.array(commandArb, { minLength: 120, maxLength: 120 }), { seed: 42, numRuns: 1 })[0]!;
    for (const symbol of SYMBOLS) for (const d of [keeper, pruner]) await d.client().market.setPrice.mutate({ symbol, price: 100 });
    // First never asked (its fold never ran) and restarted; then asked now and then, as a dashboard
    // would; its journal pruned under it all along.
    for (const [i, command] of commands.entries()) {
      seen.record(await run(keeper.client(), command));
      await run(pruner.client(), command);
      if (i % 10 === 0) while (pruner.app.desk.journal!.prune() > 0);
      if (i === 60) {
        await pruner.close();
        pruner = await startTestDesk(options('pruner', 25));
      }
      if (i > 60 && i % 20 === 7) await pruner.client().agents.stats.query();
    }
    while (pruner.app.desk.journal!.prune() > 0);
    const journal = pruner.app.desk.journal!;
    const total = (journal.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    expect(total).toBeLessThanOrEqual(25);

    await seen.caughtUp();
    const { trades, decisions } = seen.upTo(Number.POSITIVE_INFINITY);
    const everything = naiveAll(trades, decisions);
    const kept = await keeper.client().agents.stats.query();
    expectSameFigures(kept, everything, 'the desk that keeps everything');
    expect(await pruner.client().agents.stats.query()).toEqual(kept);

    // Restarted on its pruned journal, it still counts what was pruned.
    await pruner.close();
    pruner = await startTestDesk(options('pruner', 25));
    expect(await pruner.client().agents.stats.query()).toEqual(kept);
    // And a moment below its floor is refused, as history and replay refuse it.
    const early = await refusal(pruner.client().agents.stats.query({ at: String(pruner.app.desk.journal!.floor - 1) }));
    expect(early.data?.code).toBe('NOT_FOUND');
    seen.close();
    await pruner.close();
    await keeper.close();
  }, 60_000);
});
