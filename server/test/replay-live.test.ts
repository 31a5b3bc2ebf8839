import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Severity } from '../../shared/schema/common';
import type { StreamMessage } from '../../shared/schema/stream';
import { sseMux } from '../../shared/sse-mux';
import { collector, sleep, startTestDesk, type Received, type TestDesk } from './harness';

/**
 * A replay goes on live without a gap or a repeat, over random sessions: replayed from a random
 * event id at speed 0, 10 or 100 while the desk keeps writing, over WebSocket and over the
 * multiplexed SSE stream side by side, what each client receives is exactly the journal's events
 * after the moment (as `history.*` reads them), each in a message whose id is the commit's or
 * later, in strictly increasing ids.
 */
const fcParams = { numRuns: 14, seed: process.env.FC_SEED === undefined ? 20261201 : Number(process.env.FC_SEED) };

type Api = ReturnType<TestDesk['client']>;
const SYMBOLS = ['RLA', 'RLB'] as const;
const SEVERITIES: Severity[] = ['info', 'warning', 'critical'];

const opArb = fc.oneof(
  fc.record({ kind: fc.constant('note' as const), severity: fc.constantFrom(...SEVERITIES) }),
  fc.record({ kind: fc.constant('trade' as const), symbol: fc.constantFrom(...SYMBOLS) }),
  // Commits of other topics in between: a topic's ids are not contiguous.
  fc.record({ kind: fc.constant('status' as const), cpu: fc.integer({ min: 0, max: 100 }) }),
);
type Op = typeof opArb extends fc.Arbitrary<infer O> ? O : never;

let n = 0;
/** Runs one op; its event id. */
async function run(api: Api, op: Op): Promise<string> {
  n++;
  if (op.kind === 'note') return (await api.feeds.pushNotification.mutate({ title: `rl${n}`, body: 'b', severity: op.severity })).eventId!;
  if (op.kind === 'trade') return (await api.market.executeTrade.mutate({ symbol: op.symbol, side: n % 2 ? 'buy' : 'sell', qty: 1, agentId: 'replay-live' })).eventId!;
  return (await api.agents.setStatus.mutate({ id: 'rl-agent', status: 'busy', cpu: op.cpu })).eventId!;
}

/** A stream under test: how to subscribe to it, and the journal's view of it (`history.*`, same filter). */
interface Stream {
  subscribe(api: Api, input: { limit: number; replay: { from: string; speed: 0 | 10 | 100 } }, got: ReturnType<typeof collector<StreamMessage<{ id: string }>>>): { unsubscribe(): void };
  history(api: Api, page: { after?: string; before?: string; order: 'newest' | 'oldest'; limit: number; cursor?: string | null }): Promise<{ items: Array<{ eventId: string; item: { id: string } }>; next: string | null }>;
  /** An op whose event the stream carries, to see it live. */
  marker: Op;
}

const streamArb = fc.oneof(
  fc.constantFrom(...SEVERITIES).map(
    (minSeverity): Stream => ({
      subscribe: (api, input, got) => api.feeds.onNotifications.subscribe({ ...input, minSeverity }, got as never),
      history: (api, page) => api.history.notifications.query({ ...page, minSeverity }),
      marker: { kind: 'note', severity: 'critical' },
    }),
  ),
  fc.subarray([...SYMBOLS], { minLength: 1 }).map(
    (symbols): Stream => ({
      subscribe: (api, input, got) => api.market.onTrades.subscribe({ ...input, symbols }, got as never),
      history: (api, page) => api.history.trades.query({ ...page, symbols }),
      marker: { kind: 'trade', symbol: symbols[0]! },
    }),
  ),
);

/** Every event of the stream's journal after `after` up to `through`, oldest first, with its commit's id. */
async function journalAfter(api: Api, stream: Stream, after: string, through: string) {
  const out: Array<{ eventId: string; id: string }> = [];
  let cursor: string | null = null;
  do {
    const page = await stream.history(api, { after, before: String(BigInt(through) + 1n), order: 'oldest', limit: 500, cursor });
    out.push(...page.items.map(({ eventId, item }) => ({ eventId, id: item.id })));
    cursor = page.next;
  } while (cursor !== null);
  return out;
}

const itemsOf = (message: Received<StreamMessage<{ id: string }>>) => ('items' in message.data ? message.data.items : []);

