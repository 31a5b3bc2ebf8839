import { createTRPCClient, createWSClient, TRPCClientError, wsLink } from '@trpc/client';
import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedToken, type AuthConfig } from '../auth/tokens';
import type { AppRouter } from '../root';
import { appRouter } from '../root';
import { startTestDesk, type TestDesk } from '../test/harness';
import { createInputMiddleware, getParseFn } from '@trpc/server/unstable-core-do-not-import';
import { z } from 'zod';
import { directMutationOf, parseInputs } from './direct-mutation';

/**
 * The desk transport runs command mutations itself (`runDirectMutation`); tRPC's own adapter runs
 * them through the procedure's middlewares and resolver. Both answer the same generated calls (one
 * at a time and in batch frames) from the same callers in the same order, through the real client
 * over a real WebSocket: the same answers and error shapes, the same audit entries and journal
 * events, the same counts. Replay a failure with `FC_SEED=<seed> npx vitest run <this file>`.
 */
const seed = process.env.FC_SEED === undefined ? 1_717 : Number(process.env.FC_SEED);
const RUNS = 24;

const SECRET = 'a-test-secret-that-is-long-enough-0123';
const ADMIN = 'admin-token-0123456789';
const ALICE = 'alice-token-0123456789';
const VIEWER = 'viewer-token-0123456789';
const auth: AuthConfig = {
  tokens: { [ADMIN]: { role: 'admin', name: 'root' }, [ALICE]: { role: 'operator', name: 'alice' }, [VIEWER]: 'viewer' },
  secret: SECRET,
};
// Every connection may make 12 mutations and (in a test's time) no more: longer runs hit the limit mid-batch.
const limits = { mutationsPerSecond: 0.001, mutationBurst: 12 };

type Caller = 'alice' | 'viewer' | 'anonymous' | 'carol';
interface Call {
  path: string;
  input: unknown;
}
type Op = { kind: 'calls'; caller: Caller; calls: Call[] } | { kind: 'revoke' };

const key = fc.constantFrom(undefined, undefined, undefined, 'k-1', 'k-2', 'k-3', '', 'x'.repeat(129));
const withKey = (input: Record<string, unknown>, idempotencyKey: string | undefined) => (idempotencyKey === undefined ? input : { ...input, idempotencyKey });
const symbol = fc.constantFrom('AAA', 'BBB', 'NOPRICE');
const malformed = fc.constantFrom<unknown>(null, 7, 'text', [], { qty: 'x' }, { symbol: '', side: 'up', qty: -1 }, { price: 'high' }, { title: 5 }, { severity: 'loud', title: 't' });

const call: fc.Arbitrary<Call> = fc.oneof(
  fc.record({ symbol, side: fc.constantFrom('buy', 'sell'), qty: fc.constantFrom(1, 2, 0.5, -1, 0), key }).map(({ key: k, ...trade }) => ({
    path: 'market.executeTrade',
    input: withKey(trade, k),
  })),
  fc.record({ symbol: fc.constantFrom('AAA', 'BBB'), price: fc.constantFrom(10, 20.5, -3), key }).map(({ key: k, ...price }) => ({ path: 'market.setPrice', input: withKey(price, k) })),
  fc.record({ title: fc.constantFrom('hello', 'x'.repeat(201)), severity: fc.constantFrom('info', 'warning', 'loud'), key }).map(({ key: k, ...note }) => ({
    path: 'feeds.pushNotification',
    input: withKey(note, k),
  })),
  fc.record({ type: fc.constantFrom('a', 'b'), data: fc.jsonValue({ maxDepth: 2 }), key }).map(({ key: k, ...custom }) => ({ path: 'feeds.broadcastCustom', input: withKey(custom, k) })),
  key.map((k) => ({ path: 'alerts.clear', input: k === undefined ? undefined : { idempotencyKey: k } })),
  fc.record({ path: fc.constantFrom('market.executeTrade', 'market.setPrice', 'feeds.pushNotification', 'alerts.clear'), input: malformed }),
  // Not a mutation: it goes through tRPC's procedure call in the same batch.
  fc.constant({ path: 'market.positions', input: undefined }),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('calls' as const), caller: fc.constantFrom<Caller>('alice', 'alice', 'alice', 'carol', 'viewer', 'anonymous'), calls: fc.array(call, { minLength: 1, maxLength: 8 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'revoke' as const }) },
);

