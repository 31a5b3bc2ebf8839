import { TRPCError } from '@trpc/server';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuditLog, eventIdOf, type AuditScope } from '../persist/audit-log';
import { localExecutor, type CommandPath } from './commands';
import { StateTopic } from '../hub/state-topic';
import { createDesk } from './desk';

/** A fixed seed, so a run is the same everywhere; FC_SEED=<seed> (and FC_PATH=<path>, printed on failure) replays another. */
const fcParams = {
  numRuns: 40,
  seed: process.env.FC_SEED === undefined ? 20261201 : Number(process.env.FC_SEED),
  ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
};

interface Op {
  path: CommandPath;
  input: Record<string, unknown>;
  key?: string;
}

const symbol = fc.constantFrom('AA', 'BB', 'CC', 'NOPRICE');
const key = fc.option(fc.constantFrom('k1', 'k2', 'k3'), { nil: undefined, freq: 3 });
// Mutations of every kind the desk journals, with ones that fail: a trade or a nudge of a symbol
// with no price, a missing alert, a key reused for another path.
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ path: fc.constant('market.executeTrade' as const), input: fc.record({ symbol, side: fc.constantFrom('buy', 'sell'), qty: fc.integer({ min: 1, max: 5 }) }), key }),
  fc.record({ path: fc.constant('market.setPrice' as const), input: fc.record({ symbol, price: fc.integer({ min: 50, max: 150 }) }), key }),
  fc.record({ path: fc.constant('market.setPrice' as const), input: fc.record({ symbol, nudgePct: fc.constantFrom(-0.01, 0.02) }) }),
  fc.record({ path: fc.constant('feeds.pushNotification' as const), input: fc.record({ title: fc.constantFrom('a', 'b'), body: fc.constant('x'), severity: fc.constant('info') }), key }),
  fc.record({ path: fc.constant('alerts.createRule' as const), input: fc.record({ symbol, condition: fc.constant('above'), threshold: fc.integer({ min: 50, max: 150 }), severity: fc.constant('warning') }) }),
  fc.record({ path: fc.constant('alerts.dismiss' as const), input: fc.record({ id: fc.constant('no-such-alert') }) }),
  fc.record({ path: fc.constant('agents.upsertTask' as const), input: fc.record({ agentId: fc.constantFrom('a1', 'a2'), type: fc.constant('scan'), status: fc.constantFrom('queued', 'running', 'done') }), key }),
);
// Batches of mutations that arrive in one turn, each mutation at its own time: some in the same
// millisecond or second, some with the clock stepped back (bars and buckets of an earlier second).
const timed = fc.record({ op, dt: fc.constantFrom(0, 0, 400, 1_100, -1_300) });
const batches = fc.array(fc.record({ after: fc.constantFrom(0, 300, 1_500, 61_000), ops: fc.array(timed, { minLength: 1, maxLength: 12 }) }), { minLength: 1, maxLength: 6 });