/**
 * What a client received after its snapshot, each item with the id of the message that carried it;
 * fails on a message id that does not increase (an empty one, the live stream's first, may repeat
 * the last id: it carries nothing).
 */
function received(messages: Received<StreamMessage<{ id: string }>>[]) {
  const out: Array<{ messageId: bigint; previousId: bigint; id: string }> = [];
  for (let i = 1; i < messages.length; i++) {
    const id = BigInt(messages[i]!.id);
    const previousId = BigInt(messages[i - 1]!.id);
    const items = itemsOf(messages[i]!);
    if (items.length > 0 || id !== previousId) expect(id > previousId, `message ${i} id ${id} after ${previousId}`).toBe(true);
    expect(messages[i]!.data.type).not.toBe('snapshot');
    for (const item of items) out.push({ messageId: id, previousId, id: item.id });
  }
  return out;
}

describe('a replay going on live', () => {
  let desk: TestDesk;
  let ws: Api;
  let mux: Api;

  beforeAll(async () => {
    desk = await startTestDesk({ statsIntervalMs: 3_600_000 });
    ws = desk.client();
    mux = desk.client({ transport: sseMux() });
    for (const symbol of SYMBOLS) await ws.market.setPrice.mutate({ symbol, price: 100 });
  });
  afterAll(() => desk.close());

  it('delivers exactly the journal after the moment, over WebSocket and sse-mux alike, with mutations arriving during the replay', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 12 }),
        fc.nat(),
        fc.constantFrom(0 as const, 10 as const, 100 as const),
        fc.integer({ min: 0, max: 4 }),
        streamArb,
        fc.array(fc.tuple(opArb, fc.integer({ min: 0, max: 15 })), { maxLength: 8 }),
        async (session, pick, speed, limit, stream, during) => {
          const ids: string[] = [];
          for (const op of session) ids.push(await run(ws, op));
          const from = ids[pick % ids.length]!;
          const clients = [ws, mux].map((api) => {
            const got = collector<StreamMessage<{ id: string }>>();
            return { api, got, sub: stream.subscribe(api, { limit, replay: { from, speed } }, got) };
          });
          try {
            // The desk goes on while the replay runs.
            for (const [op, pause] of during) {
              await run(ws, op);
              await sleep(pause);
            }
            const snapshot = limit === 0 ? [] : (await stream.history(ws, { before: String(BigInt(from) + 1n), order: 'newest', limit })).items.map((i) => i.item.id).reverse();
            if (speed === 0) {
              // Held at the moment: the snapshot as of it, and nothing after it.
              await Promise.all(clients.map(({ got }) => got.until((m) => m.length > 0, 10_000)));
              await sleep(250);
              for (const { got } of clients) {
                expect(got.errors).toEqual([]);
                expect(got.messages.map((m) => [m.id, m.data])).toEqual([[from, { type: 'snapshot', items: expect.anything(), resync: false }]]);
                expect(itemsOf(got.messages[0]!).map((i) => i.id)).toEqual(snapshot);
              }
              return;
            }
            const marker = await run(ws, stream.marker);
            for (const { got } of clients) {
              await got.until((m) => m.some((x) => BigInt(x.id) >= BigInt(marker) && itemsOf(x).length > 0) || got.errors.length > 0, 20_000);
            }
            const journal = await journalAfter(ws, stream, from, marker);
            const seen = clients.map(({ got }) => {
              expect(got.errors).toEqual([]);
              expect(got.messages[0]!.id).toBe(from);
              expect(got.messages[0]!.data.type).toBe('snapshot');
              expect(itemsOf(got.messages[0]!).map((i) => i.id)).toEqual(snapshot);
              // Nothing is written after the marker, so everything received is up to it.
              const items = received(got.messages);
              expect(items.map((r) => r.id)).toEqual(journal.map((j) => j.id));
              // Each in a message of its commit's id or after, and after the message before it.
              items.forEach((r, i) => {
                const eventId = BigInt(journal[i]!.eventId);
                expect(r.messageId >= eventId && r.previousId < eventId, `${r.id} (event ${eventId}) in message ${r.messageId} after ${r.previousId}`).toBe(true);
              });
              return items.map((r) => r.id);
            });
            expect(seen[1]).toEqual(seen[0]);
          } finally {
            for (const { sub } of clients) sub.unsubscribe();
          }
        },
      ),
      fcParams,
    );
  }, 180_000);
});