/** One caller's WebSocket with the stock tRPC client. */
function connect(url: string, token: string | undefined) {
  const client = createWSClient({ url, WebSocket: WebSocket as never, ...(token === undefined ? {} : { connectionParams: { token } }) });
  return { api: createTRPCClient<AppRouter>({ links: [wsLink({ client })] }), close: () => client.close() };
}

/** What a caller can see of an answer, with the desk's clock readings taken out. */
async function answerOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    return { data: timeless(await promise) };
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    return { message: error.message, shape: error.shape };
  }
}

/** `value` with every clock reading (`ts`, `…At`) replaced: the two desks run at different times. */
function timeless(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(timeless);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, (k === 'ts' || k.endsWith('At')) && typeof v === 'number' ? 'T' : timeless(v)]));
}

/** A desk and the callers of the current run. */
class Side {
  private callers = new Map<Caller, ReturnType<typeof connect>>();
  private admin: ReturnType<typeof connect> | null = null;
  private carolId = '';
  private carolToken = '';

  constructor(readonly desk: TestDesk) {}

  open(run: number): void {
    const url = this.desk.app.wsUrl;
    this.carolId = `carol-${run}`;
    this.callers.set('alice', connect(url, ALICE));
    this.callers.set('viewer', connect(url, VIEWER));
    this.callers.set('anonymous', connect(url, undefined));
    this.carolToken = createSignedToken(SECRET, { role: 'operator', ttlMs: 600_000, name: 'carol', id: this.carolId });
    this.callers.set('carol', connect(url, this.carolToken));
    this.admin = connect(url, ADMIN);
  }

  async apply(op: Op): Promise<unknown[]> {
    if (op.kind === 'revoke') {
      const answer = await answerOf(this.admin!.api.system.revokeToken.mutate({ id: this.carolId }));
      // Revoking closes the token's connections: carol comes back on a new one, whose calls are refused.
      this.callers.get('carol')!.close();
      this.callers.set('carol', connect(this.desk.app.wsUrl, this.carolToken));
      return [answer];
    }
    const api = this.callers.get(op.caller)!.api as unknown as Record<string, Record<string, { mutate(i: unknown): Promise<unknown>; query(i: unknown): Promise<unknown> }>>;
    // Made in one tick, the calls leave in one batch frame.
    return Promise.all(
      op.calls.map(({ path, input }) => {
        const [router, name] = path.split('.') as [string, string];
        const procedure = api[router]![name]!;
        return answerOf(path === 'market.positions' ? procedure.query(input) : procedure.mutate(input));
      }),
    );
  }

  close(): void {
    for (const caller of this.callers.values()) caller.close();
    this.admin?.close();
    this.callers.clear();
  }

  /**
   * The audit log: accepted entries one by one; refusals as counts per caller, path and code, and
   * the inputs they kept. Identical refusals of one turn of the event loop share one entry with the
   * first one's input, and which turn a refusal falls in is a matter of timing, not of the answer.
   */
  audit() {
    const rows = this.desk.app.desk.journal!.db.prepare('SELECT who, name, role, address, path, input, code, event_id, count FROM audit').all() as Array<Record<string, unknown> & { count: number; path: string; code: string; input: string | null }>;
    const accepted: string[] = [];
    const refused: Record<string, number> = {};
    const kept: string[] = [];
    for (const { count, input, ...entry } of rows) {
      if (entry.code === 'OK') accepted.push(JSON.stringify({ ...entry, input, count }));
      else {
        const id = JSON.stringify(entry);
        refused[id] = (refused[id] ?? 0) + count;
        kept.push(`${entry.path} ${entry.code} ${input}`);
      }
    }
    return { accepted: accepted.sort(), refused, kept };
  }