/** A desk on a file of its own with its audit log in the mutations' transactions, as the app wires them. */
function auditedDesk() {
  const desk = createDesk({ journal: { path: ':memory:', startId: 1_000_000 } });
  const audit = new AuditLog(desk.journal!.db);
  desk.journal!.withMutation = (_path, answer, scope) => audit.inTransaction(scope, answer);
  const commands = localExecutor(desk);
  /** Calls a mutation as the app's audit middleware does: its entry in its transaction, or recorded after. */
  const call = async ({ path, input, key }: Op): Promise<unknown> => {
    const record = { ts: Date.now(), who: 'tok-1', name: 'bot', role: 'operator' as const, address: '127.0.0.1', path, input };
    const scope: AuditScope = { record, written: false };
    try {
      const answer = await commands.execute(path, input as never, key, scope);
      if (!scope.written) audit.accepted({ ...record, code: 'OK', eventId: eventIdOf(answer) });
      return { ok: answer, written: scope.written };
    } catch (error) {
      const code = error instanceof TRPCError ? error.code : String(error);
      audit.refused({ ...record, code, eventId: null });
      return { error: code, message: (error as Error).message };
    }
  };
  const tables = () => {
    audit.flush();
    desk.journal!.flushLatest();
    const db = desk.journal!.db;
    return Object.fromEntries(
      [
        'SELECT * FROM events ORDER BY id, seq',
        // A row's position counts among its topic's (restoring reads each topic in it); a group writes
        // the waiting latest values before its mutations' rows, one by one they come after the first's.
        'SELECT topic, key, id, body, row_number() OVER (PARTITION BY topic ORDER BY pos) AS pos FROM rows ORDER BY topic, key',
        // Accepted entries by the event id they answered with (a key's replay is recorded after its
        // group, not in it); refusals wait for the turn's batch, where those of one caller, path and
        // code are one entry with a count (and the first's input).
        "SELECT ts, who, name, role, address, path, input, code, event_id, count, instance FROM audit WHERE code = 'OK' ORDER BY ts, event_id, path, input",
        "SELECT path, code, sum(count) AS n FROM audit WHERE code <> 'OK' GROUP BY path, code ORDER BY path, code",
        'SELECT * FROM equity ORDER BY resolution, ts',
        'SELECT * FROM candles ORDER BY symbol, interval, open_time',
        'SELECT * FROM idempotency ORDER BY key',
        'SELECT * FROM meta ORDER BY key',
      ].map((sql) => [sql, db.prepare(sql).all()]),
    );
  };
  const state = () => Object.fromEntries([...desk.hub.topics.values()].map((topic) => [topic.name, 'dump' in topic ? topic.dump() : null]));
  /**
   * What a restart would load, per state topic: its rows in position order (as `restore` reads
   * them), to equal the topic's values in their order now.
   */
  const atRest = () => {
    desk.journal!.flushLatest();
    const rows = desk.journal!.db.prepare<[string], { body: string }>('SELECT body FROM rows WHERE topic = ? ORDER BY pos');
    const topics = [...desk.hub.topics.values()].filter((topic): topic is StateTopic<unknown> => topic instanceof StateTopic);
    return {
      stored: Object.fromEntries(topics.map((topic) => [topic.name, rows.all(topic.name).map((row) => JSON.parse(row.body) as unknown)])),
      live: Object.fromEntries(topics.map((topic) => [topic.name, topic.values()])),
    };
  };
  return { desk, call, tables, state, atRest };
}

describe('group commit', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('leaves the same answers, journal, rows, audit log, history and keys as the same mutations committed one by one', async () => {
    await fc.assert(
      fc.asyncProperty(batches, async (turns) => {
        vi.useFakeTimers({ toFake: ['Date'] });
        const t0 = Date.UTC(2026, 11, 1, 9, 0, 0, 250);
        const grouped = auditedDesk();
        const alone = auditedDesk();
        try {
          let now = t0;
          const answers = { grouped: [] as unknown[], alone: [] as unknown[] };
          for (const { after, ops } of turns) {
            now += after;
            vi.setSystemTime(now);
            // One turn: all of them in one group (each takes the time it is called at).
            const calls = ops.map(({ op: o, dt }) => {
              vi.setSystemTime(now + dt);
              return grouped.call(o);
            });
            answers.grouped.push(...(await Promise.all(calls)));
            // The same, each awaited before the next: a group of one each.
            for (const { op: o, dt } of ops) {
              vi.setSystemTime(now + dt);
              answers.alone.push(await alone.call(o));
            }
          }
          expect(answers.grouped).toEqual(answers.alone);
          expect(grouped.tables()).toEqual(alone.tables());
          expect(grouped.state()).toEqual(alone.state());
          // Rows at rest are the state: what restoring loads, in the order it loads it.
          const rest = grouped.atRest();
          expect(rest.stored).toEqual(rest.live);
        } finally {
          grouped.desk.journal!.close();
          alone.desk.journal!.close();
          vi.useRealTimers();
        }
      }),
      fcParams,
    );
  });
});