  events(): unknown[] {
    const rows = this.desk.app.desk.journal!.db.prepare('SELECT id, seq, topic, op, key, body FROM events ORDER BY id, seq').all() as Array<{ body: string }>;
    return rows.map((row) => ({ ...row, body: timeless(JSON.parse(row.body)) }));
  }

  async mutationCounts(): Promise<string[]> {
    const text = await (await fetch(`${this.desk.app.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })).text();
    // Sorted: a series is listed from its first count, and which of two calls is counted first is a matter of timing.
    return text.split('\n').filter((line) => line.startsWith('livedesk_mutations_total{')).sort();
  }
}

let direct: Side;
let stock: Side;
beforeAll(async () => {
  // Event ids from the same first id (by default it is taken from the clock).
  const options = { auth, limits, statsIntervalMs: 3_600_000, desk: { hub: { firstId: 1_000_000 } } };
  direct = new Side(await startTestDesk({ ...options, transport: 'desk' }));
  stock = new Side(await startTestDesk({ ...options, transport: 'stock' }));
});
afterAll(async () => {
  await direct?.desk.close();
  await stock?.desk.close();
});

describe('command mutations run directly by the desk transport', () => {
  it('are every command mutation of the router, and nothing else', () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string; resolver?: unknown } }>;
    const directOnes = Object.keys(procedures).filter((path) => directMutationOf(procedures[path]) !== null);
    expect(directOnes).toContain('market.executeTrade');
    expect(directOnes).toContain('alerts.clear');
    expect(directOnes).toContain('system.revokeToken');
    for (const path of directOnes) expect(procedures[path]!._def.type).toBe('mutation');
    // The simulator's control is a mutation of its own, not a command: it stays with tRPC.
    expect(directOnes).not.toContain('system.controlSimulator');
  });

  it('answer, audit, journal and count exactly as tRPC runs them', async () => {
    console.log(`direct mutation equivalence seed ${seed}; replay with FC_SEED=${seed}`);
    let run = 0;
    const seen = new Set<string>();
    // Every call's path, answer code and the input its audit entry would keep.
    const refusedWith = new Set<string>();
    const runOps = async (ops: Op[]) => {
      run++;
      direct.open(run);
      stock.open(run);
      try {
        for (const step of ops) {
          const [got, expected] = [await direct.apply(step), await stock.apply(step)];
          expect(got).toEqual(expected);
          (expected as Array<{ shape?: { data: { code: string } } }>).forEach((answer, i) => {
            const code = answer.shape?.data.code ?? 'OK';
            seen.add(code);
            if (step.kind === 'calls' && step.caller === 'carol' && code === 'UNAUTHORIZED') seen.add('revoked');
            const input = step.kind === 'revoke' ? undefined : step.calls[i]!.input;
            const path = step.kind === 'revoke' ? 'system.revokeToken' : step.calls[i]!.path;
            refusedWith.add(`${path} ${code} ${code === 'TOO_MANY_REQUESTS' || input === undefined ? null : JSON.stringify(input)}`);
          });
        }
      } finally {
        direct.close();
        stock.close();
      }
    };
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 10 }), runOps),
      { seed, numRuns: RUNS },
    );
    // Then one run that has every outcome whatever the seed: a key reused on another path, a
    // connection's budget spent in one batch, a revoked caller.
    const note = (n: number) => ({ path: 'feeds.pushNotification', input: { title: `note ${n}`, idempotencyKey: 'k-fixed' } });
    await runOps([
      { kind: 'calls', caller: 'alice', calls: [note(0), { path: 'market.setPrice', input: { symbol: 'AAA', price: 11, idempotencyKey: 'k-fixed' } }] },
      { kind: 'calls', caller: 'alice', calls: Array.from({ length: 13 }, (_, n) => ({ path: 'alerts.clear', input: n === 5 ? 'bad' : undefined })) },
      { kind: 'calls', caller: 'carol', calls: [note(1)] },
      { kind: 'revoke' },
      { kind: 'calls', caller: 'carol', calls: [note(2)] },
      { kind: 'calls', caller: 'viewer', calls: [note(3)] },
      { kind: 'calls', caller: 'anonymous', calls: [note(4)] },
    ]);
    // Refusals are audited in the next turn of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [audited, expectedAudit] = [direct.audit(), stock.audit()];
    expect(audited.accepted).toEqual(expectedAudit.accepted);
    expect(audited.refused).toEqual(expectedAudit.refused);
    for (const entry of [...audited.kept, ...expectedAudit.kept]) expect(refusedWith).toContain(entry);
    const events = stock.events();
    // At least the fixed run's notification and revocation.
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(direct.events()).toEqual(events);
    expect(await direct.mutationCounts()).toEqual(await stock.mutationCounts());
    expect(direct.desk.app.rejected).toEqual(stock.desk.app.rejected);
    // The runs covered what they claim to.
    expect([...seen].sort()).toEqual(['BAD_REQUEST', 'CONFLICT', 'FORBIDDEN', 'OK', 'TOO_MANY_REQUESTS', 'UNAUTHORIZED', 'revoked']);
  }, 120_000);
});

describe('a direct mutation\'s input', () => {
  /** What tRPC's input middlewares make of `raw`: the merged input, or the error they throw. */
  async function throughTRPC(schemas: z.ZodType[], raw: unknown): Promise<unknown> {
    let input: unknown = {};
    for (const schema of schemas) {
      const middleware = createInputMiddleware(getParseFn(schema)) as unknown as (opts: object) => Promise<{ input: unknown }>;
      const result = await middleware({ getRawInput: async () => raw, input, next: async (next: { input: unknown }) => next });
      input = result.input;
    }
    return input;
  }
  const outcome = (run: () => unknown) =>
    Promise.resolve()
      .then(run)
      .then(
        (value) => ({ value }),
        (error: Error & { code?: string; cause?: unknown }) => ({ code: error.code, message: error.message, cause: error.cause instanceof z.ZodError ? error.cause.issues : error.cause }),
      );

  it('is parsed and merged as tRPC\'s input middlewares do, synchronously unless a schema needs otherwise', async () => {
    const slowly = z.object({ name: z.string() }).refine(async (v) => v.name !== 'taken', { message: 'taken' });
    const cases: Array<[z.ZodType[], unknown]> = [
      [[z.object({ a: z.number(), b: z.string().default('b') })], { a: 1, extra: true }],
      [[z.object({ a: z.number() })], { a: 'x' }],
      [[z.object({ key: z.string().optional() }).default({})], undefined],
      [[z.object({ a: z.number() }), z.object({ b: z.number() })], { a: 1, b: 2 }],
      [[z.object({ a: z.number() }), z.object({ b: z.number() })], { a: 1, b: 'x' }],
      [[slowly], { name: 'free' }],
      [[slowly], { name: 'taken' }],
      [[slowly], { name: 7 }],
    ];
    for (const [schemas, raw] of cases) {
      const direct = await outcome(() => parseInputs(schemas, raw));
      expect({ raw, direct }).toEqual({ raw, direct: await outcome(() => throughTRPC(schemas, raw)) });
    }
    expect(parseInputs([z.object({ a: z.number() })], { a: 1 })).not.toBeInstanceOf(Promise);
    const pending = parseInputs([slowly], { name: 'free' });
    expect(pending).toBeInstanceOf(Promise);
    await pending;
  });
});
